import { rmSync } from 'node:fs'
import { describeWith } from '../../support/components.js'
import { commitTree, fluxgate, git, newRepo } from '../support/git-fixture.js'

const gotk = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: flux-system, namespace: flux-system}
spec: {url: https://github.com/example/fleet, ref: {branch: main}, interval: 1m}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: flux-system, namespace: flux-system}
spec: {interval: 10m, path: ./clusters/dev, prune: true, sourceRef: {kind: GitRepository, name: flux-system}}
`
const cm = (name: string, value: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default}\ndata: {value: "${value}"}\n`

describeWith(['git'], 'fluxgate diff compares head with the merge base', () => {
  const dirs: string[] = []

  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  it('leaves out changes made on the base branch after the branch point', async () => {
    const dir = newRepo()
    dirs.push(dir)
    commitTree(dir, { 'clusters/dev/flux-system/gotk-sync.yaml': gotk, 'clusters/dev/app.yaml': cm('app', 'v1') }, 'base')
    git(dir, 'checkout', '-q', '-b', 'feature')
    commitTree(dir, { 'clusters/dev/flux-system/gotk-sync.yaml': gotk, 'clusters/dev/app.yaml': cm('app', 'v2') }, 'feature')
    git(dir, 'checkout', '-q', 'main')
    commitTree(dir, { 'clusters/dev/flux-system/gotk-sync.yaml': gotk, 'clusters/dev/app.yaml': cm('app', 'v1'), 'clusters/dev/later.yaml': cm('later', 'x') }, 'main moves on')

    const run = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'feature', '--format', 'json'])

    expect(run.code).toBe(0)
    const report = JSON.parse(run.stdout) as { base: { ref: string }; clusters: { changes: { action: string; name: string }[] }[] }
    expect(report.base.ref).toBe('merge base of main')
    expect(report.clusters[0]!.changes.map((c) => `${c.action} ${c.name}`)).toEqual(['changed app'])
  })

  it('warns and compares with base itself when the refs share no history', async () => {
    const dir = newRepo()
    dirs.push(dir)
    commitTree(dir, { 'clusters/dev/flux-system/gotk-sync.yaml': gotk, 'clusters/dev/app.yaml': cm('app', 'v1') }, 'base')
    git(dir, 'checkout', '-q', '--orphan', 'unrelated')
    commitTree(dir, { 'clusters/dev/flux-system/gotk-sync.yaml': gotk, 'clusters/dev/app.yaml': cm('app', 'v3') }, 'unrelated')

    const run = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'unrelated', '--format', 'text'])

    expect(run.code).toBe(0)
    expect(run.stderr).toContain('[diff/no-merge-base]')
    expect(run.stdout).toContain('~ ConfigMap/default/app')
  })
})
