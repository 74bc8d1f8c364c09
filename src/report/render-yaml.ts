import { stringifyYaml12 } from '../core/yaml/index.js'
import { formatLocation, type SourceLocation } from '../core/diagnostics/diagnostic.js'
import type { KubeObject } from '../core/model/object.js'
import { ownerKey, type OwnerRef } from '../core/model/render-result.js'

/** An object as the render printer receives it: already masked (flows/render). */
export interface PrintableObject {
  cluster: string
  owner: OwnerRef
  source?: SourceLocation
  object: KubeObject
}

/**
 * Every rendered object as a YAML document preceded by comments naming its cluster, owner and
 * source (`fluxgate render`), in pieces to write one after another. The objects come masked;
 * names from the repository are kept on their comment line.
 */
export function* renderObjectsYaml(objects: readonly PrintableObject[]): Generator<string> {
  // In pieces of about CHUNK characters: a fleet of 10,000 Kustomizations prints 72 MB, which
  // as one string (and its parts, and its bytes) stood at the top of the render's memory.
  let chunk = ''
  for (const o of objects) {
    const where = o.source ? ` (${formatLocation(o.source)})` : ''
    const head = `# cluster: ${o.cluster}\n# owner: ${ownerKey(o.owner)}${where}`.replaceAll(/\n(?!# )/g, ' ')
    chunk += `---\n${head}\n${stringifyYaml12(o.object, { lineWidth: 0 })}`
    if (chunk.length >= CHUNK) {
      yield chunk
      chunk = ''
    }
  }
  if (chunk !== '') yield chunk
}

const CHUNK = 1 << 20
