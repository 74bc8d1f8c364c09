/** Patch metadata of one property, array item or map value, as stored in the generated table. */
export interface TableNode {
  /** Name of the object type this value has (a key of `OpenApiTable.types`). */
  ref?: string
  /** The value is an array; `items` describes its elements. */
  array?: boolean
  items?: TableNode
  /** The value is a map; `additional` describes its values. */
  additional?: TableNode
  strategy?: string
  mergeKey?: string
  mapKeys?: string[]
  listType?: string
}

/** The bundled merge-key table written by scripts/gen-openapi-table.mjs. */
export interface OpenApiTable {
  label?: string
  sources: { file: string; sha256: string; version: string; usedFor?: string }[]
  /** `group/version/Kind` (core: `v1/Kind`) to the type name, '' when the kind carries no patch metadata. */
  kinds: Record<string, string>
  clusterScoped: string[]
  namespaced: string[]
  /** Type name to the properties that carry (or lead to) patch metadata. */
  types: Record<string, Record<string, TableNode>>
}
