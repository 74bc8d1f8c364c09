import type { KubeObject } from '../model/object.js'
import * as policy from './policy/index.js'

/** A parsed ImagePolicy spec, opaque outside the policy module. */
export type PolicySpec = policy.PolicySpec

/**
 * The operations the scan and the downgrade guard need from the tag-selection module
 * (src/core/images/policy), behind one seam: tests can count calls, and scan/automation do
 * not depend on its internals.
 */
export interface PolicyEngine {
  parse(obj: KubeObject): { ok: true; spec: PolicySpec } | { ok: false; error: string }
  select(spec: PolicySpec, tags: string[]): { ok: true; tag: string; tieBroken?: boolean } | { ok: false; error: string }
  /** > 0 when `a` is preferred over `b` by the policy's order, 0 equal, undefined: not comparable. */
  compare(spec: PolicySpec, a: string, b: string): number | undefined
  /** Tags minus the exclusion list (Flux's default when undefined or empty, I-2), in stored order (I-3). */
  exclude(tags: string[], list: string[] | undefined): { ok: true; tags: string[] } | { ok: false; error: string }
}

/** The PolicyEngine backed by src/core/images/policy. */
export const fluxPolicyEngine: PolicyEngine = Object.freeze({
  parse: (obj: KubeObject) => policy.parseImagePolicy(obj),
  select: (spec: PolicySpec, tags: string[]) => policy.selectTag(spec, tags),
  compare: (spec: PolicySpec, a: string, b: string) => policy.compareTags(spec, a, b),
  exclude(tags: string[], list: string[] | undefined) {
    const compiled = policy.compileExclusionList(list)
    if (!compiled.ok) return { ok: false as const, error: compiled.error }
    return { ok: true as const, tags: policy.applyExclusionList(tags, list) }
  },
})
