/*
 * The one YAML module of the core: every reader and printer, each named by the dialect it
 * reproduces. Nothing else in src/core imports the `yaml` package.
 *
 * Readers
 * - kyaml.ts: kustomize's reader (kyaml on go-yaml v3), for everything the kustomize
 *   engine reads; includes kyaml's MarshalJSON round trip for resources (go-folded.ts).
 * - yaml11.ts: sigs.k8s.io/yaml (go-yaml v2, YAML 1.1: `yes`/`on` are booleans), where
 *   Flux or Helm read with it: post-build substitution, HelmRelease valuesFrom.
 * - yaml12.ts: the `yaml` package's YAML 1.2 core schema, for Fluxgate's own inputs.
 * Printers
 * - emit.ts: sigs.k8s.io/yaml JSONToYAML (go-yaml v2's emitter), how kustomize and
 *   kustomize-controller print objects; libyaml's printable rule is printable.ts.
 * - yaml12.ts stringifyYaml12: the `yaml` package's printer, for text people read; with
 *   `lineWidth: 0` it prints plain data itself by the same rules (yaml12-simple.ts).
 * Every reader applies the budgets of budget.ts (size, nesting, alias expansion).
 */
export { YAML_LIMITS, checkText } from './budget.js'
export { YamlError } from './errors.js'
import { timed } from '../timings/phases.js'
import { emitDocument as emit } from './emit.js'
import { parseYamlDocuments as kyaml, parseYamlDocumentsLocated as kyamlLocated } from './kyaml.js'
import { readYaml11 as yaml11 } from './yaml11.js'
import { parseYaml12 as yaml12, parseYaml12All as yaml12All, parseYaml12Documents as yaml12Documents, stringifyYaml12 as print12 } from './yaml12.js'

// Readers and printers are timed as phases (`render --timings`): the largest share of a render.
export const parseYamlDocuments = timed('yaml: parse', kyaml)
export const parseYamlDocumentsLocated = timed('yaml: parse', kyamlLocated)
export const readYaml11 = timed('yaml: parse', yaml11)
export const parseYaml12 = timed('yaml: parse', yaml12)
export const parseYaml12All = timed('yaml: parse', yaml12All)
export const parseYaml12Documents = timed('yaml: parse', yaml12Documents)
export const stringifyYaml12 = timed('yaml: emit', print12)
export const emitDocument = timed('yaml: emit', emit)
export { resolvePlain, type KyamlDocument, type KyamlOptions } from './kyaml.js'
export type { LocatedDocument } from './yaml12.js'
export { formatNumber } from './emit.js'
export { compareKeys } from './key-order.js'
export { scalarStyle, goParseIntBase0, type ScalarStyle } from './scalar-style.js'
export { isPrintable } from './printable.js'
export { readsAsPlainString } from './plain.js'
