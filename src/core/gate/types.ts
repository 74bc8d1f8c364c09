import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js'
import type { KubeObject } from '../model/object.js'
import type { Plan } from '../model/plan.js'

/** What a policy does with its findings: ignore, report, or fail the check. */
export type PolicyLevel = 'off' | 'warn' | 'fail'

/** The gate's settings, read from `.github/fluxgate.yml` on the base branch (parseGateConfig). */
export interface GateConfig {
  /** Kubernetes minor the clusters run (`1.32`), for removed API versions; undefined: not checked. */
  kubernetesVersion?: string
  /** Flux minor the clusters run (`2.9`), for removed Flux API versions. */
  fluxVersion: string
  /** Level per rule id; rules not listed use their default level. */
  policies: Record<string, PolicyLevel>
  /** Repository path globs (`clusters/prod/**`) whose change needs an approval. */
  protectedPaths: string[]
  /** Cluster names (entry folder base names) whose change needs an approval. */
  protectedClusters: string[]
  /** More object changes than this in one pull request is a large change set. */
  largeChangeSet: number
}

/** One problem a rule found. */
export interface Finding {
  ruleId: string
  level: Exclude<PolicyLevel, 'off'>
  /** One sentence; never a Secret value (plans are masked already). */
  message: string
  location?: SourceLocation
  /** The finding stops failing the gate once someone approves the head SHA. */
  needsApproval?: boolean
}

/** An approval given on the pull request, for the commit it was given on. */
export interface Approval {
  sha: string
  by: string
  /** `label`, `comment` (`/fluxgate approve`), `check-action` … */
  via: string
}

/** The gate's answer for one head commit. */
export interface Verdict {
  /** `neutral` only when the gate could not evaluate; never success in that case. */
  conclusion: 'success' | 'failure' | 'neutral'
  findings: Finding[]
  approval: { required: boolean; satisfied: boolean; by?: string }
  /** One line for the check run title. */
  summary: string
}

/** What a rule sees. */
export interface RuleContext {
  plan: Plan
  config: GateConfig
  changedFiles: string[]
  /** The head render's objects the rules read (GateInput.headObjects), when the caller passed them. */
  headObjects?: KubeObject[]
}

/** A rule's raw result, before the configured level is applied. */
export interface RuleHit {
  message: string
  location?: SourceLocation
}

/** A merge-gate rule (style rule 3): one file each, listed in registry.ts. */
export interface GateRule {
  /** Stable kebab-case id, also the key under `policies:` in the config. */
  id: string
  /** One sentence for the docs and the config reference. */
  description: string
  defaultLevel: PolicyLevel
  /** Findings of this rule can be approved instead of fixed. */
  needsApproval?: boolean
  evaluate(ctx: RuleContext): RuleHit[]
}

/** Input of evaluateGate. */
export interface GateInput {
  plan: Plan
  config: GateConfig
  approvals: Approval[]
  headSha: string
  changedFiles: string[]
  /** Diagnostics of parseGateConfig: an error there makes the verdict neutral. */
  configDiagnostics?: Diagnostic[]
  /**
   * The head render's objects, all clusters, that the rules read (masked, like the plan;
   * headObjectsOf gives them, `readByRules` says which): the CRDs validate custom resources
   * (invalid-object), the ImageRepositories and ImagePolicies bound image tags
   * (image-outside-policy). Optional: without it those rules see only the objects the plan changes.
   */
  headObjects?: KubeObject[]
}
