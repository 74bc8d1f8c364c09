import type { Diagnostic } from '../core/diagnostics/diagnostic.js'
import { planChange } from '../core/diff/plan-change.js'
import { defaultGateConfig, evaluateGate, parseGateConfig, type Approval, type GateConfig, type Verdict } from '../core/gate/index.js'
import { headObjectsOf } from '../core/gate/head-objects.js'
import { collectSecretValues, Redactor } from '../core/mask/index.js'
import type { KubeObject } from '../core/model/object.js'
import type { Plan } from '../core/model/plan.js'
import type { FleetRender } from '../core/model/render-result.js'
import { UnitMemo, type UnitMemoStats } from '../core/render/flux/unit-memo.js'
import { phase } from '../core/timings/phases.js'
import { renderFleet, type RenderOptions } from '../core/render/render-fleet.js'
import { changedPaths } from '../core/tree/changed-paths.js'
import type { FileTree, RepoSource } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { Clock } from '../ports/clock.js'
import type { Logger } from '../ports/logger.js'
import type { RenderCache } from '../ports/render-cache.js'
import { capabilitiesOf, decideTrust, type ChangeOrigin, type Trust } from './trust.js'

/** The gate's settings file, read from the base branch (a pull request cannot loosen its own gate). */
export const GATE_CONFIG_FILE = '.github/fluxgate.yml'

/** What to plan: two revisions of one repository, and everything that decides how. */
export interface PlanRequest {
  source: RepoSource
  /** The base branch, tag or commit (the branch the change merges into, for a pull request). */
  base: string
  head: string
  /** Shown instead of `base` / `head` (a pull request's branch names when the refs are SHAs). */
  baseLabel?: string
  headLabel?: string
  /**
   * The branch the change merges into, for Flux's branch-sensitive rules (G-10: a
   * GitRepository of this repository tracking another branch is not touched by this change).
   * Undefined: unknown, and every branch of this repository counts as this tree.
   */
  branch?: string
  /** Where the change comes from: trust is decided from it, here (flows/trust.ts). */
  origin: ChangeOrigin
  /** Cluster entry paths; empty: discovered. */
  paths?: readonly string[]
  /** The URL GitRepositories use for this repository. */
  repoUrl?: string
  strictSubstitution?: boolean
  /** The caller's policy; trust may still forbid it. */
  allowRemoteCharts?: boolean
  /** Helm, used only when trust allows running it on the repository's charts. */
  helm?: HelmRunner
  /** Values never to show (the token, a kubeconfig). */
  secretValues?: readonly string[]
  logger?: Logger
  /** The clock, for the plan's duration (none: durations are 0). */
  clock?: Clock
  /**
   * Where renders of Flux Kustomizations and HelmReleases are kept between runs (a folder for
   * the CLI and the Action, memory for the App); without one, the head still reuses the base's
   * renders of every unit whose read-set the change does not meet.
   */
  renderCache?: RenderCache
}

/** A plan and everything the gate and the publishers need besides it. */
export interface PlannedChange {
  plan: Plan
  trust: Trust
  /** The gate settings of the base branch (defaults when absent) and what was wrong with them. */
  gate: { config: GateConfig; diagnostics: Diagnostic[] }
  /** Repository paths that differ between the merge base and head. */
  changedFiles: string[]
  baseFleet: FleetRender
  headFleet: FleetRender
  /** Every object of the head render as it may be shown (masked): the gate's view of the head. */
  headObjects: KubeObject[]
  /** Strips every secret value of both renders (and the caller's) from any text. */
  redactor: Redactor
  /** How many Kustomizations and HelmReleases were rendered, and how many reused (incremental planning). */
  units?: UnitMemoStats
}

/**
 * The plan of a change, for every front door (CLI, Action, App, post-merge). Steps:
 * 1. trust from the change's origin; what it allows (helm, remote charts);
 * 2. resolve both revisions and their merge base (base itself, with a warning, when they share
 *    no history): the head is compared with the merge base, so drift on the base branch does
 *    not show up;
 * 3. render both trees (git objects only: nothing from the change is checked out or run);
 * 4. compare, mask and plan the prune (core planChange);
 * 5. the changed paths, and the gate settings read from the base revision itself.
 */
