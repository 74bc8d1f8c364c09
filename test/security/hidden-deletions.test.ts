/**
 * Attack (#14, item 6): a pull request that makes its own content unreadable to hide what it
 * deletes. Adding a remote base to a kustomization, or switching a Kustomization's source to a
 * repository elsewhere, used to drop its objects from the comparison: "no changes", check
 * `success`, while Flux would prune a PersistentVolumeClaim and a Namespace. The plan must list
 * those objects as unknown after the change and the gate must not pass.
 */
import { main } from '../../src/adapters/cli/main.js'
import { describeWith } from '../support/components.js'
import { scenarioRepo, type Files } from '../parity/fleet.js'

async function diff(head: Files): Promise<{ changes: string[]; unknown: string[]; conclusion: string }> {
  const repo = scenarioRepo(head)
  try {
    let out = ''
    await main(['diff', '--repo', repo.dir, '--base', 'main', '--head', 'feature', '--format', 'json', '--untrusted'], { stdout: (t) => (out += t), stderr: () => {}, env: {}, cwd: repo.dir, isTty: false })
    const report = JSON.parse(out) as { gate: { conclusion: string }; clusters: { changes: { action: string; kind: string; name: string }[]; unknown: { state: string; objects: { kind: string; name: string }[] }[] }[] }
    return {
      changes: report.clusters.flatMap((c) => c.changes.map((ch) => `${ch.action} ${ch.kind}/${ch.name}`)).sort(),
      unknown: report.clusters.flatMap((c) => c.unknown.flatMap((g) => g.objects.map((o) => `${g.state} ${o.kind}/${o.name}`))).sort(),
      conclusion: report.gate.conclusion,
    }
  } finally {
    repo.cleanup()
  }
}

const APPS_WITH_REMOTE_BASE = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - https://raw.githubusercontent.com/acme/x/main/empty.yaml\n  - namespace.yaml\n  - settings.yaml\n  - other.yaml\n  - secret.yaml\n'

describeWith(['git'], 'deletions hidden behind content the plan cannot read', () => {
  it('a remote base added in the same change as a deletion: the objects are unknown, never "no changes", and the gate fails', async () => {
    const r = await diff({ 'apps/kustomization.yaml': APPS_WITH_REMOTE_BASE, 'apps/pvc.yaml': null })

    expect(r.changes).toEqual([])
    expect(r.unknown).toEqual(expect.arrayContaining(['not-comparable Namespace/apps', 'not-comparable PersistentVolumeClaim/data']))
    expect(r.conclusion).toBe('failure')
  })

  it('a Kustomization switched to a repository elsewhere: its base objects are unknown and the gate fails', async () => {
    const r = await diff({
      'clusters/prod/apps.yaml': 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: elsewhere\n  namespace: flux-system\nspec:\n  interval: 1m\n  url: https://github.com/attacker/empty\n  ref:\n    branch: main\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ./apps\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: elsewhere\n',
    })

    expect(r.unknown).toEqual(expect.arrayContaining(['not-comparable PersistentVolumeClaim/data', 'not-comparable Secret/db']))
    expect(r.changes.some((c) => c.startsWith('removed'))).toBe(false)
    expect(r.conclusion).toBe('failure')
  })
})
