import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { emptyConfig, type TransformerConfig } from './config.js'
import type { FieldSpec } from './fieldspec.js'

/**
 * kustomize's `crds:`: OpenAPI definitions (`{"pkg.Kind": {"Schema": ...}}`) whose
 * x-kubernetes-* extensions say which fields are name references, annotations, label
 * selectors or identities of custom kinds.
 */
export function configFromCrdDefinitions(doc: JsonValue): TransformerConfig {
  const tc = emptyConfig()
  if (!isJsonObject(doc)) return tc
  for (const [name, api] of Object.entries(doc)) {
    const props = propsOf(api)
    if (!props || !('kind' in props) || !('apiVersion' in props) || !('metadata' in props)) continue
    const parts = name.split('.')
    walk(tc, parts[parts.length - 1] as string, doc, name, [], 0)
  }
  return tc
}

function propsOf(api: JsonValue | undefined): JsonObject | undefined {
  if (!isJsonObject(api)) return undefined
  const schema = api['Schema'] ?? api['schema']
  if (!isJsonObject(schema)) return undefined
  const p = schema['properties']
  return isJsonObject(p) ? p : undefined
}

function walk(tc: TransformerConfig, kind: string, defs: JsonObject, typeName: string, path: string[], depth: number): void {
  const props = propsOf(defs[typeName])
  if (!props || depth > 32) return
  for (const [prop, p] of Object.entries(props)) {
    if (!isJsonObject(p)) continue
    const fs = (extra: string[] = []): FieldSpec => ({ kind, path: [...path, prop, ...extra].join('/') })
    if (typeof p['x-kubernetes-annotation'] === 'string') tc.commonAnnotations.push(fs())
    if (typeof p['x-kubernetes-label-selector'] === 'string') tc.commonLabels.push(fs())
    if (typeof p['x-kubernetes-identity'] === 'string') tc.namePrefix.push(fs())
    const version = p['x-kubernetes-object-ref-api-version']
    const refKind = p['x-kubernetes-object-ref-kind']
    if (typeof version === 'string' && typeof refKind === 'string') {
      const nameKey = typeof p['x-kubernetes-object-ref-name-key'] === 'string' ? (p['x-kubernetes-object-ref-name-key'] as string) : 'name'
      tc.nameReference.push({ target: { kind: refKind, version }, referrers: [fs([nameKey])] })
    }
    const ref = p['$ref']
    if (typeof ref === 'string') walk(tc, kind, defs, ref, [...path, prop], depth + 1)
  }
}
