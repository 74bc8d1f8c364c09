import { setOwn } from '../model/own.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'

/** One `spec.postBuild.substituteFrom` entry (read from the Kustomization's namespace). */
export interface VarSource {
  kind: 'ConfigMap' | 'Secret'
  name: string
  optional?: boolean
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
}

/** The variables of one Kustomization and which of them hold Secret data. */
export interface VarMap {
  vars: Record<string, string>
  /** Names whose final value came from a Secret: never print these values. */
  secretVars: Set<string>
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
  for (const source of input.substituteFrom ?? []) {
    const data = input.lookup(source.kind, source.name)
    if (data === undefined) {
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
      if (source.kind === 'Secret') secretVars.add(key)
      else secretVars.delete(key)
    }
  }
  for (const [key, value] of Object.entries(input.substitute ?? {})) {
    setOwn(vars, key, value.replaceAll('\n', ''))
    secretVars.delete(key)
  }
  return { vars, secretVars, diagnostics }
}
