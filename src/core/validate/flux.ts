import type { CrdBundle, CrdSource } from './crd-bundle-types.js'
import { fromOpenApiV3 } from './crd.js'
import { FLUX_SCHEMAS } from './data/flux-schemas.generated.js'
import type { Schema } from './types.js'

/**
 * The bundled schemas of Flux's own kinds (scripts/gen-flux-schemas.mjs), expanded on demand:
 * what the API server checks a Flux object against before kustomize-controller's apply.
 */
export class FluxSchemas {
  private readonly kinds = new Map<string, Schema>()
  private readonly types = new Map<string, Schema>()

  constructor(readonly bundle: CrdBundle = FLUX_SCHEMAS) {}

  /** The schema of a Flux apiVersion + kind, or undefined when no bundled release serves it. */
  forKind(apiVersion: string, kind: string): Schema | undefined {
    const key = `${apiVersion}/${kind}`
    const cached = this.kinds.get(key)
    if (cached) return cached
    const entry = Object.hasOwn(this.bundle.kinds, key) ? this.bundle.kinds[key] : undefined
    if (!entry) return undefined
    const schema = fromOpenApiV3(entry.schema, { resolve: (ref) => this.type(ref) })
    this.kinds.set(key, schema)
    return schema
  }

  /** The release the schema of `apiVersion` `kind` was taken from. */
  sourceOf(apiVersion: string, kind: string): CrdSource | undefined {
    const key = `${apiVersion}/${kind}`
    const entry = Object.hasOwn(this.bundle.kinds, key) ? this.bundle.kinds[key] : undefined
    return entry ? this.bundle.sources[entry.source] : undefined
  }

  /** Every bundled `group/version/Kind`. */
  keys(): string[] {
    return Object.keys(this.bundle.kinds)
  }

  private type(ref: string): Schema {
    const cached = this.types.get(ref)
    if (cached) return cached
    const node = Object.hasOwn(this.bundle.types, ref) ? this.bundle.types[ref] : undefined
    const schema = fromOpenApiV3(node, { resolve: (r) => this.type(r) })
    this.types.set(ref, schema)
    return schema
  }
}
