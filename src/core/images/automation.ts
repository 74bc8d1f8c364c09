import type { FileTree } from '../../ports/file-tree.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { commitMessage, templateData } from './commit-message.js'
import { matchesSelector } from './label-selector.js'
import { findMarkedFiles } from './marked-files.js'
import { splitImage, type LatestRef } from './marker.js'
import type { ImageObjects, ImageUpdateAutomationObject } from './objects.js'
import type { PolicyEngine, PolicySpec } from './policy-engine.js'
import type { PolicyResult, ScanResult } from './scan.js'
import { applySetters, type ChangeGuard, type SetterChange, type SkippedChange } from './setters.js'

/** One file an automation rewrites: its text before and after. */
export interface FileEdit {
  path: string
  before: string
  after: string
  changes: SetterChange[]
}

/** What one ImageUpdateAutomation would commit, and where. */
export interface AutomationPlan {
  automation: ImageUpdateAutomationObject
  /** True for the stand-in used when the repository declares no automation (CLI only). */
  implicit: boolean
  /** Branch the pull request comes from. */
  branch: string
  /** The setters this automation applies (I-14): policy key → latest ref. */
  setters: ReadonlyMap<string, LatestRef>
  edits: FileEdit[]
  changes: SetterChange[]
  /** Changes refused (downgrades). */
  skipped: SkippedChange[]
  /** Undefined when the messageTemplate failed (then nothing may be committed). */
  commitMessage?: string
  diagnostics: Diagnostic[]
}

export interface PlanOptions {
  engine: PolicyEngine
  /** Allow a new tag that the policy orders before the one in the file. Default false. */
  allowDowngrade?: boolean
}

/** `fluxgate/images/<namespace>-<name>`: the branch when the automation names none we can use. */
export function defaultBranch(a: { namespace: string; name: string }): string {
  return `fluxgate/images/${a.namespace}-${a.name}`
}

/**
 * Plans every ImageUpdateAutomation of the repository (suspended ones are reported and left
 * out). With none declared, one implicit automation over the whole tree and every policy
 * stands in, so `fluxgate images` still shows what the markers would get.
 */
export function planAutomations(objects: ImageObjects, tree: FileTree, scan: ScanResult, opts: PlanOptions): AutomationPlan[] {
  if (objects.automations.length === 0) return [planAutomation(implicitAutomation(), tree, scan, opts, true)]
  const plans: AutomationPlan[] = []
  for (const a of objects.automations) {
    if (a.suspended) continue
    plans.push(planAutomation(a, tree, scan, opts, false))
  }
  return plans
}

/**
 * Plans one automation (I-11…I-23):
 * 1. setters = policies in the automation's namespace matching policySelector that have a
 *    result (I-14);
 * 2. every marked file under update.path gets the setters (I-11), a downgrade by the
 *    policy's own order is refused unless allowed;
 * 3. the commit message is rendered from messageTemplate with Flux's data (I-23).
 */
export function planAutomation(a: ImageUpdateAutomationObject, tree: FileTree, scan: ScanResult, opts: PlanOptions, implicit = false): AutomationPlan {
  const diagnostics: Diagnostic[] = []
  const owner = `ImageUpdateAutomation/${a.namespace}/${a.name}`
  const chosen = scan.policies.filter((p) => p.latest && (implicit || (p.policy.namespace === a.namespace && matchesSelector(a.policySelector, p.policy.labels))))
  const setters = new Map<string, LatestRef>(chosen.map((p) => [p.key, p.latest!]))
  const byKey = new Map<string, PolicyResult>(chosen.map((p) => [p.key, p]))
  const guard = opts.allowDowngrade ? undefined : downgradeGuard(byKey, opts.engine)
  const edits: FileEdit[] = []
  const skipped: SkippedChange[] = []
  if (a.updatePath !== '' && tree.stat(a.updatePath)?.type !== 'dir') {
    diagnostics.push({ code: 'images/update-path-missing', severity: 'error', message: `update.path ${a.updatePath} is not a directory`, location: a.location, owner })
  }
  for (const file of findMarkedFiles(tree, a.updatePath)) {
    const res = applySetters(file.text, file.path, setters, guard)
    skipped.push(...res.skipped)
    if (res.changes.length > 0) edits.push({ path: file.path, before: file.text, after: res.text, changes: res.changes })
  }
  for (const s of skipped) {
    diagnostics.push({ code: 'images/downgrade-refused', severity: 'warning', message: `${s.setter}: ${s.reason}`, location: { file: s.file, line: s.line }, owner })
  }
  const changes = edits.flatMap((e) => e.changes)
  const message = commitMessage(a.messageTemplate, templateData(a, a.updatePath, changes, a.messageTemplateValues))
  if (!message.ok) diagnostics.push({ code: 'images/message-template', severity: 'error', message: `messageTemplate: ${message.error}`, location: a.location, owner })
  const pushToBase = a.pushBranch !== undefined && a.pushBranch === a.checkoutBranch
  if (pushToBase) {
    diagnostics.push({ code: 'images/push-branch-is-base', severity: 'info', message: `push.branch ${a.pushBranch} is the checkout branch; the pull request uses ${defaultBranch(a)}`, location: a.location, owner })
  }
  return {
    automation: a,
    implicit,
    branch: a.pushBranch && !pushToBase ? a.pushBranch : defaultBranch(a),
    setters,
    edits,
    changes,
    skipped,
    ...(message.ok ? { commitMessage: message.message } : {}),
    diagnostics,
  }
}

/**
 * Refuses a new tag the policy ranks below the tag already in the file. Values the policy
 * cannot rank (a tag outside its filter, a different image name) are not compared.
 */
function downgradeGuard(policies: Map<string, PolicyResult>, engine: PolicyEngine): ChangeGuard {
  return (change) => {
    if (change.field !== 'tag' && change.field !== 'image') return true
    const p = policies.get(change.policy)
    if (!p?.spec) return true
    const before = change.field === 'tag' ? { tag: change.oldValue, name: '' } : splitImage(change.oldValue)
    const after = change.field === 'tag' ? { tag: change.newValue, name: '' } : splitImage(change.newValue)
    if (!before.tag || !after.tag || before.name !== after.name || before.tag === after.tag) return true
    return isOlder(engine, p.spec, after.tag, before.tag) ? `${after.tag} is older than ${before.tag} by the policy's order; not proposing a downgrade` : true
  }
}

function isOlder(engine: PolicyEngine, spec: PolicySpec, candidate: string, current: string): boolean {
  try {
    const d = engine.compare(spec, candidate, current)
    return d !== undefined && d < 0
  } catch {
    return false
  }
}

function implicitAutomation(): ImageUpdateAutomationObject {
  return {
    namespace: 'flux-system',
    name: 'implicit',
    object: { apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImageUpdateAutomation', metadata: { name: 'implicit', namespace: 'flux-system' } },
    location: { file: '' },
    updatePath: '',
    messageTemplateValues: {},
    suspended: false,
  }
}
