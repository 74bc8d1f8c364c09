import type { KubeObject } from '../../model/object.js'
import { bundledKubernetesVersion, createValidator, fluxSchemas } from '../../validate/index.js'
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

function fluxSource(apiVersion: string, kind: string): string {
  const s = fluxSchemas().sourceOf(apiVersion, kind)
  return s ? `the ${s.repo} ${s.tag} CRD` : 'its Flux CRD'
}

/**
 * An added or changed object does not match its schema: the bundled Kubernetes OpenAPI for
 * built-in kinds, the bundled Flux CRDs for Flux's own kinds, or the CRD found in the head
 * render for custom resources (which wins, as on a cluster). Flux's
 * server-side apply dry-run would reject it, failing the whole Kustomization.
 */
export const invalidObject: GateRule = {
  id: 'invalid-object',
  description: 'An added or changed object fails schema validation (Kubernetes OpenAPI, the bundled Flux CRDs, or a CRD in the render): unknown field, wrong type, missing required field, value outside an enum or pattern, a CEL rule.',
  defaultLevel: 'fail',
  evaluate(ctx) {
    const validate = createValidator({ crds: headCrds(ctx), ...(ctx.config.kubernetesVersion ? { kubernetesVersion: ctx.config.kubernetesVersion } : {}) })
    const hits: RuleHit[] = []
    for (const { change, after } of headObjects(ctx.plan)) {
      for (const f of validate(after)) {
        const against = f.schema === 'crd' ? 'its CRD' : f.schema === 'flux' ? fluxSource(f.apiVersion, f.kind) : `the Kubernetes ${bundledKubernetesVersion()} schema`
        hits.push(hit(change, `${f.message} (${against})`))
      }
    }
    return hits
  },
}
