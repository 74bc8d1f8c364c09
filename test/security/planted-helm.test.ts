/**
 * A `helm` file in the repository under review is the pull request's code. These tests plant
 * one (it leaves a mark when run) in the checkout, put the checkout on PATH in every way a
 * careless setup would, and check that the CLI, the Action and the App never run it, while
 * the CLI run from the fleet's own folder still renders a local chart with the packaged helm.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { readAppSettings } from '../../src/adapters/app/settings.js'
import { describeWith } from '../support/components.js'
import { pullRequestEvent } from '../github/support/payloads.js'
import { runAction } from '../github/support/run-action.js'

const BIN = resolve('bin/fluxgate.js')

function plant(dir: string, mark: string): void {
  mkdirSync(dir, { recursive: true })
  writeFileSync(join(dir, 'helm'), `#!/bin/sh\ntouch '${mark}'\necho 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: planted}'\n`)
  chmodSync(join(dir, 'helm'), 0o755)
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } })
}

describeWith(['git', 'helm'], 'a helm planted in the checkout', () => {
  let fleet = ''
  let mark = ''
  // Every way a PATH can reach into the checkout: `.`, an empty entry, relative and absolute.
  let hostilePath = ''

  beforeAll(() => {
    execFileSync(process.execPath, [resolve('scripts/build.mjs')], { stdio: 'ignore' })
    const tmp = mkdtempSync(join(tmpdir(), 'fluxgate-planted-'))
    fleet = join(tmp, 'fleet')
    mark = join(tmp, 'planted-helm-ran')
    cpSync(resolve('examples/fleet'), fleet, { recursive: true })
    plant(fleet, mark)
    plant(join(fleet, 'bin'), mark)
    mkdirSync(join(fleet, '.tools', 'helm4'), { recursive: true })
    plant(join(fleet, '.tools', 'helm4'), mark)
    git(fleet, 'init', '-q', '-b', 'main')
    git(fleet, 'add', '-A')
    git(fleet, 'commit', '-q', '-m', 'base')
    hostilePath = ['.', '', 'bin', fleet, join(fleet, 'bin'), '/usr/bin', '/bin'].join(':')
  })
  afterAll(() => rmSync(join(fleet, '..'), { recursive: true, force: true }))
  afterEach(() => expect(existsSync(mark)).toBe(false))

  function cli(args: string[]) {
    const r = spawnSync(process.execPath, [BIN, ...args], { cwd: fleet, encoding: 'utf8', env: { PATH: hostilePath, HOME: tmpdir(), NO_COLOR: '1' } })
    return { code: r.status, out: r.stdout, err: r.stderr }
  }

  it('`fluxgate render --repo .` from the fleet folder renders the local chart with the packaged helm', () => {
    const r = cli(['render', '--repo', '.', '--path', 'clusters/staging'])
    expect(r.err).not.toContain('helm: none')
    expect(r.code).toBe(0)
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } })
    const fromChart = docs.filter((d) => d.metadata.namespace === 'web').map((d) => `${d.kind}/${d.metadata.name}`)
    expect(fromChart).toEqual(expect.arrayContaining(['Deployment/web', 'Service/web']))
    expect(docs.some((d) => d.metadata.name === 'planted')).toBe(false)
  })

  it('`fluxgate diff` from the fleet folder renders with the packaged helm too (the chart\'s Deployment changes)', () => {
    writeFileSync(join(fleet, 'apps', 'base', 'web', 'release.yaml'), git(fleet, 'show', 'HEAD:apps/base/web/release.yaml').replace('greeting: hello', 'greeting: hi'))
    git(fleet, 'commit', '-q', '-am', 'reword web')
    const r = cli(['diff', '--repo', '.', '--base', 'HEAD~1', '--format', 'json'])
    expect(r.code).toBe(0)
    const changes = (JSON.parse(r.out) as { clusters: { changes: { kind: string; name: string; action: string }[] }[] }).clusters.flatMap((c) => c.changes)
    expect(changes).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'Deployment', name: 'web', action: 'changed' })]))
  })

  it('refuses --helm as a relative path, and finds no bare `helm` when only the checkout has one', () => {
    for (const helm of ['./helm', 'bin/helm', '.tools/helm4/helm']) {
      const r = cli(['render', '--repo', '.', '--helm', helm])
      expect(r.code).toBe(2)
      expect(r.err).toContain('absolute path')
    }
    const bare = cli(['render', '--repo', '.', '--helm', 'helm'])
    if (!existsSync('/usr/bin/helm') && !existsSync('/bin/helm')) {
      expect(bare.code).toBe(2)
      expect(bare.err).toContain('not found on PATH')
    }
  })

  // Runs the committed dist/index.js (CI checks it is what `npm run bundle` makes).
  it('the Action fails the step for `helm-path: helm` found only in the workspace', async () => {
    const target = { owner: 'acme', repo: 'fleet', number: 1, base: { ref: 'main', sha: git(fleet, 'rev-parse', 'HEAD~1').trim() }, head: { ref: 'feature', sha: git(fleet, 'rev-parse', 'HEAD').trim() } }
    for (const helmPath of ['helm', './helm']) {
      const run = await runAction({ apiUrl: 'http://127.0.0.1:9', workspace: fleet, eventName: 'pull_request', payload: pullRequestEvent('opened', target), inputs: { 'github-token': 'ghs_x', 'helm-path': helmPath }, path: hostilePath })
      expect(run.code).not.toBe(0)
      expect(run.stdout).toContain('input helm-path')
    }
  })

  it('the App refuses FLUXGATE_HELM that would run a file from the fetched repositories', () => {
    const cache = join(fleet, '..', 'app-cache')
    plant(join(cache, 'acme', 'fleet'), mark)
    const env = { FLUXGATE_CACHE_DIR: cache, PATH: [join(cache, 'acme', 'fleet'), '.'].join(':') }
    expect(() => readAppSettings({ ...env, FLUXGATE_HELM: 'helm' })).toThrow(/FLUXGATE_HELM/)
    expect(() => readAppSettings({ ...env, FLUXGATE_HELM: 'acme/fleet/helm' })).toThrow(/absolute path/)
    expect(readAppSettings(env).helmPath).toBeUndefined()
  })
})
