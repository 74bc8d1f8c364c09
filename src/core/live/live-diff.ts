import pLimit from 'p-limit'
import type { ClusterClient, ClusterFailure, ObjectRef } from '../../ports/cluster.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { applyIgnoreRules, ignoreRulesByOwner, type IgnoreRules } from '../diff/drift-ignore.js'
import { deepEqual, fieldChanges } from '../diff/field-changes.js'
import { objectYaml, unifiedYamlDiff } from '../diff/yaml-diff.js'
import { maskChange } from '../mask/mask-change.js'
import { Redactor } from '../mask/redactor.js'
import { collectSecretValues, isSecret } from '../mask/policy.js'
import type { JsonValue, KubeObject } from '../model/object.js'
import type { ClusterPlan, LiveChange, LiveView } from '../model/plan.js'
import type { ClusterRender, FleetRender, RenderedObject } from '../model/render-result.js'
import { displayId, idKey, resourceIdOf } from '../model/resource-id.js'
import { checkInventories } from './inventory-check.js'
import { dropRemovedFields, normalizeLive } from './live-normalize.js'

/** Options of liveDiff. */
export interface LiveDiffOptions {
  /** Requests in flight at once (default 8). */
  concurrency?: number
  /** More values to mask (tokens the caller knows of). */
  secretValues?: readonly string[]
}

/** The three states of one object: live, and the server's dry-run of the base and head renders. */
interface Sides {
  base?: RenderedObject
  head?: RenderedObject
  live?: KubeObject
  dryBase?: KubeObject
  dryHead?: KubeObject
  /** The dry-runs with spec.ignore paths at their live value: for drift, and for the change. */
  driftBase?: KubeObject
  changeBase?: KubeObject
  changeHead?: KubeObject
}

function refOf(obj: KubeObject): ObjectRef {
  return { apiVersion: obj.apiVersion, kind: obj.kind, name: obj.metadata.name, ...(obj.metadata.namespace ? { namespace: obj.metadata.namespace } : {}) }
}

function failureText(err: unknown): string {
  const f = err as Partial<ClusterFailure> & { message?: string }
  return f.reason ? `${f.reason}: ${f.message ?? ''}` : String(f.message ?? err)
}

/**
 * The live view of one cluster (issue: live diff):
 * 1. for every object of the base and head renders, read the live object and dry-run a
 *    server-side apply of each render (field manager `fluxgate`), so defaults and webhooks are
 *    on every side; fields the head drops are removed from the head dry run, as
 *    kustomize-controller, which owns them, would remove them;
 * 2. changes = dry-run(base) → dry-run(head): exactly what the merge changes;
 * 3. drift = live → dry-run(base): what already differs from Git, shown apart;
 * 4. confirm the prune plan against each Kustomization's `status.inventory`.
 * Everything is normalized (normalizeLive) and masked; live Secret values join the redactor.
 * A failed request becomes a diagnostic and the object is left out; nothing is written.
 */
export async function liveDiff(cluster: ClusterClient, plan: ClusterPlan, base: ClusterRender | undefined, head: ClusterRender | undefined, opts: LiveDiffOptions = {}): Promise<LiveView> {
  const diagnostics: Diagnostic[] = []
  const keys = new Map<string, Sides>()
  // A Secret generated from SOPS-encrypted input has a name only the cluster knows (its hash is `***`): nothing to read or dry-run.
  const known = (r: RenderedObject): boolean => r.encryptedInput === undefined
  for (const r of (base?.objects ?? []).filter(known)) keys.set(idKey(resourceIdOf(r.object)), { base: r })
  for (const r of (head?.objects ?? []).filter(known)) keys.set(idKey(resourceIdOf(r.object)), { ...keys.get(idKey(resourceIdOf(r.object))), head: r })
  const limit = pLimit(opts.concurrency ?? 8)
  await Promise.all([...keys.values()].map((s) => limit(() => readSides(cluster, s, plan.name, diagnostics))))
  const baseRules = ignoreRulesByOwner(base).rulesOf
  const headRules = ignoreRulesByOwner(head).rulesOf
  for (const s of keys.values()) keepIgnoredLive(s, s.base ? baseRules(s.base.owner) : undefined, s.head ? headRules(s.head.owner) : undefined)
  const redactor = new Redactor(collectSecretValues([...fleetOf(base), ...fleetOf(head), liveSecrets(keys)], opts.secretValues ?? []))
  const changes: LiveChange[] = []
  const drift: LiveChange[] = []
  for (const s of keys.values()) {
    const change = mergeChange(s, redactor)
    if (change) changes.push(change)
    const d = driftOf(s, redactor)
    if (d) drift.push(d)
  }
  const inventory = await checkInventories(cluster, plan, head, diagnostics)
  return { context: cluster.context, changes, drift, inventory, checked: keys.size, diagnostics: diagnostics.map((d) => ({ ...d, message: redactor.text(d.message) })) }
}

