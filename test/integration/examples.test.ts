import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseAllDocuments, stringify } from 'yaml'
import type { FileTree } from '../../src/ports/file-tree.js'
import { SourceResolver } from '../../src/core/load/sources.js'
import { resolveValueSource, type ResolvedSource, type ValueSourceRef } from '../../src/core/render/values/sources.js'
import type { ClusterRender, FleetRender } from '../../src/core/model/render-result.js'
import { isKubeObject, type KubeObject } from '../../src/core/model/object.js'
import type { RenderedObject } from '../../src/core/model/render-result.js'
import { groupOf } from '../../src/core/model/resource-id.js'
import { findOrGenerateKustomization } from '../../src/core/render/flux/generate.js'
import { sourceRefOf, securePath } from '../../src/core/render/flux/kustomization.js'
import { applyFluxOverlay } from '../../src/core/render/flux/overlay.js'
import { postBuild } from '../../src/core/render/flux/post-build.js'
import { substitutionFor } from '../../src/core/render/flux/substitution.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { planChange } from '../../src/core/diff/plan-change.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { DiskTree } from '../../src/infra/disk-tree.js'
import { describeWith, kubectlPath } from '../support/components.js'

const shared = join(process.cwd(), '..', 'shared', 'examples')
// Fleets that did not render right before discovery learnt their layout (hub and spoke).
const pending = join(process.cwd(), '..', 'shared', 'examples-pending')

/** Every labelled tree: `<example>/<label>` folders of both example folders. */
function labels(): { name: string; dir: string }[] {
  const out: { name: string; dir: string }[] = []
  for (const root of [shared, pending]) {
    if (!existsSync(root)) continue
    for (const ex of readdirSync(root)) {
      const exDir = join(root, ex)
      if (!statSync(exDir).isDirectory()) continue
      for (const label of readdirSync(exDir)) {
        const dir = join(exDir, label)
        if (statSync(dir).isDirectory()) out.push({ name: `${ex}/${label}`, dir })
      }
    }
  }
  return out
}

const renders = new Map<string, Promise<FleetRender>>()
function renderLabel(dir: string): Promise<FleetRender> {
  let p = renders.get(dir)
  if (!p) {
    p = renderFleet(new DiskTree(dir), { revision: dir }, {})
    renders.set(dir, p)
  }
  return p
}

function canonical(c: ClusterRender): string[] {
  return c.objects.map((o) => `${o.owner.kind}/${o.owner.namespace}/${o.owner.name}\n${stringify(sortKeys(o.object))}`).sort()
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, sortKeys(x)]))
  return v
}

describe('the shared example fleets', () => {
  const all = labels()

  it('are present', () => {
    expect(all.length).toBeGreaterThanOrEqual(8)
  })

  it.each(all.map((l) => [l.name, l.dir]))('%s renders every cluster with no error diagnostics', async (_name, dir) => {
    const r = await renderLabel(dir)
    expect(r.clusters.length).toBeGreaterThan(0)
    const errs = [...r.diagnostics, ...r.clusters.flatMap((c) => c.diagnostics)].filter((d) => d.severity === 'error')
    expect(errs).toEqual([])
    for (const c of r.clusters) {
      expect(c.owners.filter((o) => o.status === 'failed')).toEqual([])
      expect(c.objects.length).toBeGreaterThan(0)
    }
  })

  it('finds the hub and its two spokes in the hub-and-spoke example, and no overlay folder', async () => {
    const r = await renderLabel(join(pending, 'flux2-hub-spoke-example', 'head'))
    expect(r.clusters.map((c) => [c.name, c.path, c.remote?.kubeConfig.namespace ?? null])).toEqual([
      ['hub', 'hub', null],
      ['production/cluster-kubeconfig', 'hub', 'production'],
      ['staging/cluster-kubeconfig', 'hub', 'staging'],
    ])
    expect(r.discovery?.filter((c) => !c.accepted).map((c) => c.path)).toEqual(['clusters/production', 'clusters/staging'])
  })

  it('plans a change to deploy/tenants/podinfo.yaml on production and on staging', async () => {
    const dir = join(pending, 'flux2-hub-spoke-example', 'head')
    const base = await renderLabel(dir)
    const files = new DiskTree(dir)
    const head = new MemoryTree()
    copyTree(files, '', head)
    const file = 'deploy/tenants/podinfo.yaml'
    head.addFile(file, new TextDecoder().decode(files.readFile(file)!).replaceAll('toolkit.fluxcd.io/tenant: dev-team', 'toolkit.fluxcd.io/tenant: app-team'))
    const plan = planChange(base, await renderFleet(head, { revision: 'head' }, {}))
    const changes = plan.clusters.flatMap((c) => c.changes.map((ch) => `${c.name} ${ch.action} ${ch.id.kind} ${ch.id.namespace ? `${ch.id.namespace}/` : ''}${ch.id.name}`))
    expect(changes.sort()).toEqual([
      'production/cluster-kubeconfig changed Namespace podinfo',
      'production/cluster-kubeconfig changed RoleBinding podinfo/flux',
      'staging/cluster-kubeconfig changed Namespace podinfo',
      'staging/cluster-kubeconfig changed RoleBinding podinfo/flux',
    ])
  })

  it('renders identical objects for both clusters across the v2.0 patches refactor', async () => {
    const before = await renderLabel(join(shared, 'flux2-kustomize-helm-example', 'v2.0-before-patches'))
    const after = await renderLabel(join(shared, 'flux2-kustomize-helm-example', 'v2.0-after-patches'))
    expect(before.clusters.map((c) => c.name)).toEqual(['production', 'staging'])
    for (const c of before.clusters) {
      const other = after.clusters.find((x) => x.name === c.name)!
      expect(canonical(other)).toEqual(canonical(c))
      expect(other.owners.map((o) => [o.ref, o.status, o.helm?.values])).toEqual(c.owners.map((o) => [o.ref, o.status, o.helm?.values]))
    }
  })
})

