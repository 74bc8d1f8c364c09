import type { JsonValue } from '../model/object.js'

/** One `x-kubernetes-validations` entry: a CEL rule the API server evaluates with `self` bound to the value. */
export interface SchemaRule {
  rule: string
  message?: string
  /** Where the API server reports the failure, relative to the value (`.spec.url`). */
  fieldPath?: string
}

/**
 * The subset of an OpenAPI schema validation uses, the same for built-in kinds (from the
 * bundled Kubernetes schemas), Flux kinds (the bundled Flux CRDs) and custom resources (from a
 * CRD's `openAPIV3Schema`).
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
  /** Go regexp (RE2), unanchored: the value must contain a match. */
  pattern?: string
  minimum?: number
  maximum?: number
  exclusiveMinimum?: boolean
  exclusiveMaximum?: boolean
  minLength?: number
  maxLength?: number
  minItems?: number
  maxItems?: number
  minProperties?: number
  maxProperties?: number
  /** Set by the API server when the field is absent and its parent object is present. */
  default?: JsonValue
  /** `x-kubernetes-list-type`: `set` items and `map` keys must be unique. */
  listType?: 'atomic' | 'set' | 'map'
  listMapKeys?: string[]
  rules?: SchemaRule[]
  /**
   * The rules come from a CRD in the pull request, so any it cannot evaluate safely (a regex
   * through `matches`, a transition rule) are skipped rather than trusted.
   */
  untrustedRules?: boolean
}

/** What is wrong with one value. */
export type ValidationCode =
  | 'unknown-field'
  | 'wrong-type'
  | 'missing-required'
  | 'enum-mismatch'
  /** A pattern, length, range, item count or uniqueness constraint. */
  | 'invalid-value'
  /** An `x-kubernetes-validations` rule evaluated to false. */
  | 'rule-violation'

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
  /** `Kind/namespace/name: <field error as the API server words it>`. */
  message: string
  /** The field error alone, as the API server words it: `spec.prune: Required value`. */
  detail: string
  /** Where the schema came from: the bundled Kubernetes schemas, the bundled Flux CRDs, or a CRD in the render. */
  schema: 'kubernetes' | 'flux' | 'crd'
}
