import type { FileTree } from '../../../ports/file-tree.js'
import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.js'
import { bootstrapKustomization, rootOf, type ClusterEntry } from '../../load/clusters.js'
import { instanceSync } from '../../load/flux-instance.js'
import type { SourceRef } from '../../load/sources.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'
import type { ClusterRoot } from '../../model/render-result.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { emitDocument } from '../../yaml/index.js'
import { buildKustomization } from '../kustomize/index.js'
import { sourceRefOf } from './kustomization.js'

/** A cluster's root: the Kustomization that applies the entry folder, and its source. */
export interface ResolvedRoot {
  kustomization: KubeObject
  /** The root's source: this repository, whatever its URL says. */
  source: { ref: SourceRef; object?: KubeObject }
  root: ClusterRoot
  location?: SourceLocation
  diagnostics: Diagnostic[]
}

const SOURCE_API: Record<string, string> = { GitRepository: 'source.toolkit.fluxcd.io/v1', OCIRepository: 'source.toolkit.fluxcd.io/v1', Bucket: 'source.toolkit.fluxcd.io/v1' }

/**
 * The root of one cluster as written in Git (G-9): gotk-sync.yaml's Kustomization and
 * source, a Kustomization of the entry folder whose path is that folder, or the objects a
 * FluxInstance's `spec.sync` makes, with its `spec.kustomize.patches` applied (decryption,
 * serviceAccountName, postBuild: every field Flux honours). Only when nothing in Git defines
 * it is one made as `flux bootstrap` would, with an info diagnostic saying so.
 */
export function resolveRoot(tree: FileTree, entry: ClusterEntry): ResolvedRoot {
  const spec = rootOf(tree, entry)
  if (spec?.kustomization) {
    const k = spec.kustomization
    const ref = sourceRefOf(k.object)
    const location = { file: k.file, line: k.line }
    return {
      kustomization: k.object,
      source: { ref, ...(spec.source ? { object: spec.source.object } : {}) },
      root: { from: spec.from, kustomization: refOf(k.object), source: ref, location },
      location,
      diagnostics: [],
    }
  }
  if (spec?.instance) {
    const inst = spec.instance
    const location = { file: inst.file, line: inst.line }
    const made = instanceRoot(inst.object)
    if (made) {
      const ref = sourceRefOf(made.kustomization)
      const diagnostics = made.problem
        ? [{ code: 'render/flux-instance-patch', severity: 'warning' as const, message: `FluxInstance ${inst.object.metadata.name}: its kustomize patches could not be applied to the sync objects (${made.problem}); rendered without them`, location }]
        : []
      return { kustomization: made.kustomization, source: { ref, object: made.source }, root: { from: 'flux-instance', kustomization: refOf(made.kustomization), source: ref, location }, location, diagnostics }
    }
  }
  const k = bootstrapKustomization(entry)
  const ref = sourceRefOf(k)
  return {
    kustomization: k,
    source: { ref },
    root: { from: 'synthesised', kustomization: refOf(k), source: ref },
    location: { file: entry.path || '.' },
    diagnostics: [
      {
        code: 'cluster/root-synthesised',
        severity: 'info',
        message: `no Kustomization in Git applies ${entry.path || '.'} (no gotk-sync.yaml with sync objects, no FluxInstance sync): rendered from flux-system/flux-system as flux bootstrap makes it`,
        location: { file: entry.path || '.' },
      },
    ],
  }
}

function refOf(k: KubeObject): ClusterRoot['kustomization'] {
  return { kind: 'Kustomization', namespace: k.metadata.namespace ?? 'default', name: k.metadata.name }
}

/**
 * The source and Kustomization flux-operator generates for a FluxInstance's sync (its
 * builder's sync template), with the instance's kustomize patches applied the way the
 * operator applies them to everything it installs.
 */
export function instanceRoot(instance: KubeObject): { kustomization: KubeObject; source: KubeObject; problem?: string } | undefined {
  const sync = instanceSync(instance)
  if (!sync) return undefined
  const namespace = instance.metadata.namespace ?? 'flux-system'
  const sourceSpec: JsonObject = { interval: sync.interval }
  if (sync.kind === 'GitRepository') sourceSpec['ref'] = { name: sync.ref }
  else if (sync.kind === 'OCIRepository') sourceSpec['ref'] = { tag: sync.ref }
  else sourceSpec['bucketName'] = sync.ref
  if (sync.pullSecret) sourceSpec['secretRef'] = { name: sync.pullSecret }
  if (sync.provider) sourceSpec['provider'] = sync.provider
  sourceSpec[sync.kind === 'Bucket' ? 'endpoint' : 'url'] = sync.url
  const source: KubeObject = { apiVersion: SOURCE_API[sync.kind] ?? 'source.toolkit.fluxcd.io/v1', kind: sync.kind, metadata: { name: sync.name, namespace }, spec: sourceSpec }
  const kustomization: KubeObject = {
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: { name: sync.name, namespace },
    spec: { interval: '10m0s', path: sync.path, prune: true, sourceRef: { kind: sync.kind, name: sync.name } },
  }
  const spec = isJsonObject(instance['spec']) ? instance['spec'] : {}
  const patches = isJsonObject(spec['kustomize']) && Array.isArray(spec['kustomize']['patches']) ? spec['kustomize']['patches'].filter(isJsonObject).filter(mayTouchSync) : []
  if (patches.length === 0) return { kustomization, source }
  const tree = MemoryTree.fromRecord({
    'sync.yaml': `${emitDocument(source as never)}---\n${emitDocument(kustomization as never)}`,
    'kustomization.yaml': emitDocument({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['sync.yaml'], patches }),
  })
  const built = buildKustomization(tree, '', { reorder: 'none' })
  if (!built.ok) return { kustomization, source, problem: built.diagnostics[0]?.message ?? 'kustomize build failed' }
  const find = (kind: string): KubeObject | undefined => built.objects.find((o) => o.kind === kind)
  return { kustomization: find('Kustomization') ?? kustomization, source: find(sync.kind) ?? source }
}

const SYNC_KINDS = /Kustomization|GitRepository|OCIRepository|Bucket/

/**
 * Patches the operator applies to every object it installs; only those that can reach the
 * sync objects are applied here (the rest target controllers' Deployments, which a render
 * does not have, and a patch without a target would fail on their absence).
 */
function mayTouchSync(p: JsonObject): boolean {
  const target = isJsonObject(p['target']) ? p['target'] : undefined
  if (target) {
    const kind = typeof target['kind'] === 'string' ? target['kind'] : ''
    return kind === '' || SYNC_KINDS.test(kind)
  }
  return typeof p['patch'] === 'string' && /kind:\s*["']?(Kustomization|GitRepository|OCIRepository|Bucket)\b/.test(p['patch'])
}
