import { execFileSync } from 'node:child_process'
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { main } from '../../src/adapters/cli/main.js'
import type { CliIo } from '../../src/adapters/cli/io.js'
import { describeWith } from '../support/components.js'
import { fluxKs } from './fixtures.js'

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false }
  const code = await main(argv, io)
  return { code, out, err }
}

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@e' } })
}

describeWith(['git', 'helm'], 'fluxgate render', () => {
  let repo = ''

  beforeAll(() => {
    repo = mkdtempSync(join(tmpdir(), 'fluxgate-render-cli-'))
    cpSync(resolve('examples/fleet'), repo, { recursive: true })
    git(repo, 'init', '-q', '-b', 'main')
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'base')
  })

  afterAll(() => rmSync(repo, { recursive: true, force: true }))

  it('prints every object of a ref as YAML with its owner, including the chart rendered by helm', async () => {
    writeFileSync(join(repo, 'apps', 'uncommitted.yaml'), 'not: in the commit\n')
    const r = await run(['render', '--repo', repo, '--ref', 'HEAD', '--path', 'clusters/staging'])
    expect(r.code).toBe(0)
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as { kind: string; metadata: { name: string; labels?: Record<string, string> } })
    expect(docs.length).toBeGreaterThan(10)
    expect(r.out).toMatch(/^---\n# cluster: staging\n# owner: Kustomization\/flux-system\/flux-system/)
    expect(r.out).toContain('# owner: HelmRelease/web/web')
    const deployments = docs.filter((d) => d.kind === 'Deployment' && d.metadata.labels?.['helm.toolkit.fluxcd.io/name'] === 'web')
    expect(deployments).toHaveLength(1)
  })

  it('exits 1 and prints located diagnostics when a Kustomization fails', async () => {
    writeFileSync(join(repo, 'clusters', 'staging', 'broken.yaml'), fluxKs('broken', './nowhere'))
    const r = await run(['render', '--repo', repo, '--path', 'clusters/staging'])
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/error \[render\/path-not-found\] clusters\/staging\/broken\.yaml:1: kustomization path not found/)
    expect(r.out).toContain('# owner: HelmRelease/web/web')
  })

  it('prints --timings to stderr, and the same objects as without it', async () => {
    const argv = ['render', '--repo', repo, '--ref', 'HEAD', '--path', 'clusters/staging']
    const timed = await run([...argv, '--timings'])
    const plain = await run(argv)
    expect(timed.code).toBe(0)
    expect(timed.out).toBe(plain.out)
    expect(timed.err).toMatch(/^timings: \d+ ms wall, \d+ objects/m)
    expect(timed.err).toMatch(/^ {2}yaml: parse +\d+ +[\d.]+% +\d+/m)
    expect(plain.err).not.toMatch(/^timings:/m)
  })

  it('renders the same objects from --render-cache, reusing every stored unit, kept under renders/ of --cache-dir', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'fluxgate-render-cache-'))
    try {
      const argv = ['render', '--repo', repo, '--ref', 'HEAD', '--path', 'clusters/staging', '--cache-dir', cache, '--render-cache', '--timings']
      const cold = await run(argv)
      const warm = await run(argv)
      expect(cold.code).toBe(0)
      expect(warm.out).toBe(cold.out)
      const units = (err: string): number[] => (/^units: (\d+) rendered, (\d+) reused \((\d+) from the render cache\), (\d+) stored/m.exec(err) ?? []).slice(1).map(Number)
      const [rendered, reused, , stored] = units(cold.err)
      expect(reused).toBe(0)
      // Every unit but those touching a Secret (never written to disk) is stored, and read back
      // by the second run (helm renders too: the binary is named by path, size and time).
      expect(stored).toBeGreaterThan(1)
      expect(units(warm.err)).toEqual([rendered! - stored!, stored, stored, 0])
      expect(readdirSync(cache)).toContain('renders')
    } finally {
      rmSync(cache, { recursive: true, force: true })
    }
  })

  it('exits 2 on a usage error', async () => {
    const r = await run(['render', '--bogus'])
    expect(r.code).toBe(2)
  })
})
