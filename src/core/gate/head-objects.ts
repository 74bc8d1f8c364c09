import { maskRenderedObject, type Redactor } from '../mask/index.js'
import type { KubeObject } from '../model/object.js'
import type { FleetRender } from '../model/render-result.js'

/**
 * GateInput.headObjects from the head render: every rendered object of every cluster as it may
 * be shown (Secret and SOPS values `***`, Secret-sourced values removed), so no secret value
 * can reach a finding.
 */
export function headObjectsOf(render: FleetRender, redactor: Redactor): KubeObject[] {
  return render.clusters.flatMap((c) => c.objects.map((o) => maskRenderedObject(o, redactor)))
}
