// The one place the engine imports the merge module (another helper's lane) from.
import { timed } from '../../timings/phases.js'
import { applyJsonPatch as jsonPatch } from './merge/json-patch.js'
import { strategicMerge as smp } from './merge/strategic-merge.js'

export const strategicMerge = timed('kustomize: strategic merge', smp)
export const applyJsonPatch = timed('kustomize: json patch', jsonPatch)
export { StrategicMergeError } from './merge/strategic-merge.js'
export { parseJsonPatchText } from './merge/json-patch.js'
export { nameHash } from './merge/hash.js'
export { schemaFor, isNamespacedKind, registryFromOpenApi, registryFromCrds, type SchemaRegistry, type SchemaNode } from './merge/schema.js'
