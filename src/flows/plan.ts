import type { Diagnostic } from '../core/diagnostics/diagnostic.js'
import { parseRenderSettings, type RenderSettings } from '../core/load/render-settings.js'
import { planChange } from '../core/diff/plan-change.js'
import { defaultGateConfig, evaluateGate, parseGateConfig, type Approval, type GateConfig, type Verdict } from '../core/gate/index.js'
import { headObjectsOf } from '../core/gate/head-objects.js'
import { collectSecretValues, maskShown, Redactor } from '../core/mask/index.js'
import type { KubeObject } from '../core/model/object.js'
import type { Plan } from '../core/model/plan.js'
import type { FleetRender } from '../core/model/render-result.js'
import { UnitMemo } from '../core/render/flux/unit-memo.js'
import type { UnitMemoStats } from '../core/render/flux/unit-memo-types.js'
import type { FleetMemo } from '../core/render/fleet-memo.js'
import type { VolatileRecords } from '../core/render/flux/volatile-records.js'
import { ClusterMemo } from '../core/render/cluster-memo.js'
import { phase } from '../core/timings/phases.js'
import { renderFleets, type RenderOptions } from '../core/render/render-fleet.js'
import { changedPaths } from '../core/tree/changed-paths.js'
import { parseClusterValues, type ClusterValues } from '../core/load/cluster-values.js'
import type { FileTree, RepoSource } from '../ports/file-tree.js'
import type { HelmRunner } from '../ports/helm.js'
import type { ThreadPool } from '../ports/threads.js'
import type { Clock } from '../ports/clock.js'
import type { Logger } from '../ports/logger.js'
import type { RenderCache } from '../ports/render-cache.js'
import { capabilitiesOf, chartPolicy, decideTrust, type ChangeOrigin, type Trust } from './trust.js'

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
  /**
   * Sources that carry this repository (`Kind/namespace/name` → folder), added to (and
   * overriding) the `sources:` of the base branch's `.github/fluxgate.yml`.
   */
  sources?: ReadonlyMap<string, string>
  strictSubstitution?: boolean
  /**
   * No chart fetches at all (`--offline`): HelmReleases with remote charts compare values and
   * chart version only. Default false: a trusted change fetches remote charts.
   */
  offline?: boolean
  /** @deprecated Remote charts are fetched by default; `false` means `offline: true`. */
  allowRemoteCharts?: boolean
  /** Helm, used only when trust allows running it on the repository's charts. */
  helm?: HelmRunner
  /** Other threads to walk clusters in (ports/threads.ts); without, every cluster renders in this one. */
  threads?: ThreadPool
  /** Values never to show (the token, a kubeconfig). */
  secretValues?: readonly string[]
  /**
   * Values of ConfigMaps/Secrets that live only in the cluster (`--values-file`); they come after
   * the `clusterValues` of the base branch's `.github/fluxgate.yml`, so they win for the same source.
   */
  clusterValues?: ClusterValues
  logger?: Logger
  /** The clock, for the plan's duration (none: durations are 0). */
  clock?: Clock
  /** Told each step as it starts (`rendering head feature`), for progress on a terminal. */
  progress?: (step: string) => void
  /**
   * Where renders of Flux Kustomizations and HelmReleases are kept between runs (`--render-cache`);
   * without one, the head still reuses the base's renders of every unit its change does not reach.
   * An untrusted change only reads it.
   */
  renderCache?: RenderCache
  /**
   * Whether the plan waits for its records to reach the render cache before it is handed on
   * (default true: the caller may prune the cache, or end, next). A long-lived planner that
   * waits for them itself before its next use of the cache (the App's warm plan worker, once
   * its answer is posted) answers without waiting on the disk.
   */
  awaitRecords?: boolean
  /**
   * Whole renders of trees, kept between plans by a planner that plans this repository again
   * (the App's warm plan worker): a tree rendered before with the same settings is not walked
   * again (a pull request's merge base on its next push; both trees of a review asked again).
   */
  fleets?: FleetMemo
  /**
   * Records of units that read or hold a Secret, kept in memory by the same planner (never in
   * the render cache): the next plan re-renders such a unit only when what it read changed.
   * An untrusted change only reads them.
   */
  volatile?: VolatileRecords
  /**
   * Whole cluster walks kept by the same planner; without one, the plan keeps its own (the
   * head then walks only the clusters its change reaches).
   */
  clusters?: ClusterMemo
}

