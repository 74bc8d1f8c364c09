import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import type { KubeObject } from '../../model/object.js'
import type { ChangeAction, ObjectChange, OwnerSummary, Plan, PruneAction, UnknownObjects } from '../../model/plan.js'
import { resourceIdOf } from '../../model/resource-id.js'
import { defaultGateConfig } from '../config.js'
import type { GateConfig, RuleContext } from '../types.js'

export const HEAD = 'b'.repeat(40)

const apps = { kind: 'Kustomization' as const, namespace: 'flux-system', name: 'apps' }

/** An object change as the differ produces it; `obj` is head (or base for removals). */
export function change(
  action: ChangeAction,
  before: KubeObject | undefined,
  after: KubeObject | undefined,
  extra: { prune?: PruneAction; highRisk?: boolean } = {},
): ObjectChange {
  const obj = (after ?? before)!
  return {
    action,
    id: resourceIdOf(obj),
    apiVersion: obj.apiVersion,
    owner: apps,
    prune: action === 'removed' ? (extra.prune ?? 'delete') : null,
    highRisk: extra.highRisk ?? false,
    ...(before ? { before } : {}),
    ...(after ? { after } : {}),
    fields: [],
    diff: '',
    source: { file: 'apps/app.yaml', line: 1 },
  }
}

/** A one-cluster plan (`staging`) for the head SHA. */
export function plan(changes: ObjectChange[], opts: { owners?: OwnerSummary[]; diagnostics?: Diagnostic[]; cluster?: string; unknown?: UnknownObjects[] } = {}): Plan {
  return {
    base: { ref: 'main', sha: 'a'.repeat(40) },
    head: { ref: 'feature', sha: HEAD },
    clusters: [{ name: opts.cluster ?? 'staging', path: `clusters/${opts.cluster ?? 'staging'}`, changes, unknown: opts.unknown ?? [], owners: opts.owners ?? [], diagnostics: opts.diagnostics ?? [] }],
    diagnostics: [],
    durationMs: 1,
  }
}

/** A RuleContext over a plan, with config overrides. */
export function ctx(p: Plan, config: Partial<GateConfig> = {}, changedFiles: string[] = []): RuleContext {
  return { plan: p, config: { ...defaultGateConfig(), ...config }, changedFiles }
}

/** A Kubernetes object literal. */
export function k(apiVersion: string, kind: string, name: string, body: Record<string, unknown> = {}, namespace = 'apps'): KubeObject {
  return { apiVersion, kind, metadata: { name, namespace }, ...body } as KubeObject
}

/** A Deployment with one container. */
export function deploy(image: string, spec: Record<string, unknown> = {}, podSpec: Record<string, unknown> = {}, container: Record<string, unknown> = {}): KubeObject {
  return k('apps/v1', 'Deployment', 'web', {
    spec: { selector: { matchLabels: { app: 'web' } }, ...spec, template: { spec: { ...podSpec, containers: [{ name: 'web', image, ...container }] } } },
  })
}

/** An owner summary row. */
export function owner(name: string, dependsOn: string[] = [], state: OwnerSummary['state'] = 'unchanged'): OwnerSummary {
  return {
    ref: { kind: 'Kustomization', namespace: 'flux-system', name },
    dependsOn: dependsOn.map((d) => ({ kind: 'Kustomization' as const, namespace: 'flux-system', name: d })),
    state,
    status: 'rendered',
    counts: { added: 0, changed: 0, removed: 0, moved: 0 },
    suspended: false,
  }
}
