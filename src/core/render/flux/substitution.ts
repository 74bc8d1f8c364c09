import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'
import { buildVarMap, type SubstituteStrategy, type VarSource } from '../../substitute/index.js'
import type { SubstituteOutcome } from './post-build.js'
import { substituteObjectMemo } from './substitute-memo.js'
import type { SourceRead, SourceResolve, ValueSourceRef } from '../values/sources.js'

/** A Kustomization's postBuild substitution. */
export interface Substitution {
  substitute?: (obj: KubeObject) => SubstituteOutcome
  diagnostics: Diagnostic[]
  failed: boolean
  /** The ConfigMaps and Secrets read, and what each resolved to. */
  reads: SourceRead[]
  /** The Secret variables' values, and what expressions made of them in the objects substituted so far. */
  readonly secretValues: string[]
}

/**
 * The per-object substitution of a Kustomization with `spec.postBuild` (S-1 … S-11), or
 * none when it has no postBuild. Sources are the ConfigMaps/Secrets of the Kustomization's
 * namespace (S-4), as `resolve` knows them: a value only the cluster has leaves the expressions
 * that read it as placeholders, and a variable no source can define still fails strict mode.
 */
export function substitutionFor(
  spec: JsonObject,
  namespace: string,
  resolve: SourceResolve,
  strict: boolean,
): Substitution {
  const postBuild = spec['postBuild']
  if (!isJsonObject(postBuild)) return { diagnostics: [], failed: false, secretValues: [], reads: [] }
  const substituteFrom: VarSource[] = (Array.isArray(postBuild['substituteFrom']) ? postBuild['substituteFrom'].filter(isJsonObject) : []).map((s) => ({
    kind: s['kind'] === 'Secret' ? 'Secret' : 'ConfigMap',
    name: String(s['name'] ?? ''),
    ...(s['optional'] === true ? { optional: true } : {}),
  }))
  const inline = isJsonObject(postBuild['substitute'])
    ? Object.fromEntries(Object.entries(postBuild['substitute']).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
    : undefined
  const reads: SourceRead[] = []
  const built = buildVarMap({
    ...(inline ? { substitute: inline } : {}),
    substituteFrom,
    lookup: () => undefined,
    resolve: (source) => {
      const ref: ValueSourceRef = { kind: source.kind, namespace, name: source.name, optional: source.optional === true }
      const resolved = resolve(ref)
      if (resolved) reads.push({ ref, resolved })
      return resolved
    },
  })
  const failed = built.diagnostics.some((d) => d.severity === 'error')
  const strategy: SubstituteStrategy = postBuild['substituteStrategy'] === 'Always' ? 'Always' : 'WithVariables'
  const unknown = built.unknown.any || built.unknown.names.length > 0 ? { unknown: built.unknown } : {}
  // Grows as objects are substituted: `${S^^}` of a Secret's S is as secret as S, so the values
  // are read once the Kustomization's objects have all been substituted.
  const secrets = { names: built.secretVars, derived: new Set([...built.secretVars].map((k) => built.vars[k] ?? '')) }
  return {
    diagnostics: built.diagnostics,
    failed,
    get secretValues() {
      return [...secrets.derived]
    },
    reads,
    substitute: (obj) => substituteObjectMemo(obj, built.vars, { strict, strategy, ...unknown, ...(built.secretVars.size > 0 ? { secrets } : {}) }, built.secretVars.size > 0),
  }
}
