import { maskRenderedObject, type Redactor } from '../mask/index.js'
import type { KubeObject } from '../model/object.js'
import { frozen } from '../model/frozen.js'
import { isFrozenRender, type ClusterRender, type FleetRender } from '../model/render-result.js'

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
  return render.clusters.flatMap((c) => shownOf(c, redactor))
}

/** The objects of frozen cluster renders the rules read, as shown, with the redactor that masked them. */
const SHOWN = new WeakMap<ClusterRender, { redactor: Redactor; objects: readonly KubeObject[] }>()

/**
 * A cluster's objects read by the rules, masked. A frozen render (a cluster walk reused whole)
 * is masked once for the same values: CustomResourceDefinitions are large, and every warm
 * replan masked each cluster's again. Shared, so frozen.
 */
function shownOf(c: ClusterRender, redactor: Redactor): readonly KubeObject[] {
  const kept = SHOWN.get(c)
  if (kept?.redactor.sameAs(redactor)) return kept.objects
  const objects = c.objects.filter((o) => readByRules(o.object)).map((o) => maskRenderedObject(o, redactor))
  if (!isFrozenRender(c)) return objects
  SHOWN.set(c, { redactor, objects: frozen(objects) })
  return objects
}
