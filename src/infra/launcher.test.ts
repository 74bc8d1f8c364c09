import { spawnSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Launcher, launcherScript, runHere, type Launch } from './launcher.js'

/**
 * The helper process helm starts from. Its script is lib/launcher-child.js (the build), as in
 * an installed package; the tests of the CLI below run the build too.
 */
describe('Launcher', () => {
  let dir: string
  let launcher: Launcher
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-launcher-'))
    // Prints its arguments, one variable, and the process it was started from.
    writeFileSync(join(dir, 'show'), '#!/bin/sh\nprintf "%s|" "$@"\nprintf "x=%s ppid=%s\\n" "$X" "$PPID"\n')
    writeFileSync(join(dir, 'fail'), '#!/bin/sh\necho "no such chart" >&2\nexit 3\n')
    writeFileSync(join(dir, 'slow'), '#!/bin/sh\nsleep 0.5\nprintf "late ppid=%s\\n" "$PPID"\n')
    writeFileSync(join(dir, 'big'), '#!/bin/sh\nhead -c 3000000 /dev/zero | tr "\\000" a\n')
    for (const f of ['show', 'fail', 'slow', 'big']) chmodSync(join(dir, f), 0o755)
  })
  beforeEach(() => {
    launcher = new Launcher()
  })
  afterEach(() => launcher.dispose())
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const launch = (name: string, args: string[] = [], x = ''): Launch => ({ cmd: join(dir, name), args, env: { PATH: '/usr/bin:/bin', X: x }, maxBuffer: 16 * 1024 * 1024 })
  const ppidOf = (out: string): number => Number(/ppid=(\d+)/.exec(out)?.[1])

  it('is found beside the build', () => {
    expect(launcherScript()).toBe(resolve('lib/launcher-child.js'))
  })

  it('starts commands from its helper, with the same outcome as starting them here', async () => {
    const args = ['--', 'a b', '-x', '"quoted"', '']
    const there = await launcher.run(launch('show', args, 'one'))
    const here = await runHere(launch('show', args, 'one'))
    expect(there.ok).toBe(true)
    expect(there.stdout.replace(/ppid=\d+/, '')).toBe(here.stdout.replace(/ppid=\d+/, ''))
    expect(there.stdout).toContain('--|a b|-x|"quoted"||x=one')
    expect(ppidOf(here.stdout)).toBe(process.pid)
    expect(ppidOf(there.stdout)).not.toBe(process.pid)
    // One helper for every command.
    expect(ppidOf((await launcher.run(launch('show'))).stdout)).toBe(ppidOf(there.stdout))
  })

  it('reports a failed command with what it wrote, and a large output whole', async () => {
    const failed = await launcher.run(launch('fail'))
    expect(failed).toEqual({ ok: false, stdout: '', stderr: 'no such chart\n' })
    const big = await launcher.run(launch('big'))
    expect(big.ok).toBe(true)
    expect(big.stdout.length).toBe(3_000_000)
    expect(/^a+$/.test(big.stdout)).toBe(true)
    const missing = await launcher.run({ ...launch('show'), cmd: join(dir, 'nothing-here') })
    expect(missing.ok).toBe(false)
    expect(missing.stderr).toMatch(/ENOENT/)
  })

  it('runs what its helper had not answered here when the helper ends, and everything after', async () => {
    const helper = ppidOf((await launcher.run(launch('show'))).stdout)
    const slow = Promise.all([launcher.run(launch('slow')), launcher.run(launch('slow'))])
    await new Promise((r) => setTimeout(r, 100))
    process.kill(helper, 'SIGKILL')
    const answers = await slow
    for (const a of answers) {
      expect(a.ok).toBe(true)
      expect(ppidOf(a.stdout)).toBe(process.pid)
    }
    expect(ppidOf((await launcher.run(launch('show'))).stdout)).toBe(process.pid)
  })

  it('lets an idle helper go, and starts another for the next command', async () => {
    const brief = new Launcher(undefined, 50)
    try {
      const first = ppidOf((await brief.run(launch('show'))).stdout)
      expect(first).not.toBe(process.pid)
      await new Promise((r) => setTimeout(r, 1000))
      // The first helper has ended (signal 0 only asks whether the process is there).
      expect(() => process.kill(first, 0)).toThrow()
      const second = ppidOf((await brief.run(launch('show'))).stdout)
      expect([second === first, second === process.pid]).toEqual([false, false])
    } finally {
      brief.dispose()
    }
  })

  it('runs here when there is no helper script', async () => {
    const none = new Launcher(null)
    const r = await none.run(launch('show', ['x']))
    expect(r.stdout).toBe(`x|x= ppid=${process.pid}\n`)
    none.dispose()
  })
})

describe('a CLI render with helm', () => {
  it('ends when its work is done: the helper keeps no process alive', () => {
    const repo = mkdtempSync(join(tmpdir(), 'fluxgate-launcher-cli-'))
    try {
      mkdirSync(join(repo, 'clusters', 'dev'), { recursive: true })
      mkdirSync(join(repo, 'charts', 'hello', 'templates'), { recursive: true })
      writeFileSync(join(repo, 'charts', 'hello', 'Chart.yaml'), 'apiVersion: v2\nname: hello\nversion: 0.1.0\n')
      writeFileSync(join(repo, 'charts', 'hello', 'templates', 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-greeting\ndata:\n  text: {{ .Values.text | quote }}\n')
      writeFileSync(
        join(repo, 'clusters', 'dev', 'hello.yaml'),
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: hello\n  namespace: default\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/hello\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n  values:\n    text: hi\n',
      )
      // A process the helper kept alive would be ended by the time-out: r.error, no status 0.
      const r = spawnSync(process.execPath, [resolve('bin/fluxgate.js'), 'render', '--repo', repo, '--path', 'clusters/dev', '--offline'], { encoding: 'utf8', timeout: 60_000 })
      expect(r.error).toBeUndefined()
      expect(r.status).toBe(0)
      expect(r.stdout).toContain('name: hello-greeting')
      expect(r.stdout).toContain('text: hi')
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  })
})