/** A plan and everything the gate and the publishers need besides it. */
export interface PlannedChange {
  /** The plan as it may be shown: every string of it without any secret value (names included). */
  plan: Plan
  /**
   * The plan as compared (object contents masked, names and messages as rendered): what the gate,
   * cluster picking and the reconcile act on, so that a secret equal to a cluster name or a kind
   * cannot hide it from a rule. Never shown: a Secret's value can sit in an object's name. The
   * same object as `plan` when there is no secret value.
   */
  workingPlan: Plan
  trust: Trust
  /** The gate settings of the base branch (defaults when absent) and what was wrong with them. */
  gate: { config: GateConfig; diagnostics: Diagnostic[] }
  /** Repository paths that differ between the merge base and head. */
  changedFiles: string[]
  baseFleet: FleetRender
  headFleet: FleetRender
  /**
   * Every object of the head render as it may be shown (masked): the gate's view of the head.
   * Masked when first read: a plan that is only shown (`fluxgate diff`) never needs it.
   */
  readonly headObjects: KubeObject[]
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
  req.progress?.('reading both revisions')
  // Side by side: each git process is mostly its own start, and a head tree shares the
  // merge base's blobs (the source reads each blob once, whichever tree asks first).
  const [baseSha, headSha] = await Promise.all([req.source.resolve(req.base), req.source.resolve(req.head)])
  // The head's tree is read while the merge base is looked for (a new push's tree is most of what is read).
  const reading = req.source.tree(headSha)
  reading.catch(() => undefined)
  const mergeBase = await req.source.mergeBase(baseSha, headSha)
  const fromSha = mergeBase ?? baseSha
  const [fromTree, headTree, ownBase] = await Promise.all([req.source.tree(fromSha), reading, fromSha === baseSha ? undefined : req.source.tree(baseSha)])
  const baseTree = ownBase ?? fromTree
  const baseName = req.baseLabel ?? req.base
  const headName = req.headLabel ?? req.head
  const notes: Diagnostic[] = mergeBase ? [] : [{ code: 'diff/no-merge-base', severity: 'warning', message: `${baseName} and ${headName} share no history: compared against ${baseName} itself` }]
  return planTrees({
    ...req,
    from: { tree: fromTree, revision: fromSha, label: mergeBase && mergeBase !== baseSha ? `merge base of ${baseName}` : baseName },
    to: { tree: headTree, revision: headSha, label: headName },
    settings: baseTree,
    started,
    notes,
  })
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
  /** Findings about the plan made before it (no merge base), added to its diagnostics before they are masked. */
  notes?: readonly Diagnostic[]
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
  const can = capabilitiesOf(trust, chartPolicy(req))
  if (!trust.trusted) logger.info(`untrusted change (${trust.reason}): charts are compared by values only and nothing is fetched`)
  const own = readSettings(req.settings)
  const clusterValues = [...own.clusterValues, ...(req.clusterValues ?? [])]
  // Render settings come from the base revision, like the gate's: a change renders as its target branch says.
  const settings = renderSettingsOf(req.settings, req.sources)
  const opts = (revision: string): RenderOptions => ({
    revision,
    ...(clusterValues.length > 0 ? { clusterValues } : {}),
    ...(req.branch ? { branch: req.branch } : {}),
    ...(req.paths && req.paths.length > 0 ? { paths: [...req.paths] } : {}),
    ...(req.repoUrl ? { repoUrl: req.repoUrl } : {}),
    strictSubstitution: req.strictSubstitution ?? true,
    allowRemoteCharts: can.remoteCharts,
    ...(can.remoteChartsOff ? { remoteChartsOff: can.remoteChartsOff } : {}),
    ...(can.helmOff ? { helmOff: can.helmOff } : {}),
    ...(settings.sources.size > 0 ? { sources: settings.sources } : {}),
    ...(settings.clusterNames.size > 0 ? { clusterNames: settings.clusterNames } : {}),
  })
  // One memo for both sides: the head renders only the units the change reaches (incremental planning).
  // An untrusted change reads the render cache but never writes to it: a record is only as right
  // as the read-set that guards it, and a hostile pull request must not be the one to vouch for
  // a render that a trusted review of the same repository later reuses.
  const units = new UnitMemo({ ...(req.renderCache ? { store: req.renderCache } : {}), ...(req.volatile ? { volatile: req.volatile } : {}), readOnly: !trust.trusted })
  const ports = { logger, units, clusters: req.clusters ?? new ClusterMemo(), ...(req.clock ? { clock: req.clock } : {}), ...(can.helm && req.helm ? { helm: req.helm } : {}), ...(req.threads ? { threads: req.threads } : {}), ...(req.fleets ? { fleets: req.fleets } : {}) }
  req.progress?.(`rendering ${req.from.label} and ${req.to.label}`)
  // Each cluster's base, then its head, so the head reuses the base's units (and, in another
  // thread, the two come back together); clusters side by side.
  const [baseFleet, headFleet] = (await renderFleets([{ tree: req.from.tree, opts: opts(req.from.revision) }, { tree: req.to.tree, opts: opts(req.to.revision) }], ports)) as [FleetRender, FleetRender]
  req.progress?.('comparing')
  const redactor = new Redactor(collectSecretValues([baseFleet, headFleet], req.secretValues ?? []))
  const workingPlan = phase('plan: compare, prune, mask', () => planChange(baseFleet, headFleet, { baseRef: req.from.label, headRef: req.to.label, redactor, durationMs: now() - started }))
  workingPlan.diagnostics.push(...settings.diagnostics, ...(req.notes ?? []))
  // Records were written beside the render; they are kept before the plan is handed on (the
  // caller prunes the cache next), unless the caller waits for them itself.
  if (req.awaitRecords !== false) await req.renderCache?.settled?.()
  let headObjects: KubeObject[] | undefined
  return {
    plan: maskShown(workingPlan, redactor),
    workingPlan,
    trust,
    gate: own.gate,
    changedFiles: phase('plan: changed paths', () => changedPaths(req.from.tree, req.to.tree)),
    baseFleet,
    headFleet,
    get headObjects(): KubeObject[] {
      return (headObjects ??= phase('plan: compare, prune, mask', () => headObjectsOf(headFleet, redactor)))
    },
    redactor,
    units: units.stats,
  }
}

