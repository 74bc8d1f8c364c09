/**
 * A compact schema node (scripts/gen-k8s-schemas.mjs): a leaf type name, `#Type` for a
 * reference into `types`, or an array (`a`), map (`m`) or string enum (`e`).
 */
export type CompactNode =
  | string
  | { a: CompactNode }
  | { m: CompactNode }
  | { e: string[] }

/** One object type: its properties and the ones it requires. */
export interface CompactType {
  p: Record<string, CompactNode>
  r?: string[]
}

/** The built-in schemas of one Kubernetes release, as generated from its OpenAPI document. */
export interface SchemaBundle {
  /** `1.36` */
  kubernetesVersion: string
  source: { file: string; sha256: string }
  /** `apps/v1/Deployment` → `apps.v1.Deployment` (a key of `types`). */
  kinds: Record<string, string>
  types: Record<string, CompactType>
}
