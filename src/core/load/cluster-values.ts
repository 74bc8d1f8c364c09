import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { isJsonObject, type JsonValue } from '../model/object.js'
import { parseYaml12, YamlError } from '../yaml/index.js'

/**
 * The values of a ConfigMap or Secret that lives only in the cluster (made at bootstrap, by an
 * ExternalSecret, by hand), given to Fluxgate so that `substituteFrom` and `valuesFrom` can use
 * them. Read from `clusterValues:` in `.github/fluxgate.yml` (base branch) or a `--values-file`.
 */
export interface SuppliedValues {
  /** The clusters (names as Fluxgate reports them) it is for; empty: every cluster. */
  clusters: string[]
  kind: 'ConfigMap' | 'Secret'
  namespace: string
  name: string
  /** Known values; a Secret's are masked in every output like Secret data. */
  data: Map<string, string>
  /** Keys it has whose values stay unknown: variables reading them stay placeholders, others are undefined. */
  keys: string[]
  /** Where it was given (the file), for messages. */
  from: string
}

/** Every supplied source, in the order given (later entries win). */
export type ClusterValues = readonly SuppliedValues[]

const ENTRY_KEYS = new Set(['cluster', 'clusters', 'kind', 'namespace', 'name', 'data', 'keys'])

/**
 * Reads `clusterValues:` from a settings document (`.github/fluxgate.yml` or a values file; the
 * same layout). Never throws: problems are located diagnostics and the entry is skipped.
 */
export function parseClusterValues(text: string, file: string): { values: SuppliedValues[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = []
  const problem = (message: string, severity: Diagnostic['severity'] = 'error'): void => {
    diagnostics.push({ code: 'config/invalid-cluster-values', severity, message, location: { file } })
  }
  let doc: unknown
  try {
    doc = parseYaml12(text)
  } catch (err) {
    if (!(err instanceof YamlError)) throw err
    diagnostics.push({ code: 'config/invalid-cluster-values', severity: 'error', message: `not valid YAML: ${err.message}`, location: { file, ...(err.line ? { line: err.line } : {}) } })
    return { values: [], diagnostics }
  }
  if (doc === null || doc === undefined) return { values: [], diagnostics }
  if (!isJsonObject(doc as JsonValue)) {
    problem('the file must be a mapping')
    return { values: [], diagnostics }
  }
  const list = (doc as Record<string, JsonValue>)['clusterValues']
  if (list === undefined || list === null) return { values: [], diagnostics }
  if (!Array.isArray(list)) {
    problem('clusterValues must be a list of {kind, namespace, name, data, keys} entries')
    return { values: [], diagnostics }
  }
  const values: SuppliedValues[] = []
  list.forEach((entry, i) => {
    const at = `clusterValues[${i}]`
    if (!isJsonObject(entry)) return problem(`${at} must be a mapping`)
    for (const k of Object.keys(entry)) if (!ENTRY_KEYS.has(k)) problem(`${at}: unknown setting ${k}`, 'warning')
    const kind = entry['kind']
    if (kind !== 'ConfigMap' && kind !== 'Secret') return problem(`${at}.kind must be ConfigMap or Secret`)
    const namespace = entry['namespace']
    const name = entry['name']
    if (typeof namespace !== 'string' || namespace === '' || typeof name !== 'string' || name === '') return problem(`${at} needs a namespace and a name`)
    const clusters = strings(entry['clusters'] ?? entry['cluster'])
    if (clusters === undefined) return problem(`${at}.cluster must be a cluster name or a list of them`)
    const keys = typeof entry['keys'] === 'string' ? undefined : strings(entry['keys'])
    if (keys === undefined) return problem(`${at}.keys must be a list of key names`)
    const data = new Map<string, string>()
    const given = entry['data']
    if (given !== undefined && given !== null) {
      if (!isJsonObject(given)) return problem(`${at}.data must be a mapping of key to value`)
      for (const [k, v] of Object.entries(given)) {
        if (isJsonObject(v) || Array.isArray(v)) return problem(`${at}.data.${k} must be a string`)
        data.set(k, v === null ? '' : String(v))
      }
    }
    values.push({ clusters, kind, namespace, name, data, keys: keys.filter((k) => !data.has(k)), from: file })
  })
  return { values, diagnostics }
}

function strings(v: JsonValue | undefined): string[] | undefined {
  if (v === undefined || v === null) return []
  if (typeof v === 'string') return [v]
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
  return undefined
}

/** The supplied values of one source for one cluster: an entry naming the cluster wins over one for every cluster, a later entry over an earlier one. */
export function suppliedFor(values: ClusterValues | undefined, cluster: string, kind: 'ConfigMap' | 'Secret', namespace: string, name: string): SuppliedValues | undefined {
  let general: SuppliedValues | undefined
  let specific: SuppliedValues | undefined
  for (const v of values ?? []) {
    if (v.kind !== kind || v.namespace !== namespace || v.name !== name) continue
    if (v.clusters.length === 0) general = v
    else if (v.clusters.includes(cluster)) specific = v
  }
  return specific ?? general
}
