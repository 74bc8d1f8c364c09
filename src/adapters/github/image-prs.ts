import { planAutomations, type AutomationPlan } from '../../core/images/automation.js'
import { findImageObjects } from '../../core/images/objects.js'
import { pinnedDigests } from '../../core/images/pinned-digests.js'
import { fluxPolicyEngine } from '../../core/images/policy-engine.js'
import { scanImages } from '../../core/images/scan.js'
import type { Diagnostic } from '../../core/diagnostics/diagnostic.js'
import type { FileTree } from '../../ports/file-tree.js'
import type { Logger } from '../../ports/logger.js'
import { silentLogger } from '../../infra/silent-logger.js'
import type { RegistryClient } from '../../ports/registry.js'
import type { GitIdentity, GitRemoteWorkspace } from '../../infra/git-push.js'
import { pullRequestBody, pullRequestTitle, TRAILER, blockedComment, closedComment, bodyMarker } from './image-pr-text.js'

/** The one GitHub call shape both Octokit flavours (probot, @actions/github) offer. */
export interface GitHubRequester {
  request(route: string, params?: Record<string, unknown>): Promise<{ status: number; data: unknown }>
}

/** Everything the image pull-request flow needs; the adapter wires real clients in. */
export interface ImagePrDeps {
  github: GitHubRequester
  owner: string
  repo: string
  git: Pick<GitRemoteWorkspace, 'init' | 'fetchBranch' | 'tree' | 'treeId' | 'commitsBetween' | 'commitFiles' | 'pushBranch' | 'deleteBranch'>
  registry: RegistryClient
  /** Base branch; default: the repository's default branch. */
  baseBranch?: string
  /** Committer of our commits (and author when the automation names none). */
  identity: GitIdentity
  allowDowngrade?: boolean
  /** Renders what the bump changes (the plan of issue 5) as markdown, when wired. */
  renderPlan?: (base: FileTree, head: FileTree) => Promise<string | undefined>
  logger?: Logger
}

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

interface Pull {
  number: number
  title: string
  body: string | null
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
export async function syncImagePullRequests(deps: ImagePrDeps): Promise<ImagePrOutcome[]> {
  const log = deps.logger ?? silentLogger
  await deps.git.init()
  const base = deps.baseBranch ?? (await defaultBranchOf(deps))
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
  const pull = await findOpenPull(deps, plan.branch, base.base)
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
    await deps.github.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: deps.owner, repo: deps.repo, issue_number: pull.number, body: closedComment(id, base.base) })
    await deps.github.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner: deps.owner, repo: deps.repo, pull_number: pull.number, state: 'closed' })
    if (tip) await deps.git.deleteBranch(plan.branch, tip)
    return result('closed', { pullNumber: pull.number })
  }
  const commit = await ensureCommit(deps, plan, base.baseSha, tip, commits, id)
  const planMarkdown = deps.renderPlan ? await deps.renderPlan(base.tree, overlay(base.tree, plan)) : undefined
  const title = pullRequestTitle(plan)
  const body = pullRequestBody(plan, id, planMarkdown)
  if (pull) {
    if (pull.title === title && pull.body === body && commit === tip) return result('unchanged', { pullNumber: pull.number, commit })
    if (pull.title !== title || pull.body !== body) {
      await deps.github.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { owner: deps.owner, repo: deps.repo, pull_number: pull.number, title, body })
    }
    return result('updated', { pullNumber: pull.number, commit })
  }
  const created = await deps.github.request('POST /repos/{owner}/{repo}/pulls', { owner: deps.owner, repo: deps.repo, head: plan.branch, base: base.base, title, body })
  return result('created', { pullNumber: (created.data as Pull).number, commit })
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

async function defaultBranchOf(deps: ImagePrDeps): Promise<string> {
  const res = await deps.github.request('GET /repos/{owner}/{repo}', { owner: deps.owner, repo: deps.repo })
  return (res.data as { default_branch: string }).default_branch
}

async function findOpenPull(deps: ImagePrDeps, branch: string, base: string): Promise<Pull | undefined> {
  const res = await deps.github.request('GET /repos/{owner}/{repo}/pulls', { owner: deps.owner, repo: deps.repo, state: 'open', head: `${deps.owner}:${branch}`, base, per_page: 100 })
  return (res.data as Pull[])[0]
}

/** Posts a comment unless one with the same hidden marker is already there. */
async function commentOnce(deps: ImagePrDeps, issue: number, body: string): Promise<void> {
  const marker = bodyMarker(body)
  const res = await deps.github.request('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: deps.owner, repo: deps.repo, issue_number: issue, per_page: 100 })
  if ((res.data as { body?: string }[]).some((c) => marker !== undefined && c.body?.includes(marker))) return
  await deps.github.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { owner: deps.owner, repo: deps.repo, issue_number: issue, body })
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
