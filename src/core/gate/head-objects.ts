import type { KubeObject } from '../model/object.js'
import type { FleetRender } from '../model/render-result.js'

/**
 * GateInput.headObjects from the head render: every rendered object of every cluster, the
 * masked copy where there is one, so no Secret-sourced value can reach the gate's messages.
 */
export function headObjectsOf(render: FleetRender): KubeObject[] {
  return render.clusters.flatMap((c) => c.objects.map((o) => o.masked ?? o.object))
}
