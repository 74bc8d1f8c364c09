import { isJsonObject, type JsonObject } from '../../model/object.js'
import { field } from './kustomization.js'
import { KustomizeError } from './loader.js'
import { curId, type Res } from './resource.js'
import { gvkEquals, type Gvk, type ResId } from './resid.js'

const DEFAULT_FIRST = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy', 'Role',
  'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service', 'LimitRange',
  'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet', 'CronJob', 'PodDisruptionBudget',
]
const DEFAULT_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration']

function gvkSortString(g: Gvk): string {
  return `${g.group || '~G'}_${g.version || '~V'}_${g.kind || '~K'}`
}

function idSortString(id: ResId): string {
  return `${id.namespace || '~X'}|${id.name || '~N'}`
}

function strList(v: unknown): string[] | undefined {
  return Array.isArray(v) ? v.map(String) : undefined
}

/**
 * kustomize's SortOrderTransformer: `sortOptions` in the top kustomization wins over the
 * CLI flag; 'legacy' orders by kind (Namespaces first, webhooks last), then gvk, namespace, name.
 */
export function sortResources(list: Res[], sortOptions: JsonObject | undefined, reorder: 'legacy' | 'none'): Res[] {
  let order: string = reorder === 'legacy' ? 'legacy' : 'fifo'
  let first = DEFAULT_FIRST, last = DEFAULT_LAST
  if (sortOptions) {
    order = String(field(sortOptions, 'order') ?? '')
    const lo = field(sortOptions, 'legacySortOptions')
    if (order !== 'fifo' && order !== 'legacy') throw new KustomizeError("the field 'sortOptions.order' must be one of [fifo, legacy]", 'kustomize/sort-options')
    if (order === 'fifo' && lo !== undefined && lo !== null) {
      throw new KustomizeError("the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'", 'kustomize/sort-options')
    }
    if (isJsonObject(lo)) {
      first = strList(field(lo, 'orderFirst')) ?? []
      last = strList(field(lo, 'orderLast')) ?? []
    }
  }
  if (order !== 'legacy') return list
  const rank = new Map<string, number>()
  first.forEach((k, i) => rank.set(k, -first.length + i))
  last.forEach((k, i) => rank.set(k, 1 + i))
  const ids = new Map(list.map((r) => [r, curId(r)]))
  return [...list].sort((ra, rb) => {
    const a = ids.get(ra) as ResId, b = ids.get(rb) as ResId
    if (!gvkEquals(a, b)) {
      const ia = rank.get(a.kind) ?? 0, ib = rank.get(b.kind) ?? 0
      if (ia !== ib) return ia - ib
      let sa = gvkSortString(a), sb = gvkSortString(b)
      if (a.kind === 'Namespace' && b.kind === 'Namespace' && (a.group === '' || b.group === '')) [sa, sb] = [sb, sa]
      return sa < sb ? -1 : sa > sb ? 1 : 0
    }
    const sa = idSortString(a), sb = idSortString(b)
    return sa < sb ? -1 : sa > sb ? 1 : 0
  })
}

/** kustomize's Gvk.IsLessThan: the legacy kind order, then group_version_kind. */
export function gvkLess(a: Gvk, b: Gvk): number {
  const rank = (k: string): number => {
    const f = DEFAULT_FIRST.indexOf(k)
    if (f >= 0) return f - DEFAULT_FIRST.length
    const l = DEFAULT_LAST.indexOf(k)
    return l >= 0 ? l + 1 : 0
  }
  const ra = rank(a.kind), rb = rank(b.kind)
  if (ra !== rb) return ra - rb
  const sa = gvkSortString(a), sb = gvkSortString(b)
  return sa < sb ? -1 : sa > sb ? 1 : 0
}
