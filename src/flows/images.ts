import { planAutomations, type AutomationPlan } from '../core/images/automation.js'
import { findImageObjects } from '../core/images/objects.js'
import { pinnedDigests } from '../core/images/pinned-digests.js'
import { fluxPolicyEngine } from '../core/images/policy-engine.js'
import { scanImages } from '../core/images/scan.js'
import type { Diagnostic } from '../core/diagnostics/diagnostic.js'
import type { FileTree } from '../ports/file-tree.js'
import type { GitIdentity, GitWorkspace, ImagePrHost } from '../ports/image-pr-host.js'
import type { Logger } from '../ports/logger.js'
import type { RegistryClient } from '../ports/registry.js'
import { renderComment } from '../report/index.js'
import { pullRequestBody, pullRequestTitle, TRAILER, blockedComment, closedComment, bodyMarker } from '../report/image-pr.js'
import { planTrees, quietLogger } from './plan.js'

/** The identity of commits when nobody configured one. */
export const DEFAULT_IDENTITY: GitIdentity = Object.freeze({ name: 'fluxgate[bot]', email: 'fluxgate[bot]@users.noreply.github.com' })

/** Everything the image pull-request flow needs; the front door wires real clients in. */
export interface ImagesRequest {
  host: ImagePrHost
  git: GitWorkspace
  registry: RegistryClient
  /** Base branch; default: the repository's default branch. */
  baseBranch?: string
  /** Committer of our commits (and author when the automation names none); default DEFAULT_IDENTITY. */
  identity?: GitIdentity
  allowDowngrade?: boolean
  /** Show the plan of each bump in its pull request body (default true). */
  showPlan?: boolean
  logger?: Logger
}

type ImagePrDeps = ImagesRequest & { identity: GitIdentity }

export type ImagePrAction = 'created' | 'updated' | 'unchanged' | 'closed' | 'blocked' | 'nothing' | 'failed'

/** What happened for one ImageUpdateAutomation. */
export interface ImagePrOutcome {
  automation: string
  branch: string
  action: ImagePrAction
  pullNumber?: number
  commit?: string
  diagnostics: Diagnostic[]
}

/**
 * Keeps one pull request per ImageUpdateAutomation in step with the registries:
 * 1. fetch the base branch and scan it (objects, tags, setter plan);
 * 2. per automation: find its open pull request and its branch;
 * 3. a branch holding anybody else's commit is never rewritten: comment once and stop;
 * 4. nothing to change any more: close the pull request with a comment, drop our branch;
 * 5. otherwise build the commit on the base tip; push (with a lease) only when the tree or
 *    base differs from what the branch has; create the pull request or update it in place.
 * Run twice with no new tags, the second run writes nothing.
 */
