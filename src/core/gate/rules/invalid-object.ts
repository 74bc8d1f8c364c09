import type { KubeObject } from '../../model/object.js'
import { bundledKubernetesVersion, createValidator } from '../../validate/index.js'
import { headObjects, hit } from '../inspect.js'
import type { GateRule, RuleContext, RuleHit } from '../types.js'

function isCrd(o: KubeObject): boolean {
  return o.kind === 'CustomResourceDefinition' && o.apiVersion.startsWith('apiextensions.k8s.io/')
}

/** The CRDs of the head render, plus those the plan adds or changes (when headObjects is absent). */
function headCrds(ctx: RuleContext): KubeObject[] {
  const fromPlan = headObjects(ctx.plan).map((h) => h.after).filter(isCrd)
  return [...(ctx.headObjects ?? []).filter(isCrd), ...fromPlan]
}

/**
 * An added or changed object does not match its schema: the bundled Kubernetes OpenAPI for
 * built-in kinds, or the CRD found in the head render for custom resources. Flux's
 * server-side apply dry-run would reject it, failing the whole Kustomization.
 */
export const invalidObject: GateRule = {
  id: 'invalid-object',
  description: 'An added or changed object fails schema validation (Kubernetes OpenAPI or a CRD in the render): unknown field, wrong type, missing required field, value outside an enum.',
  defaultLevel: 'fail',
  evaluate(ctx) {
    const validate = createValidator({ crds: headCrds(ctx), ...(ctx.config.kubernetesVersion ? { kubernetesVersion: ctx.config.kubernetesVersion } : {}) })
    const hits: RuleHit[] = []
    for (const { change, after } of headObjects(ctx.plan)) {
      for (const f of validate(after)) {
        const against = f.schema === 'crd' ? 'its CRD' : `the Kubernetes ${bundledKubernetesVersion()} schema`
        hits.push(hit(change, `${f.message} (${against})`))
      }
    }
    return hits
  },
}
