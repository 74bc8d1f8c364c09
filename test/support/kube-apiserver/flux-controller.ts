/**
 * A test stand-in for source-, kustomize- and helm-controller. It watches the double's store and
 * answers `reconcile.fluxcd.io/requestedAt` requests the way the controllers report
 * progress (R-3 … R-6): first `Reconciling=True` / `Ready=Unknown, Progressing`, then the
 * outcome scripted for that object:
 *   success  sources: `status.artifact.revision`; Kustomizations: lastAttempted/lastAppliedRevision
 *            and `Ready=True, ReconciliationSucceeded, "Applied revision: <rev>"`; HelmReleases:
 *            `Ready=True, UpgradeSucceeded`
 *   failure  `Ready=False` with the scripted reason and message, `Reconciling=True,
 *            ProgressingWithRetry`, lastAttemptedRevision set, lastAppliedRevision kept
 *   stalled  `Stalled=True` and `Ready=False` with the scripted reason and message
 *   ignore   never answers (a controller that is down)
 * Suspended objects are skipped, as the controllers do. It applies nothing: tests seed the
 * objects a reconcile would create.
 */
import type { KubeApiServer } from './server.js'
import type { StoreEvent, StoredObject } from './store.js'

export type ReconcileOutcome = 'success' | 'failure' | 'stalled' | 'ignore'

/** How the controller answers one object. */
export interface ReconcileScript {
  outcome: ReconcileOutcome
  /** Ready/Stalled reason for failure and stalled (default `ReconciliationFailed` / `InvalidCEL`). */
  reason?: string
  message?: string
  /** Milliseconds before each status write (default: the controller's). */
  delayMs?: number
}

/** One answered request, in the order the controller took them up. */
export interface HandledRequest {
  kind: string
  namespace: string
  name: string
  token: string
  outcome: ReconcileOutcome
}

const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt'
const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'HelmRepository', 'Bucket'])
const MANAGERS: Record<string, string> = { Kustomization: 'kustomize-controller', HelmRelease: 'helm-controller' }

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z')
}

function condition(type: string, status: string, reason: string, message: string, generation: unknown): Record<string, unknown> {
  return { type, status, reason, message, observedGeneration: generation, lastTransitionTime: now() }
}

function keyOf(kind: string, namespace: string, name: string): string {
  return `${kind}/${namespace}/${name}`
}

/** See the module comment. */
export class FluxTestController {
  readonly handled: HandledRequest[] = []
  private readonly scripts = new Map<string, ReconcileScript>()
  private readonly sourceRevisions = new Map<string, string>()
  private readonly inFlight = new Set<string>()
  private readonly timers = new Set<NodeJS.Timeout>()
  private unsubscribe: (() => void) | undefined

  constructor(
    private readonly server: KubeApiServer,
    private readonly delayMs = 10,
  ) {}

  start(): this {
    this.unsubscribe = this.server.store.subscribe((e) => this.onEvent(e))
    return this
  }

  stop(): void {
    this.unsubscribe?.()
    for (const t of this.timers) clearTimeout(t)
    this.timers.clear()
  }

  /** Scripts the answer for one object (default: success). */
  script(kind: string, namespace: string, name: string, script: ReconcileScript): this {
    this.scripts.set(keyOf(kind, namespace, name), script)
    return this
  }

  /** The revision a source reports after its next reconcile (`main@sha1:<sha>`). */
  setSourceRevision(kind: string, namespace: string, name: string, revision: string): this {
    this.sourceRevisions.set(keyOf(kind, namespace, name), revision)
    return this
  }

  private onEvent(e: StoreEvent): void {
    if (e.type === 'DELETED') return
    const o = e.object
    const token = (o.metadata['annotations'] as Record<string, string> | undefined)?.[REQUESTED_AT]
    const status = (o['status'] ?? {}) as Record<string, unknown>
    if (!token || status['lastHandledReconcileAt'] === token) return
    if ((o['spec'] as Record<string, unknown> | undefined)?.['suspend'] === true) return
    const key = keyOf(o.kind, String(o.metadata['namespace'] ?? ''), String(o.metadata['name']))
    if (this.inFlight.has(`${key}@${token}`)) return
    if (!SOURCE_KINDS.has(o.kind) && !MANAGERS[o.kind]) return
    const script = this.scripts.get(key) ?? { outcome: 'success' }
    this.inFlight.add(`${key}@${token}`)
    this.handled.push({ kind: o.kind, namespace: String(o.metadata['namespace'] ?? ''), name: String(o.metadata['name']), token, outcome: script.outcome })
    if (script.outcome === 'ignore') return
    const delay = script.delayMs ?? this.delayMs
    this.later(delay, () => {
      this.progressing(o)
      this.later(delay, () => this.finish(o, token, script))
    })
  }

