import { planChange } from '../../core/diff/plan-change.js'
import type { KubeObject } from '../../core/model/object.js'
import type { Plan } from '../../core/model/plan.js'
import type { FleetRender } from '../../core/model/render-result.js'
import { renderFleet, type RenderOptions } from '../../core/render/render-fleet.js'
import { HelmCli } from '../../infra/helm-cli.js'
import type { FileTree, RepoSource } from '../../ports/file-tree.js'
import type { Logger } from '../../ports/logger.js'

/** What to plan: two commits of one repository. */
export interface PlanRequest {
  source: RepoSource
  base: { ref: string; sha: string }
  head: { ref: string; sha: string }
  /** Cluster entry paths; empty: every cluster under `clusters/`. */
  paths: string[]
  repoUrl?: string
  /**
   * False for a pull request from a fork: its content is only read, never run, so Helm is
   * not started on its charts (HelmReleases compare values only) and nothing remote is fetched.
   */
  trusted: boolean
  allowRemoteCharts: boolean
  /** The helm binary; no helm: HelmReleases compare values only. */
  helmPath?: string
  /** Values never to show (the token). */
  secretValues: string[]
  logger: Logger
}

/** A plan plus what the gate needs besides it. */
export interface PlannedChange {
  plan: Plan
  /** `.github/fluxgate.yml` of the BASE commit (never the head: a PR cannot loosen its gate). */
  gateConfigText: string | undefined
  /** Repository paths that differ between the merge base and head. */
  changedFiles: string[]
  /**
   * Every object of the head render except Secrets, for the gate's CRD validation and image
   * policies. Secrets are left out so no Secret value can reach a finding.
   */
  headObjects: KubeObject[]
  /** The head render itself: the post-merge step decides from it what to reconcile. */
  headFleet: FleetRender
}

const GATE_CONFIG = '.github/fluxgate.yml'

/**
 * Plans head against the merge base of base and head (so drift on the base branch does not
 * show up), and reads the gate config from base itself. Steps:
 * 1. merge base of the two SHAs (base when they share no history);
 * 2. load the trees (git objects only: no checkout, nothing from the PR is executed);
 * 3. render both fleets and compare them;
 * 4. list changed paths and read the base's gate config.
 */
export async function planRevisions(req: PlanRequest): Promise<PlannedChange> {
  const started = Date.now()
  const fromSha = (await req.source.mergeBase(req.base.sha, req.head.sha)) ?? req.base.sha
  const [fromTree, headTree] = [await req.source.tree(fromSha), await req.source.tree(req.head.sha)]
  const baseTree = fromSha === req.base.sha ? fromTree : await req.source.tree(req.base.sha)
  const helm = req.trusted && req.helmPath ? new HelmCli({ helmPath: req.helmPath }) : undefined
  try {
    const ports = { logger: req.logger, ...(helm?.available() ? { helm } : {}) }
    const opts = (revision: string, branch: string): RenderOptions => ({
      revision,
      branch,
      ...(req.paths.length ? { paths: req.paths } : {}),
      ...(req.repoUrl ? { repoUrl: req.repoUrl } : {}),
      allowRemoteCharts: req.trusted && req.allowRemoteCharts,
    })
    const baseFleet = await renderFleet(fromTree, opts(fromSha, req.base.ref), ports)
    const headFleet = await renderFleet(headTree, opts(req.head.sha, req.base.ref), ports)
    const plan = planChange(baseFleet, headFleet, {
      baseRef: fromSha === req.base.sha ? req.base.ref : `merge base of ${req.base.ref}`,
      headRef: req.head.ref,
      secretValues: req.secretValues,
      durationMs: Date.now() - started,
    })
    const config = baseTree.readFile(GATE_CONFIG)
    const headObjects = headFleet.clusters.flatMap((c) => c.objects.map((o) => o.object)).filter((o) => !(o.kind === 'Secret' && o.apiVersion === 'v1'))
    return { plan, gateConfigText: config ? Buffer.from(config).toString('utf8') : undefined, changedFiles: changedPaths(fromTree, headTree), headObjects, headFleet }
  } finally {
    helm?.dispose()
  }
}

/** Paths whose bytes differ (added, removed or modified) between two trees, sorted. */
export function changedPaths(a: FileTree, b: FileTree): string[] {
  const files = (t: FileTree): Map<string, Uint8Array | undefined> => {
    const out = new Map<string, Uint8Array | undefined>()
    const walk = (dir: string): void => {
      for (const name of t.list(dir)) {
        const p = dir ? `${dir}/${name}` : name
        const s = t.stat(p)
        if (s?.type === 'dir') walk(p)
        else out.set(p, s?.type === 'symlink' ? Buffer.from(s.target ?? '') : t.readFile(p))
      }
    }
    walk('')
    return out
  }
  const [fa, fb] = [files(a), files(b)]
  const changed = new Set<string>()
  for (const [p, bytes] of fa) if (!fb.has(p) || !sameBytes(bytes, fb.get(p))) changed.add(p)
  for (const p of fb.keys()) if (!fa.has(p)) changed.add(p)
  return [...changed].sort()
}

function sameBytes(x: Uint8Array | undefined, y: Uint8Array | undefined): boolean {
  if (!x || !y) return x === y
  return x.byteLength === y.byteLength && Buffer.from(x).equals(Buffer.from(y))
}