async function readSides(cluster: ClusterClient, s: Sides, clusterName: string, diagnostics: Diagnostic[]): Promise<void> {
  const main = (s.head ?? s.base)!
  const report = (err: unknown): void => {
    const owner = `${main.owner.kind}/${main.owner.namespace}/${main.owner.name}`
    diagnostics.push({ code: 'cluster/dry-run-failed', severity: 'warning', message: `${displayId(resourceIdOf(main.object))}: ${failureText(err)}`, cluster: clusterName, owner })
  }
  try {
    s.live = await cluster.get(refOf(main.object))
  } catch (err) {
    return report(err)
  }
  const dry = async (obj: KubeObject): Promise<KubeObject | undefined> => {
    try {
      return await cluster.applyDryRun(obj)
    } catch (err) {
      // A new object in a namespace the same merge creates cannot be dry-run yet: the render stands in.
      if ((err as Partial<ClusterFailure>).status === 404 && !s.live) return obj
      report(err)
      return undefined
    }
  }
  if (s.base) s.dryBase = await dry(s.base.object)
  if (s.head) s.dryHead = await dry(s.head.object)
  if (s.head && s.base && s.dryHead) s.dryHead = dropRemovedFields(s.dryHead, s.base.object, s.head.object)
}

/**
 * spec.ignore on the live view: the apply keeps the in-cluster value of an ignored path, so
 * for drift the base dry-run takes the live value there (under the base Kustomization's
 * rules), and for the merge's change both dry-runs do (under the head's rules, which the
 * merge's apply uses). A new object is created as written.
 */
function keepIgnoredLive(s: Sides, baseRules: IgnoreRules | undefined, headRules: IgnoreRules | undefined): void {
  if (!s.live) return
  const keep = (rules: IgnoreRules | undefined, dry: KubeObject | undefined, target: KubeObject | undefined): KubeObject | undefined =>
    rules && dry && target ? applyIgnoreRules(rules, s.live!, dry, target).after : dry
  s.driftBase = keep(baseRules, s.dryBase, s.base?.object)
  s.changeBase = keep(headRules, s.dryBase, s.head?.object)
  s.changeHead = keep(headRules, s.dryHead, s.head?.object)
}

function fleetOf(c: ClusterRender | undefined): FleetRender[] {
  return c ? [{ revision: '', clusters: [c], diagnostics: [], durationMs: 0 }] : []
}

/** Live and dry-run Secrets, so their values are masked wherever they appear. */
function liveSecrets(keys: Map<string, Sides>): FleetRender {
  const objects: RenderedObject[] = []
  for (const s of keys.values()) {
    const owner = (s.head ?? s.base)!.owner
    for (const o of [s.live, s.dryBase, s.dryHead]) if (o && isSecret(o)) objects.push({ object: o, owner })
  }
  return { revision: '', clusters: [{ name: '', path: '', owners: [], objects, diagnostics: [] }], diagnostics: [], durationMs: 0 }
}

function build(action: LiveChange['action'], before: KubeObject | undefined, after: KubeObject | undefined, s: Sides, redactor: Redactor): LiveChange | undefined {
  const nb = before ? normalizeLive(before) : undefined
  const na = after ? normalizeLive(after) : undefined
  if (nb && na && deepEqual(nb as unknown as JsonValue, na as unknown as JsonValue)) return undefined
  const fields = nb && na ? fieldChanges(nb as unknown as JsonValue, na as unknown as JsonValue) : []
  const masked = maskChange(nb, na, fields, redactor)
  const main = (s.head ?? s.base)!
  return {
    action,
    id: resourceIdOf(main.object),
    apiVersion: main.object.apiVersion,
    owner: main.owner,
    fields: masked.fields,
    diff: redactor.text(unifiedYamlDiff(objectYaml(masked.before), objectYaml(masked.after))),
  }
}

/** What the merge changes: the server's view of base against its view of head. */
function mergeChange(s: Sides, redactor: Redactor): LiveChange | undefined {
  if (s.base && !s.dryBase && s.head && !s.dryHead) return undefined
  if (!s.base) return s.dryHead ? build('added', undefined, s.dryHead, s, redactor) : undefined
  if (!s.head) return build('removed', s.live ?? s.dryBase, undefined, s, redactor)
  if (!s.dryBase || !s.dryHead) return undefined
  return build('changed', s.changeBase ?? s.dryBase, s.changeHead ?? s.dryHead, s, redactor)
}

/** What already differs from Git before the merge. */
function driftOf(s: Sides, redactor: Redactor): LiveChange | undefined {
  if (s.base && !s.live && s.dryBase) return build('missing', s.dryBase, undefined, s, redactor)
  if (!s.base && s.head && s.live) return build('unmanaged', undefined, s.live, s, redactor)
  if (!s.live || !s.dryBase) return undefined
  return build('changed', s.live, s.driftBase ?? s.dryBase, s, redactor)
}
