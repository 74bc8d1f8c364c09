import type { OwnerRef } from '../../core/model/render-result.js'
import { ownerKey } from '../../core/model/render-result.js'
import type { ClusterPlan, OwnerSummary } from '../../core/model/plan.js'
import { mermaidLabel } from '../escape.js'
import { affectedOwners } from './md-sections.js'

/** Above this many nodes a graph stops helping; the tables carry the information. */
export const MAX_GRAPH_NODES = 40

/**
 * A Mermaid flowchart of one cluster's affected Flux objects: solid edges for `dependsOn`
 * (dependency → dependent, the order Flux applies them), dotted edges from the Kustomization
 * that applies an object to it (parents are drawn for context, uncoloured). Nodes are
 * coloured by state, with a legend below it. Empty when nothing is affected; a line saying so
 * when the graph would exceed `maxNodes` (the tables carry the same information).
 */
export function mermaidGraph(c: ClusterPlan, maxNodes = MAX_GRAPH_NODES): string {
  const affected = affectedOwners(c)
  if (affected.length === 0) return ''
  const byKey = new Map(c.owners.map((o) => [ownerKey(o.ref), o]))
  const nodes = new Map<string, OwnerSummary | OwnerRef>()
  for (const o of affected) {
    nodes.set(ownerKey(o.ref), o)
    for (const d of o.dependsOn) nodes.set(ownerKey(d), byKey.get(ownerKey(d)) ?? d)
  }
  // Dependents of affected owners are affected too when their dependency changes.
  for (const o of c.owners) {
    if (o.dependsOn.some((d) => affected.some((a) => ownerKey(a.ref) === ownerKey(d)))) nodes.set(ownerKey(o.ref), o)
  }
  for (const o of [...nodes.values()]) {
    let parent = 'ref' in o ? o.parent : undefined
    for (let depth = 0; parent && depth < 16; depth++) {
      const p = byKey.get(ownerKey(parent))
      nodes.set(ownerKey(parent), p ?? parent)
      parent = p?.parent
    }
  }
  if (nodes.size > maxNodes) return `_No graph: ${nodes.size} Flux objects are affected or around them, more than the ${maxNodes} a graph stays readable with._`
  const ids = new Map([...nodes.keys()].map((k, i) => [k, `n${i}`]))
  const lines = ['```mermaid', 'flowchart LR']
  for (const [key, node] of nodes) {
    const ref = 'ref' in node ? node.ref : node
    const state = 'ref' in node ? stateClass(node) : 'ctx'
    lines.push(`  ${ids.get(key)}["${ref.kind === 'HelmRelease' ? 'HR' : ref.kind === 'ResourceSet' ? 'RS' : 'KS'} ${mermaidLabel(`${ref.namespace}/${ref.name}`)}"]:::${state}`)
  }
  for (const [key, node] of nodes) {
    if (!('ref' in node)) continue
    const parent = node.parent ? ids.get(ownerKey(node.parent)) : undefined
    if (parent) lines.push(`  ${parent} -.-> ${ids.get(key)}`)
    for (const d of node.dependsOn) {
      const from = ids.get(ownerKey(d))
      if (from) lines.push(`  ${from} --> ${ids.get(key)}`)
    }
  }
  lines.push(
    '  classDef added fill:#d4f8d4,stroke:#2da44e',
    '  classDef removed fill:#ffd8d3,stroke:#cf222e',
    '  classDef changed fill:#fff3c4,stroke:#bf8700',
    '  classDef failed fill:#eeeeee,stroke:#cf222e,stroke-dasharray:4',
    '  classDef ctx fill:#ffffff,stroke:#8c959f',
    '```',
    '',
    LEGEND,
  )
  return lines.join('\n')
}

/** What the colours and arrows mean (GitHub draws no legend of its own). */
export const LEGEND =
  '<sub>KS Kustomization, HR HelmRelease, RS ResourceSet · green added, red removed, yellow changed or with changed objects, grey dashed failed to render, white unchanged (shown for context) · solid arrow: `dependsOn` (applied first → waits for it) · dotted arrow: applies (parent → child)</sub>'

// Owners whose head objects could not be compared: drawn as failed.
const NOT_COMPARED: ReadonlySet<string> = new Set(['failed', 'unknown'])

function stateClass(o: OwnerSummary): string {
  if (NOT_COMPARED.has(o.status)) return 'failed'
  if (o.state === 'added' || o.state === 'removed') return o.state
  const touched = o.counts.added + o.counts.changed + o.counts.removed + o.counts.moved > 0
  return o.state === 'changed' || touched ? 'changed' : 'ctx'
}
