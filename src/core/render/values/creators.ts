import type { FileTree } from '../../../ports/file-tree.js'
import type { SourceLocation } from '../../diagnostics/diagnostic.js'
import { isYamlFile, parseObjects } from '../../load/yaml-docs.js'
import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { groupOf } from '../../model/resource-id.js'
import { dataKeys } from '../sops.js'

/** Something in the render that makes a Secret the cluster has but the repository does not. */
export interface Creator {
  /** `ExternalSecret flux-system/cluster-secrets` */
  what: string
  /** The keys the Secret gets, when the creator says; undefined when they come from elsewhere (dataFrom, templates). */
  keys?: string[]
}

const keysOf = (v: JsonValue | undefined): string[] => (isJsonObject(v) ? Object.keys(v) : [])
const obj = (v: JsonValue | undefined): JsonObject => (isJsonObject(v) ? v : {})
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : [])

/**
 * What an External Secrets Operator spec puts in its target Secret: the `data` entries'
 * `secretKey`s, or the template's keys when a template replaces them; unknown with `dataFrom`
 * or `templateFrom` (the keys come from the secret store).
 */
function externalSecretKeys(spec: JsonObject): string[] | undefined {
  const template = obj(obj(spec['target'])['template'])
  if (list(spec['dataFrom']).length > 0 || list(template['templateFrom']).length > 0) return undefined
  const fromData = list(spec['data']).filter(isJsonObject).map((d) => String(d['secretKey'] ?? ''))
  const fromTemplate = keysOf(template['data'])
  if (fromTemplate.length > 0 && template['mergePolicy'] !== 'Merge') return fromTemplate
  return [...new Set([...fromData, ...fromTemplate])]
}

/**
 * The object, when it makes Secret `namespace/name` in the cluster. Known makers: External
 * Secrets Operator (ExternalSecret, ClusterExternalSecret) and Sealed Secrets (SealedSecret),
 * the two that fleets use to keep Secrets out of Git; others are reported as not made by
 * anything in the repository, which is what the render can say of them.
 */
export function creatorOf(o: KubeObject, namespace: string, name: string): Creator | undefined {
  const group = groupOf(o.apiVersion)
  const spec = obj(o['spec'] as JsonValue | undefined)
  const at = `${o.metadata.namespace ?? ''}/${o.metadata.name}`
  if (group === 'external-secrets.io' && o.kind === 'ExternalSecret') {
    const target = obj(spec['target'])
    if (target['creationPolicy'] === 'None' || (o.metadata.namespace ?? 'default') !== namespace) return undefined
    if ((typeof target['name'] === 'string' && target['name'] ? target['name'] : o.metadata.name) !== name) return undefined
    const keys = externalSecretKeys(spec)
    return { what: `ExternalSecret ${at}`, ...(keys ? { keys } : {}) }
  }
  if (group === 'external-secrets.io' && o.kind === 'ClusterExternalSecret') {
    const es = obj(spec['externalSecretSpec'])
    const esName = typeof spec['externalSecretName'] === 'string' && spec['externalSecretName'] ? spec['externalSecretName'] : o.metadata.name
    const target = obj(es['target'])
    if ((typeof target['name'] === 'string' && target['name'] ? target['name'] : esName) !== name) return undefined
    const namespaces = list(spec['namespaces']).map(String)
    // Label selectors choose namespaces by what the cluster has: any namespace may match.
    const selects = isJsonObject(spec['namespaceSelector']) || list(spec['namespaceSelectors']).length > 0
    if (!namespaces.includes(namespace) && !selects) return undefined
    const keys = externalSecretKeys(es)
    return { what: `ClusterExternalSecret ${o.metadata.name}`, ...(keys ? { keys } : {}) }
  }
  if (group === 'bitnami.com' && o.kind === 'SealedSecret') {
    if (o.metadata.name !== name || (o.metadata.namespace ?? 'default') !== namespace) return undefined
    return { what: `SealedSecret ${at}`, keys: [...new Set([...keysOf(spec['encryptedData']), ...keysOf(obj(spec['template'])['data'])])] }
  }
  return undefined
}

/** A ConfigMap or Secret declared in a repository file. */
export interface Declaration {
  location: SourceLocation
  namespace: string
  keys: string[]
}

/**
 * The ConfigMaps and Secrets declared anywhere in the repository, by `Kind/name`: where a
 * source the render does not apply may come from (a file applied at bootstrap). Built once per
 * tree, on first use.
 */
/** Where the render looks up ConfigMaps and Secrets declared in the repository (DeclaredValues, or one watched). */
export interface DeclaredLookup {
  find(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Declaration[]
}

export class DeclaredValues implements DeclaredLookup {
  private map: Map<string, Declaration[]> | undefined

  constructor(private readonly tree: FileTree) {}

  find(kind: 'ConfigMap' | 'Secret', namespace: string, name: string): Declaration[] {
    return (this.index().get(`${kind}/${name}`) ?? []).filter((d) => d.namespace === '' || d.namespace === namespace)
  }

  private index(): Map<string, Declaration[]> {
    if (this.map) return this.map
    const map = new Map<string, Declaration[]>()
    const walk = (dir: string, depth: number): void => {
      if (depth > 32 || this.tree.stat(dir ? `${dir}/Chart.yaml` : 'Chart.yaml')?.type === 'file') return
      for (const entry of this.tree.list(dir)) {
        const p = dir ? `${dir}/${entry}` : entry
        const st = this.tree.stat(p)
        if (st?.type === 'dir') {
          if (entry !== '.git' && entry !== 'node_modules') walk(p, depth + 1)
        } else if (st?.type === 'file' && isYamlFile(entry) && (st.size ?? 0) < 4 * 1024 * 1024) {
          for (const o of parseObjects(this.tree.readFile(p) ?? new Uint8Array(), p).objects) {
            if (o.object.apiVersion !== 'v1' || (o.object.kind !== 'ConfigMap' && o.object.kind !== 'Secret')) continue
            const key = `${o.object.kind}/${o.object.metadata.name}`
            map.set(key, [...(map.get(key) ?? []), { location: { file: o.file, line: o.line }, namespace: o.object.metadata.namespace ?? '', keys: dataKeys(o.object) }])
          }
        }
      }
    }
    walk('', 0)
    this.map = map
    return map
  }
}
