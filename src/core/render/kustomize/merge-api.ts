// The one place the engine imports the merge module (another helper's lane) from.
export { strategicMerge, StrategicMergeError } from './merge/strategic-merge.js'
export { applyJsonPatch, parseJsonPatchText } from './merge/json-patch.js'
export { nameHash } from './merge/hash.js'
export { schemaFor, isNamespacedKind, registryFromOpenApi, registryFromCrds, type SchemaRegistry, type SchemaNode } from './merge/schema.js'
