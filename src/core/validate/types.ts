import type { JsonValue } from '../model/object.js'

/**
 * The subset of an OpenAPI schema validation uses, the same for built-in kinds (from the
 * bundled Kubernetes schemas) and custom resources (from a CRD's `openAPIV3Schema`).
 */
export interface Schema {
  type?: 'string' | 'integer' | 'number' | 'boolean' | 'object' | 'array'
  /** `x-kubernetes-int-or-string` / IntOrString: an integer or a string. */
  intOrString?: boolean
  /** A resource quantity: a string, or a number the API server accepts as well. */
  quantity?: boolean
  /** Anything goes (RawExtension, FieldsV1, a schema-less CRD version). */
  any?: boolean
  enum?: JsonValue[]
  properties?: Record<string, Schema>
  required?: string[]
  additionalProperties?: Schema | boolean
  items?: Schema
  nullable?: boolean
  /** `x-kubernetes-preserve-unknown-fields`: unknown keys are kept, not pruned. */
  preserveUnknown?: boolean
  /** `x-kubernetes-embedded-resource`: apiVersion, kind and metadata are implied. */
  embedded?: boolean
}

/** What is wrong with one value. */
export type ValidationCode = 'unknown-field' | 'wrong-type' | 'missing-required' | 'enum-mismatch'

/** One schema violation in one object. */
export interface ValidationFinding {
  code: ValidationCode
  /** Every violation is an error to the API server (server-side apply rejects it). */
  severity: 'error' | 'warning' | 'info'
  /** `Kind/namespace/name` (or `Kind/name`). */
  object: string
  apiVersion: string
  kind: string
  /** JSON path of the offending value: `spec.template.spec.containers[0].image`. */
  path: string
  message: string
  /** Where the schema came from: the bundled Kubernetes schemas or a CRD in the render. */
  schema: 'kubernetes' | 'crd'
}
