import type { TransformerConfig } from './config.js'
import type { Kustomization } from './kustomization.js'
import type { Loader } from './loader.js'
import type { SchemaRegistry } from './merge-api.js'
import type { Res } from './resource.js'
import type { Var } from './transformers/vars.js'

/** What a kustomization (with everything under it) accumulated: kustomize's ResAccumulator. */
export interface Accumulator {
  resources: Res[]
  config: TransformerConfig
  vars: Var[]
}

/** Options that hold for a whole build. */
export interface BuildContext {
  allowRemote: boolean
  /** Set when the top kustomization asks for origin annotations (buildMetadata). */
  buildMetadata: string[]
  schemas?: SchemaRegistry
  /** kustomize's schema is global and set once: by the first kustomization with `openapi:`. */
  openapiSet?: boolean
  /** Folders entered, one set per base build being recorded (sub-builds.ts), innermost last. */
  entered?: Set<string>[]
}

/** One kustomization folder being built. */
export interface Target {
  ldr: Loader
  k: Kustomization
  ctx: BuildContext
  /** Path (from the top kustomization) of this folder, for origin annotations; undefined when not tracked. */
  origin?: string
}
