import { isJsonObject, type JsonValue, type KubeObject } from '../model/object.js'
import { displayId, resourceIdOf } from '../model/resource-id.js'
import { BuiltinSchemas, OBJECT_META_TYPE } from './builtin.js'
import { crdSchemas } from './crd.js'
import { FluxSchemas } from './flux.js'
import type { Schema, ValidationFinding } from './types.js'
import { applyDefaults, validateValue, type Violation } from './walk.js'

export { apiVersionStatus, apiLifecycleOf, compareMinor, KUBERNETES_API_LIFECYCLE, type ApiLifecycle, type ApiStatus } from './api-lifecycle.js'
export { crdSchemas, fromOpenApiV3 } from './crd.js'
export { BuiltinSchemas } from './builtin.js'
export { FluxSchemas } from './flux.js'
export type { Schema, ValidationCode, ValidationFinding } from './types.js'

/** Options of validateObjects. */
export interface ValidateOptions {
  /** Kubernetes minor the clusters run; the bundled schemas (newest release) are used for every version. */
  kubernetesVersion?: string
  /** CustomResourceDefinitions whose served versions validate custom resources (the head render's). */
  crds?: KubeObject[]
}

let defaultBuiltins: BuiltinSchemas | undefined
let defaultFlux: FluxSchemas | undefined

/** The bundled schemas, expanded once per process. */
function builtins(): BuiltinSchemas {
  defaultBuiltins ??= new BuiltinSchemas()
  return defaultBuiltins
}

/** The bundled Flux CRD schemas, expanded once per process. */
export function fluxSchemas(): FluxSchemas {
  defaultFlux ??= new FluxSchemas()
  return defaultFlux
}

/** A custom resource's top level: apiVersion, kind and metadata are implied by the API server. */
function customResourceSchema(schema: Schema, b: BuiltinSchemas): Schema {
  if (schema.any) return schema
  return {
    ...schema,
    type: 'object',
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, ...schema.properties, metadata: b.type(OBJECT_META_TYPE) },
  }
}

function finding(obj: KubeObject, v: Violation, source: ValidationFinding['schema']): ValidationFinding {
  const object = displayId(resourceIdOf(obj))
  return { code: v.code, severity: 'error', object, apiVersion: obj.apiVersion, kind: obj.kind, path: v.path, message: `${object}: ${v.message}`, detail: v.message, schema: source }
}

/** The schema an object is checked against, and where it came from. */
function schemaFor(obj: KubeObject, crds: Map<string, Schema>, b: BuiltinSchemas): { schema: Schema; source: ValidationFinding['schema'] } | undefined {
  const key = `${obj.apiVersion}/${obj.kind}`
  // A CRD in the render wins, as on a cluster: the apply installs it before its custom resources.
  const crd = crds.get(key)
  if (crd) return { schema: customResourceSchema(crd, b), source: 'crd' }
  const flux = fluxSchemas().forKind(obj.apiVersion, obj.kind)
  if (flux) return { schema: customResourceSchema(flux, b), source: 'flux' }
  const builtin = b.forKind(obj.apiVersion, obj.kind)
  return builtin ? { schema: builtin, source: 'kubernetes' } : undefined
}

/**
 * A validator over a fixed set of CRDs: checks one object the way the API server's
 * server-side apply would, against the schema of a served CRD version in `opts.crds` (a CRD
 * wins over the bundles, as on a cluster), the bundled Flux CRDs, or the bundled OpenAPI schema
 * of a built-in kind. Custom resources are defaulted first, as the API server does. Reports
 * unknown fields (Flux's dry-run fails with "field not declared in schema"), wrong types,
 * missing required fields, enum mismatches, patterns, bounds and CEL rules, with the JSON path.
 * An object of a kind none knows yields nothing: its CRD may be installed outside the repository.
 */
export function createValidator(opts: ValidateOptions = {}): (obj: KubeObject) => ValidationFinding[] {
  const b = builtins()
  const crds = crdSchemas(opts.crds ?? [])
  return (obj) => {
    const found = schemaFor(obj, crds, b)
    if (!found || !isJsonObject(obj)) return []
    const value: JsonValue | undefined = found.source === 'kubernetes' ? obj : applyDefaults(obj, found.schema)
    const violations: Violation[] = []
    validateValue(value, found.schema, '', violations)
    return violations.map((v) => finding(obj, v, found.source))
  }
}

/** Validates rendered objects (see createValidator); findings in object order. Pure and deterministic. */
export function validateObjects(objects: readonly KubeObject[], opts: ValidateOptions = {}): ValidationFinding[] {
  const validate = createValidator(opts)
  return objects.flatMap((obj) => validate(obj))
}

/** Whether the bundled Kubernetes schemas know `apiVersion` `kind` (a built-in kind, not a custom resource). */
export function isBuiltinKind(apiVersion: string, kind: string): boolean {
  return builtins().forKind(apiVersion, kind) !== undefined
}

/** The Kubernetes minor of the bundled schemas (`1.36`). */
export function bundledKubernetesVersion(): string {
  return builtins().kubernetesVersion
}
