import { setOwn } from '../model/own.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'

/** One `spec.postBuild.substituteFrom` entry (read from the Kustomization's namespace). */
export interface VarSource {
  kind: 'ConfigMap' | 'Secret'
  name: string
  optional?: boolean
}

/**
 * What is known of a source that exists: its values, the keys it has whose values only the
 * cluster knows (`unknownKeys`), or that its very keys are unknown (`anyKey`).
 */
export interface PartialSource {
  data: Record<string, string>
  unknownKeys?: readonly string[]
  anyKey?: boolean
}

/** Input of buildVarMap. */
export interface VarMapInput {
  /** `spec.postBuild.substitute`: inline variables, which win over every source (S-4). */
  substitute?: Record<string, string>
  /** `spec.postBuild.substituteFrom`, in list order. */
  substituteFrom?: VarSource[]
  /**
   * The `.data` of a ConfigMap or the decoded `.data` of a Secret in the Kustomization's
   * namespace; undefined when it does not exist.
   */
  lookup: (kind: VarSource['kind'], name: string) => Record<string, string> | undefined
  /**
   * Used instead of `lookup` when given: what is known of a source, undefined when it does not
   * exist. Values it cannot know become placeholders (VarMap.unknown).
   */
  resolve?: (source: VarSource) => PartialSource | undefined
}

/** The variables of one Kustomization and which of them hold Secret data. */
export interface VarMap {
  vars: Record<string, string>
  /** Names whose final value came from a Secret: never print these values. */
  secretVars: Set<string>
  /**
   * Variables that exist with values only the cluster has: `names`, and `any` when a source's
   * keys are unknown (it may define any variable the map lacks; it is taken not to redefine
   * one another source defines).
   */
  unknown: { names: string[]; any: boolean }
  diagnostics: Diagnostic[]
}

/**
 * Builds the postBuild variable map (S-4): sources in list order, each key overwriting an
 * earlier one, then the inline `substitute` map; every `\n` removed from every value.
 * A missing non-optional source yields a `substitute/missing-source` error diagnostic (Flux
 * fails the whole Kustomization) and is otherwise skipped. Names are not checked here:
 * that happens when substitution runs (S-6), in substituteObject.
 */
export function buildVarMap(input: VarMapInput): VarMap {
  const vars: Record<string, string> = {}
  const secretVars = new Set<string>()
  const diagnostics: Diagnostic[] = []
  const unknownNames = new Set<string>()
  let any = false
  for (const source of input.substituteFrom ?? []) {
    const found = input.resolve ? input.resolve(source) : wrap(input.lookup(source.kind, source.name))
    const data = found?.data
    if (found === undefined || data === undefined) {
      if (source.optional === true) continue
      diagnostics.push({
        code: 'substitute/missing-source',
        severity: 'error',
        message: `substitute from '${source.kind}/${source.name}' error: ${source.kind} not found (and not optional)`,
      })
      continue
    }
    for (const [key, value] of Object.entries(data)) {
      setOwn(vars, key, value.replaceAll('\n', ''))
      unknownNames.delete(key)
      if (source.kind === 'Secret') secretVars.add(key)
      else secretVars.delete(key)
    }
    for (const key of found.unknownKeys ?? []) {
      delete vars[key]
      secretVars.delete(key)
      unknownNames.add(key)
    }
    if (found.anyKey) any = true
  }
  for (const [key, value] of Object.entries(input.substitute ?? {})) {
    setOwn(vars, key, value.replaceAll('\n', ''))
    secretVars.delete(key)
    unknownNames.delete(key)
  }
  return { vars, secretVars, unknown: { names: [...unknownNames].sort(), any }, diagnostics }
}

function wrap(data: Record<string, string> | undefined): PartialSource | undefined {
  return data === undefined ? undefined : { data }
}
