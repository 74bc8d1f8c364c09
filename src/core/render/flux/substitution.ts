import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { decodeBase64 } from '../../model/base64.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'
import { setOwn } from '../../model/own.js'
import { buildVarMap, type SubstituteStrategy, type VarSource } from '../../substitute/index.js'
import { substituteObjectMemo } from './substitute-memo.js'

/** Finds a ConfigMap or Secret in the rendered fleet. */
export type ObjectLookup = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => KubeObject | undefined

type SubstituteResult = { ok: true; object: KubeObject } | { ok: false; error: string }

/** A Kustomization's postBuild substitution. */
export interface Substitution {
  substitute?: (obj: KubeObject) => SubstituteResult
  diagnostics: Diagnostic[]
  failed: boolean
  /** The Secret variables' values, and what expressions made of them in the objects substituted so far. */
  readonly secretValues: string[]
}

/**
 * The per-object substitution of a Kustomization with `spec.postBuild` (S-1 … S-11), or
 * none when it has no postBuild. ConfigMaps/Secrets come from the rendered fleet, in the
 * Kustomization's namespace (S-4); a missing non-optional one fails the Kustomization.
 */
export function substitutionFor(
  spec: JsonObject,
  namespace: string,
  lookup: ObjectLookup,
  strict: boolean,
): Substitution {
  const postBuild = spec['postBuild']
  if (!isJsonObject(postBuild)) return { diagnostics: [], failed: false, secretValues: [] }
  const substituteFrom: VarSource[] = (Array.isArray(postBuild['substituteFrom']) ? postBuild['substituteFrom'].filter(isJsonObject) : []).map((s) => ({
    kind: s['kind'] === 'Secret' ? 'Secret' : 'ConfigMap',
    name: String(s['name'] ?? ''),
    ...(s['optional'] === true ? { optional: true } : {}),
  }))
  const inline = isJsonObject(postBuild['substitute'])
    ? Object.fromEntries(Object.entries(postBuild['substitute']).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
    : undefined
  const built = buildVarMap({
    ...(inline ? { substitute: inline } : {}),
    substituteFrom,
    lookup: (kind, name) => dataOf(lookup(kind, namespace, name), kind),
  })
  const failed = built.diagnostics.some((d) => d.severity === 'error')
  const strategy: SubstituteStrategy = postBuild['substituteStrategy'] === 'Always' ? 'Always' : 'WithVariables'
  // Grows as objects are substituted: `${S^^}` of a Secret's S is as secret as S, so the values
  // are read once the Kustomization's objects have all been substituted.
  const secrets = { names: built.secretVars, derived: new Set([...built.secretVars].map((k) => built.vars[k] ?? '')) }
  return {
    diagnostics: built.diagnostics,
    failed,
    get secretValues() {
      return [...secrets.derived]
    },
    substitute: (obj) => substituteObjectMemo(obj, built.vars, { strict, strategy, ...(built.secretVars.size > 0 ? { secrets } : {}) }, built.secretVars.size > 0),
  }
}

// S-4: ConfigMap `.data` only (not binaryData); Secret `.data` decoded (stringData folded in
// as the API server would).
function dataOf(obj: KubeObject | undefined, kind: 'ConfigMap' | 'Secret'): Record<string, string> | undefined {
  if (!obj) return undefined
  const out: Record<string, string> = {}
  const data = isJsonObject(obj['data']) ? obj['data'] : {}
  for (const [k, v] of Object.entries(data)) setOwn(out, k, kind === 'Secret' ? decodeBase64(String(v)) : String(v))
  if (kind === 'Secret' && isJsonObject(obj['stringData'])) for (const [k, v] of Object.entries(obj['stringData'])) setOwn(out, k, String(v))
  return out
}
