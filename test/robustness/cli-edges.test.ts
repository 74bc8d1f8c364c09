import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeWith } from '../support/components.js'
import { baseFleet, buildCli, cli, commit, git, leaks, newFleetRepo } from './support.js'

describeWith(['git', 'helm'], 'fluxgate render and diff on edge repositories', () => {
  const dirs: string[] = []
  beforeAll(() => buildCli())
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  function fleet(): { dir: string; base: string } {
    const r = newFleetRepo()
    dirs.push(r.dir)
    return r
  }

  it('render prints Secret keys but never their values, nor values substituted from them', () => {
    const { dir, base } = fleet()
    const r = cli(['render', '--repo', dir, '--ref', base])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/kind: Secret\nmetadata:\n {2}name: cluster-secrets[\s\S]*?data:\n {2}db_password: "\*\*\*"\n/)
    expect(r.stdout).toMatch(/dsn: postgres:\/\/app:\*\*\*@db\/app\n/)
    expect(leaks(r.stdout + r.stderr)).toEqual([])
    // The working tree (no --ref) is read from disk and is just as safe.
    const w = cli(['render', '--repo', dir])
    expect(w.code).toBe(0)
    expect(leaks(w.stdout + w.stderr)).toEqual([])
  })

  it('a repository without clusters/: cluster/none-found, exit 1 (the work failed)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxgate-robust-empty-'))
    dirs.push(dir)
    git(dir, 'init', '-q', '-b', 'main')
    const sha = commit(dir, { 'README.md': '# not a fleet\n' }, 'readme')
    const r = cli(['render', '--repo', dir, '--ref', sha])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error [cluster/none-found] no cluster found')
    const d = cli(['diff', '--repo', dir, '--base', sha, '--head', sha, '--format', 'json'])
    expect(d.code).toBe(1)
    expect(JSON.parse(d.stdout)).toMatchObject({ clusters: [], diagnostics: [{ code: 'cluster/none-found', severity: 'error' }] })
  })

  it('an empty folder (not even a commit): render of the working tree says no cluster, --ref is a usage error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxgate-robust-bare-'))
    dirs.push(dir)
    git(dir, 'init', '-q', '-b', 'main')
    const w = cli(['render', '--repo', dir])
    expect(w.code).toBe(1)
    expect(w.stderr).toContain('[cluster/none-found]')
    const r = cli(['render', '--repo', dir, '--ref', 'HEAD'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--ref HEAD: no such commit, branch or tag')
  })

  it('diff with an unknown ref is a usage error (exit 2) naming the ref', () => {
    const { dir, base } = fleet()
    const head = cli(['diff', '--repo', dir, '--base', base, '--head', 'no-such-branch'])
    expect(head.code).toBe(2)
    expect(head.stderr).toContain("fluxgate diff: --head no-such-branch: no such commit, branch or tag")
    expect(head.stderr).toContain("Run 'fluxgate diff --help' for usage.")
    expect(head.stdout).toBe('')
    const baseRef = cli(['diff', '--repo', dir, '--base', 'v9.9.9', '--head', base])
    expect(baseRef.code).toBe(2)
    expect(baseRef.stderr).toContain('--base v9.9.9: no such commit')
    const render = cli(['render', '--repo', dir, '--ref', 'no-such-branch'])
    expect(render.code).toBe(2)
  })

  it('diff with base == head is an empty plan, exit 0', () => {
    const { dir, base } = fleet()
    const j = cli(['diff', '--repo', dir, '--base', base, '--head', base, '--format', 'json'])
    expect(j.code).toBe(0)
    const plan = JSON.parse(j.stdout) as { totals: Record<string, number>; clusters: { name: string; changes: unknown[] }[] }
    expect(plan.totals).toMatchObject({ add: 0, change: 0, delete: 0, orphan: 0, move: 0, errors: 0 })
    expect(plan.clusters.map((c) => [c.name, c.changes.length])).toEqual([['production', 0], ['staging', 0]])
    const m = cli(['diff', '--repo', dir, '--base', 'main', '--head', 'main', '--format', 'markdown'])
    expect(m.code).toBe(0)
    expect(m.stdout).toContain('## ✅ Fluxgate: passes · no changes')
    const t = cli(['diff', '--repo', dir, '--base', 'main', '--head', 'main'])
    expect(t.stdout).toContain('Plan: no changes.')
    expect(leaks(j.stdout + m.stdout + t.stdout + j.stderr + m.stderr)).toEqual([])
  })

  it('a --path that does not exist fails that cluster only', () => {
    const { dir, base } = fleet()
    const r = cli(['render', '--repo', dir, '--ref', base, '--path', 'clusters/staging', '--path', 'clusters/qa'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('error [cluster/path-not-found] clusters/qa: cluster path clusters/qa does not exist')
    expect(r.stdout).toContain('# cluster: staging\n# owner: HelmRelease/apps/web')
  })

  it('a change that only warns exits 0 and names the file', () => {
    const { dir, base } = fleet()
    const files = baseFleet()
    files['clusters/staging/extra.yaml'] = files['clusters/staging/infra.yaml']!.replace('name: infra', 'name: extra').replace('  prune: true\n', '  prune: true\n  dependsOn:\n    - name: ghost\n')
    const head = commit(dir, files, 'dangling dependsOn')
    const r = cli(['diff', '--repo', dir, '--base', base, '--head', head, '--format', 'text'])
    expect(r.code).toBe(0)
    expect(r.stderr).toContain('warning [render/dependency-missing] clusters/staging/extra.yaml:1:')
  })
})
