import type { ClusterRender, FleetRender, RenderedObject, RenderedOwner } from '../../src/core/model/index.js'
import { planChange } from '../../src/core/diff/plan-change.js'
import { GITHUB_COMMENT_LIMIT, JOB_SUMMARY_LIMIT, PLAN_MARKER, parsePartMarker, renderComment, renderJobSummary } from '../../src/report/index.js'
import { cluster, fleet, ks } from './support/fleet.js'

/** A fleet of `clusters × owners × objects` ConfigMaps/Deployments; head changes, removes and adds some. */
function generated(clusters: number, owners: number, objects: number, head: boolean): FleetRender {
  const out: ClusterRender[] = []
  for (let c = 0; c < clusters; c++) {
    const entry = ks('flux-system')
    const kss: RenderedOwner[] = [entry]
    const objs: RenderedObject[] = []
    for (let k = 0; k < owners; k++) {
      const owner = ks(`app-${k}`, { parent: entry.ref, prune: k % 7 !== 0, dependsOn: k > 0 ? [{ kind: 'Kustomization', namespace: 'flux-system', name: `app-${k - 1}` }] : [] })
      kss.push(owner)
      for (let i = 0; i < objects; i++) {
        if (head && i % 5 === 4) continue // removed in head
        const ns = `team-${k}`
        const lines = Array.from({ length: 12 }, (_, l) => `line ${l} of object ${i}: ${head && l % 4 === 0 ? 'new' : 'old'} value`).join('\n')
        objs.push({ owner: owner.ref, object: { apiVersion: 'v1', kind: i % 3 === 0 ? 'PersistentVolumeClaim' : 'ConfigMap', metadata: { name: `obj-${i}`, namespace: ns }, data: { 'config.txt': lines } } })
      }
      if (head) for (let i = 0; i < objects / 10; i++) objs.push({ owner: owner.ref, object: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `new-${i}`, namespace: `team-${k}` }, spec: { replicas: 1 } } })
    }
    out.push(cluster(`cluster-${c}`, kss, objs))
  }
  return fleet(head ? 'b'.repeat(40) : 'a'.repeat(40), out)
}

function expectWellFormed(part: string, limit: number): void {
  expect(part.length).toBeLessThanOrEqual(limit)
  const fences = part.split('\n').filter((l) => /^`{3,}/.test(l))
  expect(fences.length % 2).toBe(0)
  expect(part.split('<details>').length).toBe(part.split('</details>').length)
}

describe('comment size limit on a generated fleet with thousands of changes', () => {
  const plan = planChange(generated(3, 30, 60, false), generated(3, 30, 60, true))
  const changes = plan.clusters.reduce((n, c) => n + c.changes.length, 0)

  it('has thousands of changes', () => {
    expect(changes).toBeGreaterThan(5_000)
  })

  it('splits by owner into well-formed parts under 65,536 characters with a table of contents', () => {
    const parts = renderComment(plan)

    expect(parts.length).toBeGreaterThan(1)
    expect(parts.length).toBeLessThanOrEqual(10)
    parts.forEach((p, i) => {
      expectWellFormed(p, GITHUB_COMMENT_LIMIT)
      expect(parsePartMarker(p)).toBe(i + 1)
    })
    expect(parts[0]!.startsWith(PLAN_MARKER)).toBe(true)
    expect(parts[0]).toContain(`**Part 1 of ${parts.length}.**`)
    // The three clusters' changes are identical (one generator): shown once, under every cluster's name.
    expect(parts[0]).toContain('- Part 2: `cluster-0`, `cluster-1`, `cluster-2` · Kustomization/flux-system/app-0')
    expect(parts[0]).toMatch(/did not fit in 10 comments/)
  })

  it('keeps the prune plan in part 1, as counts per kind, with every high-risk deletion named or counted', () => {
    const [first] = renderComment(plan)

    expect(first).toContain('### 🗑️ Prune plan')
    expect(first).toContain('| `cluster-0` | 🗑️ delete | PersistentVolumeClaim |')
    expect(first).toContain('| `cluster-2` | 📦 orphan | ConfigMap |')
    expect(first).toContain('high-risk deletions')
  })

  it('summarizes in one comment when splitting is off', () => {
    const parts = renderComment(plan, { maxParts: 1, fullReport: '[the job summary](https://example.test/run/1)' })

    expect(parts).toHaveLength(1)
    expectWellFormed(parts[0]!, GITHUB_COMMENT_LIMIT)
    expect(parts[0]).toContain('too many to show here: the full report is in [the job summary](https://example.test/run/1)')
  })

  it('holds any limit', () => {
    for (const maxChars of [4_000, 12_000, 30_000]) {
      for (const p of renderComment(plan, { maxChars })) expectWellFormed(p, maxChars)
    }
  })

  it('keeps the job summary under 1 MiB', () => {
    const summary = renderJobSummary(plan)

    expectWellFormed(summary, JOB_SUMMARY_LIMIT)
    expect(summary).not.toContain(PLAN_MARKER)
  })
})

describe('comment size limit on one huge object', () => {
  it('leaves a diff out whole instead of cutting its code block', () => {
    const entry = ks('flux-system')
    const app = ks('app', { parent: entry.ref })
    const big = (v: string): FleetRender =>
      fleet(v, [cluster('c', [entry, app], [{ owner: app.ref, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'big', namespace: 'a' }, data: { blob: Array.from({ length: 4000 }, (_, i) => `${v}-${i}-${'x'.repeat(40)}`).join('\n') } } }])])

    const parts = renderComment(planChange(big('before'), big('after')))

    expect(parts).toHaveLength(1)
    expectWellFormed(parts[0]!, GITHUB_COMMENT_LIMIT)
    expect(parts[0]).toContain('left out here: see the job summary and the JSON report')
  })
})