export async function planFlow(req: PlanRequest): Promise<PlannedChange> {
  const started = req.clock?.now() ?? 0
  const baseSha = await req.source.resolve(req.base)
  const headSha = await req.source.resolve(req.head)
  const mergeBase = await req.source.mergeBase(baseSha, headSha)
  const fromSha = mergeBase ?? baseSha
  const fromTree = await req.source.tree(fromSha)
  const headTree = await req.source.tree(headSha)
  const baseTree = fromSha === baseSha ? fromTree : await req.source.tree(baseSha)
  const baseName = req.baseLabel ?? req.base
  const headName = req.headLabel ?? req.head
  const planned = await planTrees({
    ...req,
    from: { tree: fromTree, revision: fromSha, label: mergeBase && mergeBase !== baseSha ? `merge base of ${baseName}` : baseName },
    to: { tree: headTree, revision: headSha, label: headName },
    settings: baseTree,
    started,
  })
  if (!mergeBase) {
    planned.plan.diagnostics.push({ code: 'diff/no-merge-base', severity: 'warning', message: `${baseName} and ${headName} share no history: compared against ${baseName} itself` })
  }
  return planned
}

/** One side of a tree-level plan. */
export interface PlanSide {
  tree: FileTree
  /** The commit the tree is (reported as the plan's SHA). */
  revision: string
  label: string
}

/** planTrees: the rendering and trust parts of a PlanRequest, with the trees already read. */
export interface TreePlanRequest extends Omit<PlanRequest, 'source' | 'base' | 'head' | 'baseLabel' | 'headLabel'> {
  from: PlanSide
  to: PlanSide
  /** The tree whose `.github/fluxgate.yml` sets the gate (the base revision itself). */
  settings: FileTree
  /** When the plan started (now()), so the duration covers reading the trees. */
  started?: number
}

/**
 * Steps 1 and 3–5 of planFlow on two trees already read: trust, render both, compare and
 * mask, changed paths, gate settings. Image-update pull requests plan their edits with it.
 */
export async function planTrees(req: TreePlanRequest): Promise<PlannedChange> {
  const now = (): number => req.clock?.now() ?? 0
  const started = req.started ?? now()
  const logger = req.logger ?? quietLogger
  const trust = decideTrust(req.origin)
  const can = capabilitiesOf(trust, { allowRemoteCharts: req.allowRemoteCharts === true })
  if (!trust.trusted) logger.info(`untrusted change (${trust.reason}): charts are compared by values only and nothing is fetched`)
  const opts = (revision: string): RenderOptions => ({
    revision,
    ...(req.branch ? { branch: req.branch } : {}),
    ...(req.paths && req.paths.length > 0 ? { paths: [...req.paths] } : {}),
    ...(req.repoUrl ? { repoUrl: req.repoUrl } : {}),
    strictSubstitution: req.strictSubstitution ?? true,
    allowRemoteCharts: can.remoteCharts,
  })
  // One memo for both sides: the head renders only the units the change reaches (incremental planning).
  const units = new UnitMemo(req.renderCache ? { store: req.renderCache } : {})
  const ports = { logger, units, ...(req.clock ? { clock: req.clock } : {}), ...(can.helm && req.helm ? { helm: req.helm } : {}) }
  const baseFleet = await renderFleet(req.from.tree, opts(req.from.revision), ports)
  const headFleet = await renderFleet(req.to.tree, opts(req.to.revision), ports)
  const redactor = new Redactor(collectSecretValues([baseFleet, headFleet], req.secretValues ?? []))
  const plan = phase('plan: compare, prune, mask', () => planChange(baseFleet, headFleet, { baseRef: req.from.label, headRef: req.to.label, redactor, durationMs: now() - started }))
  return {
    plan,
    trust,
    gate: gateSettings(req.settings),
    changedFiles: phase('plan: changed paths', () => changedPaths(req.from.tree, req.to.tree)),
    baseFleet,
    headFleet,
    headObjects: phase('plan: compare, prune, mask', () => headObjectsOf(headFleet, redactor)),
    redactor,
    units: units.stats,
  }
}

/** A logger that drops everything, for callers that give none (library use, tests). */
export const quietLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} })

function gateSettings(tree: FileTree): PlannedChange['gate'] {
  const bytes = tree.readFile(GATE_CONFIG_FILE)
  if (!bytes) return { config: defaultGateConfig(), diagnostics: [] }
  return parseGateConfig(new TextDecoder().decode(bytes))
}

/** The gate's verdict on a planned change, with the approvals that hold for its head. */
export function verdictOf(planned: PlannedChange, approvals: readonly Approval[]): Verdict {
  return evaluateGate({
    plan: planned.plan,
    config: planned.gate.config,
    configDiagnostics: planned.gate.diagnostics,
    approvals: [...approvals],
    headSha: planned.plan.head.sha,
    changedFiles: planned.changedFiles,
    headObjects: planned.headObjects,
  })
}