export async function imagesFlow(req: ImagesRequest): Promise<ImagePrOutcome[]> {
  const deps: ImagePrDeps = { ...req, identity: req.identity ?? DEFAULT_IDENTITY }
  const log = deps.logger ?? quietLogger
  await deps.git.init()
  const base = deps.baseBranch ?? (await deps.host.defaultBranch())
  const baseSha = await deps.git.fetchBranch(base)
  if (!baseSha) throw new Error(`base branch ${base} not found on the remote`)
  const tree = await deps.git.tree(baseSha)
  const objects = findImageObjects(tree)
  if (objects.automations.length === 0) {
    log.info('no ImageUpdateAutomation in the repository: no image pull requests')
    return []
  }
  const scan = await scanImages(objects, { registry: deps.registry, engine: fluxPolicyEngine, knownDigest: pinnedDigests(tree) })
  const plans = planAutomations(objects, tree, scan, { engine: fluxPolicyEngine, ...(deps.allowDowngrade ? { allowDowngrade: true } : {}) })
  const outcomes: ImagePrOutcome[] = []
  for (const plan of plans) {
    const outcome = await syncOne(deps, plan, { base, baseSha, tree }, scan.diagnostics).catch((err: unknown) => failed(plan, err))
    log.info(`${outcome.automation}: ${outcome.action}${outcome.pullNumber ? ` #${outcome.pullNumber}` : ''}`)
    outcomes.push(outcome)
  }
  return outcomes
}

async function syncOne(deps: ImagePrDeps, plan: AutomationPlan, base: { base: string; baseSha: string; tree: FileTree }, scanDiagnostics: Diagnostic[]): Promise<ImagePrOutcome> {
  const a = plan.automation
  const id = `${a.namespace}/${a.name}`
  const diagnostics = [...plan.diagnostics, ...scanDiagnostics.filter((d) => plan.changes.some((c) => d.owner === `ImagePolicy/${c.policy.replace(':', '/')}`))]
  const result = (action: ImagePrAction, extra: Partial<ImagePrOutcome> = {}): ImagePrOutcome => ({ automation: id, branch: plan.branch, action, diagnostics, ...extra })
  if (a.checkoutBranch && a.checkoutBranch !== base.base) {
    diagnostics.push({ code: 'images/other-checkout-branch', severity: 'info', message: `checks out ${a.checkoutBranch}, not ${base.base}; skipped`, location: a.location })
    return result('nothing')
  }
  const pull = await deps.host.openPull(plan.branch, base.base)
  const tip = await deps.git.fetchBranch(plan.branch)
  const commits = tip ? await deps.git.commitsBetween(base.baseSha, tip) : []
  const foreign = commits.filter((c) => !isOurs(c, id, deps.identity))
  if (foreign.length > 0) {
    if (pull) await commentOnce(deps, pull.number, blockedComment(id, plan.branch, foreign.map((c) => c.sha)))
    return result('blocked', pull ? { pullNumber: pull.number } : {})
  }
  if (plan.changes.length === 0 || plan.commitMessage === undefined) {
    if (plan.commitMessage === undefined) return result('failed', pull ? { pullNumber: pull.number } : {})
    if (!pull) return result('nothing')
    await deps.host.comment(pull.number, closedComment(id, base.base))
    await deps.host.closePull(pull.number)
    if (tip) await deps.git.deleteBranch(plan.branch, tip)
    return result('closed', { pullNumber: pull.number })
  }
  const commit = await ensureCommit(deps, plan, base.baseSha, tip, commits, id)
  const planMarkdown = deps.showPlan === false ? undefined : await bumpPlan(base.tree, overlay(base.tree, plan), base.baseSha)
  const title = pullRequestTitle(plan)
  const body = pullRequestBody(plan, id, planMarkdown)
  if (pull) {
    if (pull.title === title && pull.body === body && commit === tip) return result('unchanged', { pullNumber: pull.number, commit })
    if (pull.title !== title || pull.body !== body) await deps.host.updatePull(pull.number, title, body)
    return result('updated', { pullNumber: pull.number, commit })
  }
  const number = await deps.host.createPull(plan.branch, base.base, title, body)
  return result('created', { pullNumber: number, commit })
}

/**
 * A push refused by its lease (someone pushed meanwhile) or a GitHub API error ends this
 * automation's run, not the others'. Octokit and git-push messages carry no token.
 */
function failed(plan: AutomationPlan, err: unknown): ImagePrOutcome {
  const message = err instanceof Error ? err.message.split('\n')[0]! : String(err)
  return {
    automation: `${plan.automation.namespace}/${plan.automation.name}`,
    branch: plan.branch,
    action: 'failed',
    diagnostics: [...plan.diagnostics, { code: 'images/pull-request-failed', severity: 'error', message, location: plan.automation.location }],
  }
}

/**
 * The commit the branch should point at. The existing tip is kept when it is one commit of
 * ours on the current base with the same tree (so a rerun pushes nothing); otherwise a new
 * commit is made and force-pushed with a lease on the old tip.
 */
async function ensureCommit(deps: ImagePrDeps, plan: AutomationPlan, baseSha: string, tip: string | undefined, commits: { parents: string[] }[], id: string): Promise<string> {
  const author = plan.automation.author ? { name: plan.automation.author.name ?? deps.identity.name, email: plan.automation.author.email } : deps.identity
  const message = `${plan.commitMessage!.trimEnd()}\n\n${TRAILER}: ${id}\n`
  const files = plan.edits.map((e) => ({ path: e.path, text: e.after }))
  const fresh = await deps.git.commitFiles(baseSha, files, message, author, deps.identity)
  if (tip && commits.length === 1 && commits[0]!.parents[0] === baseSha && (await deps.git.treeId(tip)) === (await deps.git.treeId(fresh))) return tip
  await deps.git.pushBranch(fresh, plan.branch, tip)
  return fresh
}

function isOurs(c: { message: string; committerEmail: string }, id: string, identity: GitIdentity): boolean {
  return c.committerEmail === identity.email && c.message.includes(`${TRAILER}: ${id}`)
}

/** Posts a comment unless one with the same hidden marker is already there. */
async function commentOnce(deps: ImagePrDeps, issue: number, body: string): Promise<void> {
  const marker = bodyMarker(body)
  if ((await deps.host.comments(issue)).some((c) => marker !== undefined && c.includes(marker))) return
  await deps.host.comment(issue, body)
}

/**
 * The rendered plan of an image bump (base tree against base + edits) as markdown, so the
 * reviewer sees which Deployments roll. Charts are compared by values (no helm: the body must
 * not depend on a chart registry). A render problem never blocks the pull request: the body
 * then just has no plan section.
 */
async function bumpPlan(base: FileTree, head: FileTree, baseSha: string): Promise<string | undefined> {
  try {
    const planned = await planTrees({
      from: { tree: base, revision: baseSha, label: 'base' },
      to: { tree: head, revision: baseSha, label: 'image update' },
      settings: base,
      origin: { kind: 'default-branch' },
    })
    return renderComment(planned.plan, { maxChars: 40_000 })[0]
  } catch {
    return undefined
  }
}

/** The base tree with the plan's edits applied, for rendering the head side. */
function overlay(tree: FileTree, plan: AutomationPlan): FileTree {
  const edited = new Map(plan.edits.map((e) => [e.path, new TextEncoder().encode(e.after)]))
  return {
    stat: (p) => {
      const e = edited.get(p)
      return e ? { type: 'file', size: e.byteLength } : tree.stat(p)
    },
    readFile: (p) => edited.get(p) ?? tree.readFile(p),
    list: (d) => tree.list(d),
  }
}
