import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { collectSecretValues, secretForms } from '../../mask/policy.js'
import { Redactor } from '../../mask/redactor.js'
import { isJsonObject, type KubeObject } from '../../model/object.js'
import { ownerKey, type ClusterRender, type OwnerRef, type RenderedObject } from '../../model/render-result.js'
import { dependsOnOf, type OwnerState } from './owners.js'
import type { PlacedBlock } from './placed-objects.js'

/** Two owners applying one object to one cluster fight over it, and each prunes it when it leaves the other. */
export function duplicateObjects(placed: readonly { block: PlacedBlock; target: string }[], nameOf: (target: string) => string): Diagnostic[] {
  const out: Diagnostic[] = []
  const seen = new Map<string, Map<string, RenderedObject>>()
  for (const { block, target } of placed) {
    let inTarget = seen.get(target)
    if (!inTarget) seen.set(target, (inTarget = new Map()))
    for (let i = 0; i < block.records.length; i++) {
      const r = block.records[i]!
      const key = block.ids[i]!
      const first = inTarget.get(key)
      if (!first) {
        inTarget.set(key, r)
        continue
      }
      const duplicate = duplicateOf(first, r, target, nameOf)
      if (duplicate) out.push(duplicate)
    }
  }
  return out
}

function duplicateOf(first: RenderedObject, r: RenderedObject, target: string, nameOf: (target: string) => string): Diagnostic | undefined {
  if (ownerKey(first.owner) === ownerKey(r.owner)) return undefined
  const o = r.object
  return {
    code: 'render/duplicate-object',
    severity: 'warning',
    message: `${o.kind} ${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name} is applied by both ${ownerKey(first.owner)} and ${ownerKey(r.owner)}`,
    cluster: nameOf(target),
    owner: ownerKey(r.owner),
    ...(r.source ? { location: r.source } : {}),
  }
}

/** K-19: a dependency that does not exist keeps the dependent waiting forever. */
export function missingDependencies(order: readonly OwnerState[], find: (s: OwnerState, d: OwnerRef) => OwnerState | undefined, nameOf: (target: string) => string): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const s of order) {
    for (const d of dependsOnOf(s)) {
      if (find(s, d)) continue
      out.push({ code: 'render/dependency-missing', severity: 'warning', message: `${ownerKey(s.ref)} depends on ${ownerKey(d)}, which this cluster does not define: Flux would not apply it until it exists (K-19)`, cluster: nameOf(s.target), owner: ownerKey(s.ref), ...(s.location ? { location: s.location } : {}) })
    }
  }
  return out
}

/** Text (an error message, a note) with an owner's Secret-sourced values removed. */
export function redact(text: string, secrets: readonly string[]): string {
  return secrets.length === 0 ? text : new Redactor(secretForms(secrets)).text(text)
}

/**
 * Messages and notes with every Secret value of the cluster removed. Each owner masks the values
 * it took itself, but a tool's error can quote a value an ancestor put there (a HelmRelease's
 * values filled by its parent's substituteFrom Secret, then quoted by `helm template`).
 */
export function redactMessages(c: ClusterRender): ClusterRender {
  const redactor = new Redactor(collectSecretValues([{ revision: '', clusters: [c], diagnostics: [], durationMs: 0 }]))
  if (redactor.empty) return c
  return {
    ...c,
    owners: c.owners.map((o) => (o.note ? { ...o, note: redactor.text(o.note) } : o)),
    diagnostics: c.diagnostics.map((d) => ({ ...d, message: redactor.text(d.message) })),
  }
}

/** `group/version` and `group/version/Kind` of every served version of the CRDs rendered so far. */
export function crdApiVersions(objects: readonly RenderedObject[]): string[] {
  const out = new Set<string>()
  for (const { object } of objects) {
    if (object.kind !== 'CustomResourceDefinition' || !isJsonObject(object['spec'])) continue
    const spec = object['spec']
    const group = typeof spec['group'] === 'string' ? spec['group'] : ''
    const kind = isJsonObject(spec['names']) && typeof spec['names']['kind'] === 'string' ? spec['names']['kind'] : ''
    const versions = Array.isArray(spec['versions']) ? spec['versions'].filter(isJsonObject) : []
    for (const v of versions) {
      if (v['served'] === false || typeof v['name'] !== 'string' || !group) continue
      out.add(`${group}/${v['name']}`)
      if (kind) out.add(`${group}/${v['name']}/${kind}`)
    }
  }
  return [...out].sort()
}

export function artifactNames(gen: KubeObject): string[] {
  const spec = isJsonObject(gen['spec']) ? gen['spec'] : {}
  const arts = Array.isArray(spec['artifacts']) ? spec['artifacts'] : []
  return arts.filter(isJsonObject).map((a) => String(a['name'] ?? ''))
}

/** A HelmRelease whose chart comes from a GitRepository (`spec.chart.spec.sourceRef`): helm reads it from the tree, nothing is fetched. */
export function gitChart(hr: KubeObject): boolean {
  const spec = isJsonObject(hr['spec']) ? hr['spec'] : {}
  const chart = isJsonObject(spec['chart']) && isJsonObject(spec['chart']['spec']) ? spec['chart']['spec'] : undefined
  return !isJsonObject(spec['chartRef']) && isJsonObject(chart?.['sourceRef']) && chart['sourceRef']['kind'] === 'GitRepository'
}