/** A logger that drops everything, for callers that give none (library use, tests). */
export const quietLogger: Logger = Object.freeze({ debug() {}, info() {}, warn() {}, error() {} })

/** The render settings of a tree's `.github/fluxgate.yml`, with the caller's source mappings on top. */
export function renderSettingsOf(tree: FileTree, sources: ReadonlyMap<string, string> | undefined): RenderSettings {
  const bytes = tree.readFile(GATE_CONFIG_FILE)
  const settings = parseRenderSettings(bytes ? new TextDecoder().decode(bytes) : undefined)
  for (const [k, v] of sources ?? []) settings.sources.set(k, v)
  return settings
}

/**
 * The base branch's `.github/fluxgate.yml`: the gate's settings and the `clusterValues`. A
 * problem with either makes the gate neutral (its diagnostics are the gate's config diagnostics).
 */
function readSettings(tree: FileTree): { gate: PlannedChange['gate']; clusterValues: ClusterValues } {
  const bytes = tree.readFile(GATE_CONFIG_FILE)
  if (!bytes) return { gate: { config: defaultGateConfig(), diagnostics: [] }, clusterValues: [] }
  const text = new TextDecoder().decode(bytes)
  const gate = parseGateConfig(text)
  const values = parseClusterValues(text, GATE_CONFIG_FILE)
  // A YAML error is reported once, by the gate's parser.
  const extra = values.diagnostics.filter((d) => !d.message.startsWith('not valid YAML') && d.message !== 'the file must be a mapping')
  return { gate: { config: gate.config, diagnostics: [...gate.diagnostics, ...extra] }, clusterValues: values.values }
}

/**
 * A planned change without its renders: what a review publishes and gates (the plan, the gate's
 * inputs, the redactor). The App's plan worker answers with it, so both fleets never cross to
 * the thread that serves every other pull request.
 */
export type ReviewablePlan = Omit<PlannedChange, 'baseFleet' | 'headFleet'>

/**
 * The gate's verdict on a planned change, with the approvals that hold for its head: rules read
 * the working plan, and the verdict's texts are masked as the plan is (they quote names).
 */
export function verdictOf(planned: ReviewablePlan, approvals: readonly Approval[]): Verdict {
  return maskShown(verdictOn(planned, approvals), planned.redactor)
}

function verdictOn(planned: ReviewablePlan, approvals: readonly Approval[]): Verdict {
  return evaluateGate({
    plan: planned.workingPlan,
    config: planned.gate.config,
    configDiagnostics: planned.gate.diagnostics,
    approvals: [...approvals],
    headSha: planned.workingPlan.head.sha,
    changedFiles: planned.changedFiles,
    headObjects: planned.headObjects,
  })
}
