import { readFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import * as core from '@actions/core'
import { COMMENT_POLICIES, parseChatCommand, type ChatCommand, type CommentPolicy, type LiveApproval } from '../../flows/index.js'
import { findHelm, HelmPathError } from '../../infra/helm-binary.js'
import { queuedPullNumber, targetOf, type PullJson, type ReviewTarget } from '../github/pull-target.js'
import { defaultThreads, threadCount } from '../../infra/thread-pool.js'

/** Which job this run does, decided from the event (README: the workflow file). */
export type ActionJob =
  /** Plan and gate a pull request head (pull_request, labeled). */
  | { kind: 'review'; target: ReviewTarget }
  /** The check run's Approve button: look the pull request up, then review it with that approval. */
  | { kind: 'lookup'; issue?: number; headSha?: string; live: LiveApproval }
  /** A `/fluxgate …` comment on a pull request: look it up, answer the command, maybe review again. */
  | { kind: 'command'; issue: number; command: ChatCommand; comment: { id: number; body: string; by: string } }
  /** `mode: images` (a schedule or workflow_dispatch run): open or update the image-update pull requests. */
  | { kind: 'images' }
  /** Plan and gate a merge-queue head; `prNumber` from the queue branch name, for approvals. */
  | { kind: 'merge-group'; base: Rev; head: Rev; prNumber?: number }
  /** A push to the default branch: the post-merge step. */
  | { kind: 'post-merge'; sha: string; branch: string }
  /** Nothing to do for this event; `reason` says why. */
  | { kind: 'skip'; reason: string }

/** A ref name and the commit it points at. */
export interface Rev {
  ref: string
  sha: string
}

/** Every input and the workflow context, parsed once (style rule 1). */
export interface ActionSettings {
  /** The token (already registered as a secret with the runner). */
  token: string
  owner: string
  repo: string
  /** The checkout to read git objects from (needs `fetch-depth: 0`). */
  repositoryPath: string
  /** Cluster entry paths; empty: discovered (src/core/load/discover.ts). */
  paths: string[]
  /** When to post the sticky comment (input `comment`: always, on-change, never). */
  comment: CommentPolicy
  /** Label whose presence approves the head commit. */
  approveLabel: string
  /** Fail the job when the gate fails (besides the check run). */
  failOnGate: boolean
  /** Fetch no chart (input `offline`, or the deprecated `allow-remote-charts: false`). */
  offline: boolean
  /** Where fetched chart archives are kept (input `chart-cache`), for an actions/cache step. */
  chartCache: string
  /** Keep renders in `renders/` of the chart cache between runs (input `render-cache`). */
  renderCache: boolean
  /** Render threads (input `threads`; default: defaultThreads() of the runner). */
  threads: number
  helmPath?: string
  /** Where the JSON report is written. */
  reportPath: string
  /** A kubeconfig for the post-merge reconcile; empty: nothing to do after a merge. */
  kubeconfig?: string
  /** The fleet cluster the kubeconfig reaches (default: named like its context, or the only one). */
  cluster?: string
  /** Limit of each post-merge wait (input `reconcile-timeout`, default 5m). */
  reconcileTimeoutMs: number
  /** The runner's temp folder (RUNNER_TEMP), for the kubeconfig's private file. */
  tempDir: string
  apiUrl: string
  serverUrl: string
  /** The workflow run's URL, for the check run's details link. */
  runUrl?: string
  /** `mode: images`: registry credentials file and plain-HTTP registries (input names below). */
  images: { registryConfig?: string; allowInsecure: boolean; baseBranch?: string }
  job: ActionJob
}

/** Input `threads`: empty for the runner's default, else a whole number from 1 to 64. */
function threadsInput(): number {
  const raw = core.getInput('threads').trim()
  if (raw === '') return defaultThreads()
  const n = threadCount(raw)
  if (n === undefined) throw new Error(`input threads: expected a whole number from 1 to 64, got '${raw}'`)
  return n
}

function bool(name: string, fallback: boolean): boolean {
  const raw = core.getInput(name).trim().toLowerCase()
  if (raw === '') return fallback
  if (['true', 'yes', 'on', '1'].includes(raw)) return true
  if (['false', 'no', 'off', '0'].includes(raw)) return false
  throw new Error(`input ${name}: expected true or false, got '${raw}'`)
}

/** `comment`: always, on-change or never; `true`/`false` as before (always/never). */
function commentPolicy(): CommentPolicy {
  const raw = core.getInput('comment').trim().toLowerCase()
  if (raw === '') return 'on-change'
  if (['true', 'yes', 'on', '1'].includes(raw)) return 'always'
  if (['false', 'no', 'off', '0'].includes(raw)) return 'never'
  const policy = COMMENT_POLICIES.find((p) => p === raw)
  if (!policy) throw new Error(`input comment: expected always, on-change or never, got '${raw}'`)
  return policy
}

function list(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** `5m`, `90s`, `1h`, `500ms` or a bare number of seconds, in milliseconds. */
function duration(name: string, fallback: string): number {
  const raw = core.getInput(name).trim() || fallback
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(raw)
  if (!m) throw new Error(`input ${name}: expected a duration like 5m or 90s, got '${raw}'`)
  const unit = m[2] ?? 's'
  return Math.round(Number(m[1]) * (unit === 'ms' ? 1 : unit === 's' ? 1000 : unit === 'm' ? 60_000 : 3_600_000))
}

/**
 * `allow-remote-charts`, deprecated since remote charts are fetched by default: an explicit
 * `false` still turns them off (as `offline: true`), `true` changes nothing; both warn.
 */
function deprecatedAllowRemoteCharts(): boolean | undefined {
  if (core.getInput('allow-remote-charts').trim() === '') return undefined
  const value = bool('allow-remote-charts', true)
  core.warning(`input allow-remote-charts is deprecated: remote charts are fetched by default${value ? '' : '; use offline: true to turn them off (done for this run)'}`)
  return value
}

/** `chart-cache`: `~/` is the runner's home, as in actions/cache; a relative path is refused (it would land in the checkout). */
function chartCacheInput(env: NodeJS.ProcessEnv, workspace: string): string {
  // The default is the path README's actions/cache example keeps, whatever XDG_CACHE_HOME says.
  const raw = core.getInput('chart-cache').trim() || '~/.cache/fluxgate/charts'
  const expanded = raw === '~' || raw.startsWith('~/') ? join(env['HOME'] || homedir(), raw.slice(1)) : raw
  if (!isAbsolute(expanded)) throw new Error(`input chart-cache: expected an absolute path or one starting with ~/, got '${raw}'`)
  if (expanded === workspace || expanded.startsWith(`${workspace}/`)) core.warning('input chart-cache is inside the workspace: the checkout under review could hold files there')
  return expanded
}

/**
 * Masks the kubeconfig in every log line: the whole value, and each credential in it on its
 * own (the runner masks a multi-line secret only where it appears whole).
 */
function maskKubeconfig(text: string): void {
  core.setSecret(text)
  for (const line of text.split('\n')) {
    const m = /^\s*-?\s*(token|password|client-key-data|client-certificate-data|username|id-token|refresh-token|access-token)\s*:\s*['"]?([^'"\s]+)['"]?\s*$/.exec(line)
    if (m?.[2] && m[2].length >= 4) core.setSecret(m[2])
  }
}

/**
 * Reads every input (INPUT_*) and the GITHUB_* context into ActionSettings. Validation errors
 * name the input and the expected form. Nothing below the runner reads inputs or the env.
 */
export function readSettings(env: NodeJS.ProcessEnv = process.env): ActionSettings {
  const token = core.getInput('github-token', { required: true })
  core.setSecret(token)
  const [owner = '', repo = ''] = (env['GITHUB_REPOSITORY'] ?? '').split('/')
  if (!owner || !repo) throw new Error('GITHUB_REPOSITORY is not set: run this inside a GitHub Actions workflow')
  const eventName = env['GITHUB_EVENT_NAME'] ?? ''
  const eventPath = env['GITHUB_EVENT_PATH']
  const payload = eventPath ? (JSON.parse(readFileSync(eventPath, 'utf8')) as Payload) : {}
  const workspace = env['GITHUB_WORKSPACE'] ?? process.cwd()
  const serverUrl = env['GITHUB_SERVER_URL'] ?? 'https://github.com'
  const runId = env['GITHUB_RUN_ID']
  const helmPath = actionHelm(core.getInput('helm-path'), [workspace, core.getInput('repository-path') || workspace, process.cwd()], env)
  const kubeconfig = core.getInput('kubeconfig')
  if (kubeconfig) maskKubeconfig(kubeconfig)
  const cluster = core.getInput('cluster')
  const mode = core.getInput('mode').trim().toLowerCase() || 'review'
  if (mode !== 'review' && mode !== 'images') throw new Error(`input mode: expected review or images, got '${mode}'`)
  const registryConfig = core.getInput('registry-config')
  const imagesBase = core.getInput('images-base-branch')
  return {
    token,
    owner,
    repo,
    repositoryPath: core.getInput('repository-path') || workspace,
    paths: list('paths'),
    comment: commentPolicy(),
    approveLabel: core.getInput('approve-label') || 'fluxgate/approved',
    failOnGate: bool('fail-on-gate', false),
    offline: bool('offline', false) || deprecatedAllowRemoteCharts() === false,
    chartCache: chartCacheInput(env, workspace),
    renderCache: bool('render-cache', false),
    threads: threadsInput(),
    ...(helmPath ? { helmPath } : {}),
    reportPath: core.getInput('report-path') || join(env['RUNNER_TEMP'] ?? workspace, 'fluxgate-report.json'),
    ...(kubeconfig ? { kubeconfig } : {}),
    ...(cluster ? { cluster } : {}),
    reconcileTimeoutMs: duration('reconcile-timeout', '5m'),
    tempDir: env['RUNNER_TEMP'] || tmpdir(),
    apiUrl: env['GITHUB_API_URL'] ?? 'https://api.github.com',
    serverUrl,
    ...(runId ? { runUrl: `${serverUrl}/${owner}/${repo}/actions/runs/${runId}` } : {}),
    images: { ...(registryConfig ? { registryConfig } : {}), allowInsecure: bool('allow-insecure-registries', false), ...(imagesBase ? { baseBranch: imagesBase } : {}) },
    job: mode === 'images' ? { kind: 'images' } : jobOf(eventName, payload, env, { base: core.getInput('base'), head: core.getInput('head'), approveLabel: core.getInput('approve-label') || 'fluxgate/approved' }),
  }
}

// The webhook payload, as far as the Action reads it.
interface Payload {
  action?: string
  number?: number
  pull_request?: PullJson
  repository?: { full_name?: string; default_branch?: string }
  issue?: { number: number; pull_request?: unknown }
  comment?: { id?: number; body?: string; user?: { login?: string } }
  sender?: { login?: string }
  label?: { name?: string }
  check_run?: { head_sha: string; pull_requests?: { number: number }[] }
  requested_action?: { identifier?: string }
  merge_group?: { head_sha: string; head_ref: string; base_sha: string; base_ref: string }
  ref?: string
  after?: string
}

/** The job an event asks for (explicit `base`/`head` inputs override the event's SHAs). */
export function jobOf(eventName: string, p: Payload, env: NodeJS.ProcessEnv, override: { base: string; head: string; approveLabel: string }): ActionJob {
  const pick = (rev: Rev, input: string): Rev => (input ? { ref: input, sha: input } : rev)
  if ((eventName === 'pull_request' || eventName === 'pull_request_target') && p.pull_request) {
    const target = targetOf(p.pull_request, p.repository?.full_name ?? env['GITHUB_REPOSITORY'] ?? '', p.action === 'synchronize')
    const live: LiveApproval | undefined = p.action === 'labeled' && p.label?.name === override.approveLabel && p.sender?.login ? { by: p.sender.login, via: 'label' } : undefined
    return { kind: 'review', target: { ...target, base: pick(target.base, override.base), head: pick(target.head, override.head), ...(live ? { live } : {}) } }
  }
  if (eventName === 'issue_comment') {
    if (!p.issue?.pull_request) return { kind: 'skip', reason: 'the comment is not on a pull request' }
    const by = p.comment?.user?.login
    const id = p.comment?.id
    const command = parseChatCommand(p.comment?.body)
    if (p.action !== 'created' || !by || typeof id !== 'number' || !command) return { kind: 'skip', reason: 'the comment is not a /fluxgate command' }
    return { kind: 'command', issue: p.issue.number, command, comment: { id, body: p.comment?.body ?? '', by } }
  }
  if (eventName === 'check_run') {
    if (p.action !== 'requested_action' || p.requested_action?.identifier !== 'approve' || !p.check_run || !p.sender?.login) return { kind: 'skip', reason: 'not an Approve button press' }
    const issue = p.check_run.pull_requests?.[0]?.number
    return { kind: 'lookup', ...(issue ? { issue } : {}), headSha: p.check_run.head_sha, live: { by: p.sender.login, via: 'check-action' } }
  }
  if (eventName === 'merge_group' && p.merge_group) {
    const g = p.merge_group
    const pr = queuedPullNumber(g.head_ref)
    return { kind: 'merge-group', base: { ref: g.base_ref.replace(/^refs\/heads\//, ''), sha: g.base_sha }, head: { ref: g.head_ref, sha: g.head_sha }, ...(pr !== undefined ? { prNumber: pr } : {}) }
  }
  if (eventName === 'push') {
    const branch = (p.ref ?? env['GITHUB_REF'] ?? '').replace(/^refs\/heads\//, '')
    if (branch !== p.repository?.default_branch) return { kind: 'skip', reason: `push to ${branch}, not to the default branch` }
    return { kind: 'post-merge', sha: p.after ?? env['GITHUB_SHA'] ?? '', branch }
  }
  return { kind: 'skip', reason: `event ${eventName || '(none)'} is not one Fluxgate acts on` }
}

// `helm-path`: an absolute path, or a name looked up on PATH outside the workspace (the pull
// request's files); empty: HelmReleases compare values only (infra/helm-binary.ts).
function actionHelm(requested: string, untrusted: string[], env: NodeJS.ProcessEnv): string | undefined {
  try {
    const choice = findHelm({ requested, untrusted, env, fallback: false })
    return choice.found ? choice.path : undefined
  } catch (err) {
    if (err instanceof HelmPathError) throw new Error(`input helm-path: ${err.message}`)
    throw err
  }
}