function copyTree(tree: FileTree, dir: string, out: MemoryTree): void {
  for (const name of tree.list(dir)) {
    const p = dir ? `${dir}/${name}` : name
    const st = tree.stat(p)
    if (st?.type === 'dir') copyTree(tree, p, out)
    else if (st?.type === 'file') out.addFile(p, tree.readFile(p)!)
  }
}

function materialize(tree: FileTree, dir: string, out: string): void {
  for (const name of tree.list(dir)) {
    const p = dir ? `${dir}/${name}` : name
    const st = tree.stat(p)
    if (st?.type === 'dir') materialize(tree, p, out)
    else if (st?.type === 'file') {
      mkdirSync(join(out, p, '..'), { recursive: true })
      writeFileSync(join(out, p), tree.readFile(p)!)
    }
  }
}

function idOf(o: KubeObject): string {
  return `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`
}

describeWith(['kubectl'], 'Kustomization paths against kubectl kustomize + Flux overlays', () => {
  const kubectl = existsSync('/usr/lib/google-cloud-sdk/bin/kubectl.1.32') ? '/usr/lib/google-cloud-sdk/bin/kubectl.1.32' : kubectlPath()!
  const trees = labels()

  it.each(trees.map((l) => [l.name, l.dir]))('%s', async (_name, dir) => {
    const r = await renderLabel(dir)
    let compared = 0
    for (const c of r.clusters) {
      const sources = new SourceResolver(new DiskTree(dir), {}, {
        find: (kind, ns, name) => c.objects.map((o) => o.object).find((o) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === ns),
        generatorFor: (ns, name) => c.objects.map((o) => o.object).find((o) => o.kind === 'ArtifactGenerator' && (o.metadata.namespace ?? '') === ns && JSON.stringify(o['spec']).includes(`"name":"${name}"`)),
      })
      for (const owner of c.owners.filter((o) => o.ref.kind === 'Kustomization' && o.status === 'rendered')) {
        const art = sources.resolve(sourceRefOf(owner.object))
        if (art.type !== 'tree') continue
        const spec = owner.object['spec'] as Record<string, never>
        const path = securePath(typeof spec['path'] === 'string' ? spec['path'] : '')
        const found = findOrGenerateKustomization(art.tree, path)
        if (!found.ok) throw new Error(found.diagnostic.message)
        const overlay = applyFluxOverlay(found.content, found.generated, spec, art.tree, path)
        if (!overlay.ok) throw new Error(overlay.error)
        const work = mkdtempSync(join(tmpdir(), 'fluxgate-kubectl-'))
        try {
          materialize(art.tree, '', work)
          writeFileSync(join(work, found.file), stringify(overlay.content))
          const out = execFileSync(kubectl, ['kustomize', join(work, path), '--load-restrictor', 'LoadRestrictionsNone'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
          const built = parseAllDocuments(out).map((d) => d.toJS() as unknown).filter(isKubeObject)
          // The cluster's own values (postBuild.substitute, ConfigMaps it renders) fill in variables.
          const rendered = (kind: string, ns: string, name: string): RenderedObject | undefined => c.objects.find(({ object: o }) => o.kind === kind && o.metadata.name === name && (o.metadata.namespace ?? 'default') === ns)
          const values = (ref: ValueSourceRef): ResolvedSource | undefined => resolveValueSource(ref, { cluster: c.name, rendered, objects: () => c.objects, encrypted: () => c.encrypted ?? [], owners: [owner.ref] })
          const sub = substitutionFor(spec, owner.ref.namespace, values, true)
          const pb = postBuild(built, { name: owner.ref.name, namespace: owner.ref.namespace, spec, ...(sub.substitute ? { substitute: sub.substitute } : {}) })
          if (!pb.ok) throw new Error('post-build failed')
          const expected = pb.objects.map((o) => `${idOf(o.object)}\n${stringify(sortKeys(o.object))}`).sort()
          const ours = c.objects.filter((o) => o.owner.kind === 'Kustomization' && o.owner.name === owner.ref.name && o.owner.namespace === owner.ref.namespace).map((o) => `${idOf(o.object)}\n${stringify(sortKeys(o.object))}`).sort()
          expect(ours).toEqual(expected)
          compared++
        } finally {
          rmSync(work, { recursive: true, force: true })
        }
      }
    }
    expect(compared).toBeGreaterThan(0)
  })
})
