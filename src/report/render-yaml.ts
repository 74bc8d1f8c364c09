import { stringify } from 'yaml'
import { maskRenderedObject, type Redactor } from '../core/mask/index.js'
import { ownerKey, type FleetRender } from '../core/model/render-result.js'

/**
 * Every rendered object as a YAML document preceded by comments naming its cluster, owner and
 * source (`fluxgate render`). Nothing from a Secret is printed: Secret and SOPS values become
 * `***` (keys stay) and values taken from Secrets are removed wherever they landed.
 */
export function renderObjectsYaml(fleet: FleetRender, redactor: Redactor): string {
  const docs: string[] = []
  for (const c of fleet.clusters) {
    for (const o of c.objects) {
      const where = o.source ? ` (${o.source.file}${o.source.line ? `:${o.source.line}` : ''})` : ''
      const head = redactor.text(`# cluster: ${c.name}\n# owner: ${ownerKey(o.owner)}${where}`).replaceAll(/\n(?!# )/g, ' ')
      docs.push(`${head}\n${stringify(maskRenderedObject(o, redactor), { lineWidth: 0 })}`)
    }
  }
  return docs.map((d) => `---\n${d}`).join('')
}
