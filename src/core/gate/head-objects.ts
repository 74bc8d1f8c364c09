import { maskRenderedObject, type Redactor } from '../mask/index.js'
import type { KubeObject } from '../model/object.js'
import type { FleetRender } from '../model/render-result.js'

/**
 * Whether a head object is one the gate's rules read beyond the plan's changes: a
 * CustomResourceDefinition (invalid-object validates custom resources against it) or an image
 * automation object (image-outside-policy binds tags to ImagePolicies through ImageRepositories).
 * A rule that needs another kind of head object adds it here.
 */
export function readByRules(o: KubeObject): boolean {
  return (o.kind === 'CustomResourceDefinition' && o.apiVersion.startsWith('apiextensions.k8s.io/')) || o.apiVersion.startsWith('image.toolkit.fluxcd.io/')
}

/**
 * GateInput.headObjects from the head render: the objects of every cluster that the rules read
 * (`readByRules`), as they may be shown (Secret and SOPS values `***`, Secret-sourced values
 * removed), so no secret value can reach a finding. Only those are masked: masking all of a
 * 1,000-Kustomization fleet's objects was a twentieth of a warm plan, for rules that read a few.
 */
export function headObjectsOf(render: FleetRender, redactor: Redactor): KubeObject[] {
  return render.clusters.flatMap((c) => c.objects.filter((o) => readByRules(o.object)).map((o) => maskRenderedObject(o, redactor)))
}
