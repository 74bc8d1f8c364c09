import { planChange } from '../core/diff/plan-change.js'
import { cluster, fleet, hr, ks, objs } from '../core/diff/__fixtures__/fleet.js'
import { mermaidGraph } from './markdown/md-mermaid.js'
import { fenced } from './markdown/md-util.js'
import { PLAN_MARKER, parsePartMarker, partMarker, renderComment, renderJson, renderRunning, renderText, syncPlanComments } from './index.js'

const entry = ks('flux-system')
const infra = ks('infra', { parent: entry.ref })
const apps = ks('apps', { parent: entry.ref, dependsOn: [infra.ref] })
const web = hr('web', 'web', { parent: apps.ref })

function plan(): ReturnType<typeof planChange> {
  const base = fleet('a'.repeat(40), [cluster('prod', [entry, infra, apps, web], objs(web, '{apiVersion: v1, kind: ConfigMap, metadata: {name: notes, namespace: web}, data: {readme: "```\\nold\\n```"}}'))])
  const head = fleet('b'.repeat(40), [cluster('prod', [entry, infra, apps, web], objs(web, '{apiVersion: v1, kind: ConfigMap, metadata: {name: notes, namespace: web}, data: {readme: "```\\nnew\\n```"}}'))])
  return planChange(base, head, { baseRef: 'main', headRef: 'pr-7' })
}

describe('markdown helpers', () => {
  it('opens a fence longer than any backtick run in the body', () => {
    expect(fenced('a ```` b', 'diff')).toBe('`````diff\na ```` b\n`````')
  })

  it('marks part 1 with the sticky marker and later parts by number', () => {
    expect(partMarker(1)).toBe(PLAN_MARKER)
    expect(parsePartMarker(`x\n${partMarker(3)}\n`)).toBe(3)
    expect(parsePartMarker(`${PLAN_MARKER}\n## plan`)).toBe(1)
    expect(parsePartMarker('an unrelated comment')).toBeUndefined()
  })

  it('says the plan is running, under the same marker', () => {
    const text = renderRunning({ head: { ref: 'pr-7', sha: 'b'.repeat(40) }, base: { ref: 'main', sha: 'a'.repeat(40) } })

    expect(text.startsWith(PLAN_MARKER)).toBe(true)
    expect(text).toContain('running… ⏳')
    expect(text).toContain('Rendering head `bbbbbbb` (`pr-7`) against `aaaaaaa` (`main`)')
  })
})

describe('presenters', () => {
  it('keeps markdown in object content from breaking out of its diff block', () => {
    const [comment] = renderComment(plan())

    expect(comment).toContain('````diff\n')
    expect(comment).toContain('<sub>Rendered merge base `aaaaaaa` (main) → head `bbbbbbb` (pr-7)')
  })

  it('draws affected owners with their parents (dotted) and dependsOn edges (solid)', () => {
    const graph = mermaidGraph(plan().clusters[0]!)
    const withDeps = mermaidGraph({ ...plan().clusters[0]!, owners: plan().clusters[0]!.owners.map((o) => (o.ref.name === 'infra' ? { ...o, state: 'changed' as const } : o)) })

    expect(graph).toContain('flowchart LR')
    expect(graph).toContain('n0["HR web/web"]:::changed')
    expect(graph).toContain('n1["KS flux-system/apps"]:::ctx')
    expect(graph).toContain('n1 -.-> n0')
    expect(withDeps).toMatch(/n(\d)\["KS flux-system\/infra"\]:::changed/)
    expect(withDeps).toMatch(/n\d --> n\d/)
  })

  it('writes the documented JSON shape', () => {
    const report = JSON.parse(renderJson(plan())) as { version: number; clusters: { name: string; path: string; changes: Record<string, unknown>[] }[] }

    expect(report.version).toBe(1)
    expect(report.clusters[0]).toMatchObject({ name: 'prod', path: 'clusters/prod' })
    expect(Object.keys(report.clusters[0]!.changes[0]!)).toEqual(
      expect.arrayContaining(['action', 'apiVersion', 'kind', 'namespace', 'name', 'owner', 'prune']),
    )
    expect(report.clusters[0]!.changes[0]).toMatchObject({ action: 'changed', kind: 'ConfigMap', namespace: 'web', name: 'notes', owner: 'HelmRelease/web/web', prune: null })
  })

  it('colours text only when asked', () => {
    const p = plan()

    expect(renderText(p, { color: true })).toContain('\u001b[33m~ ConfigMap/web/notes\u001b[0m')
    expect(renderText(p, { color: false })).not.toContain('\u001b[')
    expect(renderText(p, { color: false })).toContain('Plan: 1 to change.')
  })
})

describe('syncPlanComments', () => {
  it('edits existing parts, creates missing ones and removes parts a shrunken plan no longer has', () => {
    const existing = [
      { id: 10, body: `${PLAN_MARKER}\nold part 1` },
      { id: 11, body: `${partMarker(2)}\nold part 2` },
      { id: 12, body: `${partMarker(3)}\nold part 3` },
      { id: 13, body: 'a reviewer comment' },
      { id: 14, body: `${PLAN_MARKER}\na duplicate sticky comment` },
    ]

    const sync = syncPlanComments(existing, [`${PLAN_MARKER}\nnew 1`, `${partMarker(2)}\nold part 2`])

    expect(sync).toEqual({ update: [{ id: 10, body: `${PLAN_MARKER}\nnew 1`, part: 1 }], create: [], remove: [12, 14] })
  })

  it('creates every part on a pull request without a plan comment', () => {
    const sync = syncPlanComments([{ id: 1, body: 'hello' }], ['a', 'b'])

    expect(sync.create.map((c) => c.part)).toEqual([1, 2])
    expect(sync.update).toEqual([])
  })
})

describe('empty plans', () => {
  it('says there is nothing to do, and when no cluster was found', () => {
    const same = fleet('a'.repeat(40), [cluster('prod', [entry, infra], objs(infra, '{apiVersion: v1, kind: Namespace, metadata: {name: x}}'))])
    const none = planChange(fleet('a'.repeat(40), []), fleet('b'.repeat(40), []))

    const [unchanged] = renderComment(planChange(same, { ...same, revision: 'b'.repeat(40) }))
    const [empty] = renderComment(none)

    expect(unchanged).toContain('## Fluxgate plan: no changes')
    expect(unchanged).toContain('Nothing leaves any cluster.')
    expect(unchanged).toContain('No changes.')
    expect(empty).toContain('No cluster found')
    expect(renderText(none, { color: false })).toContain('Plan: no changes.')
  })
})