  private later(ms: number, fn: () => void): void {
    const t = setTimeout(() => {
      this.timers.delete(t)
      fn()
    }, ms)
    this.timers.add(t)
  }

  private manager(o: StoredObject): string {
    return MANAGERS[o.kind] ?? 'source-controller'
  }

  private current(o: StoredObject): StoredObject | undefined {
    return this.server.get(o.apiVersion, o.kind, o.metadata['namespace'] as string | undefined, String(o.metadata['name']))
  }

  private progressing(o: StoredObject): void {
    const cur = this.current(o)
    if (!cur) return
    const status = { ...((cur['status'] ?? {}) as Record<string, unknown>) }
    const gen = cur.metadata['generation']
    status['conditions'] = [condition('Reconciling', 'True', 'Progressing', 'Reconciliation in progress', gen), condition('Ready', 'Unknown', 'Progressing', 'Reconciliation in progress', gen)]
    this.server.writeStatus(cur, status, this.manager(o))
  }

  private finish(o: StoredObject, token: string, script: ReconcileScript): void {
    const cur = this.current(o)
    if (!cur) return
    const status: Record<string, unknown> = { ...((cur['status'] ?? {}) as Record<string, unknown>), lastHandledReconcileAt: token }
    const gen = cur.metadata['generation']
    const revision = this.revisionFor(cur)
    if (script.outcome === 'success') Object.assign(status, this.success(cur, revision, gen))
    else if (script.outcome === 'failure') {
      const reason = script.reason ?? 'ReconciliationFailed'
      const message = script.message ?? 'reconciliation failed'
      Object.assign(status, { lastAttemptedRevision: revision })
      status['conditions'] = [condition('Reconciling', 'True', 'ProgressingWithRetry', message, gen), condition('Ready', 'False', reason, message, gen)]
    } else {
      const reason = script.reason ?? 'InvalidCEL'
      const message = script.message ?? 'reconciliation stalled'
      Object.assign(status, { lastAttemptedRevision: revision })
      status['conditions'] = [condition('Stalled', 'True', reason, message, gen), condition('Ready', 'False', reason, message, gen)]
    }
    this.server.writeStatus(cur, status, this.manager(o))
  }

  private success(cur: StoredObject, revision: string, gen: unknown): Record<string, unknown> {
    const name = `${String(cur.metadata['namespace'])}/${String(cur.metadata['name'])}`
    if (SOURCE_KINDS.has(cur.kind)) {
      const artifact = { revision, digest: 'sha256:' + '0'.repeat(64), path: `${cur.kind.toLowerCase()}/${name}/latest.tar.gz`, url: 'http://source-controller.flux-system.svc/artifact.tar.gz', lastUpdateTime: now() }
      return { artifact, observedGeneration: gen, conditions: [condition('Ready', 'True', 'Succeeded', `stored artifact for revision '${revision}'`, gen)] }
    }
    if (cur.kind === 'HelmRelease') {
      const message = `Helm upgrade succeeded for release ${name}.v2 with chart ${String(((cur['spec'] as Record<string, Record<string, Record<string, unknown>>> | undefined)?.['chart']?.['spec']?.['chart']) ?? cur.metadata['name'])}@${revision}`
      return { lastAttemptedRevision: revision, observedGeneration: gen, conditions: [condition('Ready', 'True', 'UpgradeSucceeded', message, gen)] }
    }
    return {
      lastAttemptedRevision: revision,
      lastAppliedRevision: revision,
      observedGeneration: gen,
      conditions: [condition('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${revision}`, gen)],
    }
  }

  /** Sources report the scripted revision; Kustomizations the artifact of their sourceRef; HelmReleases their chart. */
  private revisionFor(o: StoredObject): string {
    const ns = String(o.metadata['namespace'] ?? '')
    const spec = (o['spec'] ?? {}) as Record<string, unknown>
    const status = (o['status'] ?? {}) as Record<string, unknown>
    if (SOURCE_KINDS.has(o.kind)) {
      const artifact = status['artifact'] as Record<string, unknown> | undefined
      return this.sourceRevisions.get(keyOf(o.kind, ns, String(o.metadata['name']))) ?? String(artifact?.['revision'] ?? '')
    }
    if (o.kind === 'HelmRelease') {
      const chart = ((spec['chart'] as Record<string, unknown> | undefined)?.['spec'] ?? {}) as Record<string, unknown>
      // helm-controller records the chart version as the attempted revision.
      return String(chart['version'] ?? '*')
    }
    const ref = (spec['sourceRef'] ?? {}) as Record<string, string>
    const src = this.server.get('source.toolkit.fluxcd.io/v1', ref['kind'] ?? 'GitRepository', ref['namespace'] ?? ns, ref['name'] ?? '')
    const artifact = (src?.['status'] as Record<string, unknown> | undefined)?.['artifact'] as Record<string, unknown> | undefined
    return String(artifact?.['revision'] ?? '')
  }
}
