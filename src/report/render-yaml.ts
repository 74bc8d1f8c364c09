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
 * source (`fluxgate render`). The objects come masked; names from the repository are kept on
 * their comment line.
 */
export function renderObjectsYaml(objects: readonly PrintableObject[]): string {
  return objects
    .map((o) => {
      const where = o.source ? ` (${formatLocation(o.source)})` : ''
      const head = `# cluster: ${o.cluster}\n# owner: ${ownerKey(o.owner)}${where}`.replaceAll(/\n(?!# )/g, ' ')
      return `---\n${head}\n${stringifyYaml12(o.object, { lineWidth: 0 })}`
    })
    .join('')
}
