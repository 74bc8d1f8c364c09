import type { CompactNode, SchemaBundle } from './bundle-types.js'
import { K8S_SCHEMAS } from './data/k8s-schemas.generated.js'
import type { Schema } from './types.js'

const LEAVES: Record<string, Schema> = {
  string: { type: 'string' },
  integer: { type: 'integer' },
  number: { type: 'number' },
  boolean: { type: 'boolean' },
  'int-or-string': { intOrString: true },
  quantity: { quantity: true },
  any: { any: true },
}

/** Expands the compact schemas of one bundle on demand; types are shared, so cycles are fine. */
export class BuiltinSchemas {
  private readonly cache = new Map<string, Schema>()

  constructor(readonly bundle: SchemaBundle = K8S_SCHEMAS) {}

  /** The Kubernetes minor the bundle describes (`1.36`). */
  get kubernetesVersion(): string {
    return this.bundle.kubernetesVersion
  }

  /** The schema of a built-in apiVersion + kind, or undefined when the bundle does not serve it. */
  forKind(apiVersion: string, kind: string): Schema | undefined {
    const type = this.bundle.kinds[`${apiVersion}/${kind}`]
    return type ? this.type(type) : undefined
  }

  /** The schema of a named type (`io.k8s…` prefix dropped: `apimachinery.pkg.apis.meta.v1.ObjectMeta`). */
  type(name: string): Schema {
    const cached = this.cache.get(name)
    if (cached) return cached
    const def = this.bundle.types[name]
    if (!def) return { any: true }
    const schema: Schema = { type: 'object', properties: {} }
    this.cache.set(name, schema)
    for (const [field, node] of Object.entries(def.p)) schema.properties![field] = this.node(node)
    if (def.r) schema.required = def.r
    return schema
  }

  private node(node: CompactNode): Schema {
    if (typeof node === 'string') return node.startsWith('#') ? this.type(node.slice(1)) : (LEAVES[node] ?? { any: true })
    if ('a' in node) return { type: 'array', items: this.node(node.a) }
    if ('m' in node) return { type: 'object', additionalProperties: this.node(node.m) }
    return { type: 'string', enum: node.e }
  }
}

/** The ObjectMeta schema (custom resources share it with built-in kinds). */
export const OBJECT_META_TYPE = 'apimachinery.pkg.apis.meta.v1.ObjectMeta'
