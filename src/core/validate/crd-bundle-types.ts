import type { JsonObject } from '../model/object.js'

/** One CRD file a bundle was generated from. */
export interface CrdSource {
  /** `fluxcd/kustomize-controller` */
  repo: string
  /** Release tag (`v1.9.4`). */
  tag: string
  commit?: string
  /** Path of the CRD file in the repository. */
  file: string
  sha256: string
}

/**
 * CRD schemas as scripts/gen-flux-schemas.mjs writes them: openAPIV3Schema nodes without prose,
 * where a node may be `{ "$ref": "<n>" }` for the shared subtree `types[n]`.
 */
export interface CrdBundle {
  sources: CrdSource[]
  /** `group/version/Kind` → its schema, whether it is namespaced, and its source (index into `sources`). */
  kinds: Record<string, { source: number; namespaced: boolean; schema: JsonObject }>
  types: Record<string, JsonObject>
}
