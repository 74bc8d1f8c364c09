import { configMapGenerator, iamPolicyGenerator, secretGenerator } from './generators.js'
import { annotationsTransformer, imageTagTransformer, labelTransformer, namespaceTransformer, prefixSuffixTransformer, prefixTransformer, replicaCountTransformer, suffixTransformer } from './fields.js'
import { patchJson6902Transformer, patchStrategicMergeTransformer, patchTransformer } from './patches.js'
import type { BuiltinGenerator, BuiltinTransformer } from './plugin.js'
import { replacementTransformer, valueAddTransformer } from './replacement.js'

/**
 * The builtin transformers a kustomization's fields configure, in kustomize's fixed order
 * (api/internal/target/kusttarget_configplugin.go, configureBuiltinTransformers). Patches
 * run first so they see the names written in the files; namespace before prefix/suffix so
 * renamed ids keep their namespace; labels and annotations after renames; replacements
 * last so they copy final values.
 */
export const TRANSFORMER_ORDER: readonly BuiltinTransformer[] = [
  patchStrategicMergeTransformer,
  patchTransformer,
  namespaceTransformer,
  prefixTransformer,
  suffixTransformer,
  labelTransformer,
  annotationsTransformer,
  patchJson6902Transformer,
  replicaCountTransformer,
  imageTagTransformer,
  replacementTransformer,
]

/** The builtin generators a kustomization's fields configure, in kustomize's order. */
export const GENERATOR_ORDER: readonly BuiltinGenerator[] = [configMapGenerator, secretGenerator]

/** Every builtin a `transformers:` / `validators:` config may name, by kind. */
export const BUILTIN_TRANSFORMERS: ReadonlyMap<string, BuiltinTransformer> = new Map(
  [...TRANSFORMER_ORDER, prefixSuffixTransformer, valueAddTransformer].map((b) => [b.kind, b]),
)

/** Every builtin a `generators:` config may name, by kind. */
export const BUILTIN_GENERATORS: ReadonlyMap<string, BuiltinGenerator> = new Map([...GENERATOR_ORDER, iamPolicyGenerator].map((b) => [b.kind, b]))
