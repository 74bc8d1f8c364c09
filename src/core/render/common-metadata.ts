import { isJsonObject, type JsonObject, type JsonValue, type KubeObject } from '../model/object.js'

// Shared by both controllers' pipelines (kustomize-controller's post-build, helm-controller's
// post-render), so it sits above render/flux and render/helm rather than in either.

/** Merges labels/annotations into metadata, overwriting keys. */
export function setMeta(obj: KubeObject, field: 'labels' | 'annotations', values: Record<string, string>): void {
  if (Object.keys(values).length === 0) return
  obj.metadata[field] = { ...(obj.metadata[field] ?? {}), ...values }
}

/** K-15: commonMetadata touches metadata only, after everything else. */
export function applyCommonMetadata(obj: KubeObject, cm: JsonValue | undefined): void {
  if (!isJsonObject(cm)) return
  if (isJsonObject(cm['labels'])) setMeta(obj, 'labels', stringMap(cm['labels']))
  if (isJsonObject(cm['annotations'])) setMeta(obj, 'annotations', stringMap(cm['annotations']))
}

function stringMap(o: JsonObject): Record<string, string> {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]))
}
