import type { JsonObject } from '../../../model/object.js'
import type { TransformerConfig } from '../config.js'
import type { Kustomization } from '../kustomization.js'
import type { Loader } from '../loader.js'
import type { SchemaRegistry } from '../merge-api.js'
import type { Res } from '../resource.js'
import type { Accumulator } from '../types.js'

/** What a plugin may use while configuring (kustomize's PluginHelpers). */
export interface PluginHelpers {
  ldr: Loader
  schemas: SchemaRegistry | undefined
}

/** A configured transformer instance. */
export interface Transformer {
  transform(ra: Accumulator): void
}

/** A configured generator instance. */
export interface Generator {
  generate(): Res[]
}

/**
 * One builtin plugin. `configure` reads a plugin config: one written in a `transformers:` /
 * `generators:` entry, or one that `lower` made from the kustomization's own field, the way
 * kustomize's configurators (kusttarget_configplugin.go) turn fields into builtin plugin
 * configs. Both go through the same `configure`, so a field and the equivalent plugin
 * config behave the same.
 */
export interface BuiltinPlugin<T> {
  kind: string
  /** The configs this kustomization's fields lower into ([] when the field is unset). */
  lower?: (k: Kustomization, tc: TransformerConfig) => JsonObject[]
  configure: (h: PluginHelpers, config: JsonObject) => T
}

export type BuiltinTransformer = BuiltinPlugin<Transformer>
export type BuiltinGenerator = BuiltinPlugin<Generator>
