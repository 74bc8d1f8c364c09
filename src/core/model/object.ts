/** A JSON value as kustomize and the Kubernetes API see it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject
export interface JsonObject {
  [key: string]: JsonValue
}

/** Kubernetes object metadata, as far as Fluxgate reads it. */
export interface ObjectMeta {
  name: string
  namespace?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  [key: string]: JsonValue | undefined
}

/** Any Kubernetes object: built, rendered, or read from a cluster. Plain data only. */
export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  [key: string]: JsonValue | ObjectMeta | undefined
}

/** True for a plain (non-array, non-null) JSON object. */
export function isJsonObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** True when `v` has the shape every Kubernetes object shares (apiVersion, kind, metadata.name). */
export function isKubeObject(v: unknown): v is KubeObject {
  if (!isJsonObject(v)) return false
  const meta = v['metadata']
  return (
    typeof v['apiVersion'] === 'string' &&
    typeof v['kind'] === 'string' &&
    isJsonObject(meta) &&
    typeof meta['name'] === 'string'
  )
}
