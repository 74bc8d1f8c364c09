import { danglingDependsOn } from './rules/dangling-depends-on.js'
import { deprecatedApiVersions } from './rules/deprecated-api-versions.js'
import { downgrade } from './rules/downgrade.js'
import { highRiskDeletion } from './rules/high-risk-deletion.js'
import { hostNamespace } from './rules/host-namespace.js'
import { imageOutsidePolicy } from './rules/image-outside-policy.js'
import { immutableFieldChange } from './rules/immutable-field-change.js'
import { invalidObject } from './rules/invalid-object.js'
import { largeChangeSet } from './rules/large-change-set.js'
import { majorVersionJump } from './rules/major-version-jump.js'
import { privilegedPod } from './rules/privileged-pod.js'
import { protectedClusters } from './rules/protected-clusters.js'
import { protectedPaths } from './rules/protected-paths.js'
import { pvcShrink } from './rules/pvc-shrink.js'
import { rbacWidened } from './rules/rbac-widened.js'
import { removedApiVersions } from './rules/removed-api-versions.js'
import { removedCriticalObject } from './rules/removed-critical-object.js'
import { renderErrors } from './rules/render-errors.js'
import { replicasZero } from './rules/replicas-zero.js'
import { suspendToggled } from './rules/suspend-toggled.js'
import { unknownAfterChange } from './rules/unknown-after-change.js'
import type { GateRule } from './types.js'

/**
 * Every merge-gate rule, in the order findings are reported (style rule 3: explicit list,
 * no discovery). Adding a rule: a file in rules/, an entry here, and a passing and a
 * failing case in registry.test.ts.
 */
export const GATE_RULES: readonly GateRule[] = Object.freeze([
  renderErrors,
  unknownAfterChange,
  invalidObject,
  removedApiVersions,
  deprecatedApiVersions,
  highRiskDeletion,
  protectedPaths,
  protectedClusters,
  removedCriticalObject,
  pvcShrink,
  immutableFieldChange,
  privilegedPod,
  hostNamespace,
  replicasZero,
  rbacWidened,
  majorVersionJump,
  downgrade,
  imageOutsidePolicy,
  suspendToggled,
  danglingDependsOn,
  largeChangeSet,
])

/** The ids of GATE_RULES, for config validation. */
export const GATE_RULE_IDS: ReadonlySet<string> = new Set(GATE_RULES.map((r) => r.id))
