import { MemoryTree } from '../tree/memory-tree.js'
import { FLEET_REPO_URL, generateFleet } from '../../../test/support/fleet-generator.js'
import { SerializingCache } from '../../../test/support/serializing-cache.js'
import { discoverClusters } from './discover.js'
import { scanRepository, type RepoScan } from './repo-scan.js'
import { scanRecordKey } from './scan-records.js'

const files = generateFleet({ apps: 12, clusters: 2 })
const named = (record: Record<string, string>, id: string): MemoryTree => MemoryTree.fromRecord(record).identify(id)
const plain = (scan: RepoScan): unknown => JSON.parse(JSON.stringify({ ...scan, patchFiles: [...scan.patchFiles].sort(), kustomizeDirs: [...scan.kustomizeDirs].sort(), fluxDirs: [...scan.fluxDirs].sort() }))
const fresh = (record: Record<string, string>): unknown => plain(scanRepository(MemoryTree.fromRecord(record)))
const syncFile = Object.keys(files).find((p) => p.endsWith('gotk-sync.yaml'))!

describe('scan records', () => {
  it('keep the scans of a named tree: a tree of that name is scanned from its record', () => {
    const cache = new SerializingCache()
    const store = { cache, readOnly: false }
    expect(plain(scanRepository(named(files, 'tree A'), store))).toEqual(fresh(files))
    expect(cache.map.size).toBe(1)

    // A tree that claims the name but holds other bytes is given the recorded scans: the record
    // answers for the name (a Git tree id names every byte), and nothing is parsed again.
    const renamedRoot = { ...files, [syncFile]: files[syncFile]!.replaceAll('flux-system', 'renamed-system') }
    expect(fresh(renamedRoot)).not.toEqual(fresh(files))
    expect(plain(scanRepository(named(renamedRoot, 'tree A'), store))).toEqual(fresh(files))
    // Under its own name it is scanned, and recorded.
    expect(plain(scanRepository(named(renamedRoot, 'tree B'), store))).toEqual(fresh(renamedRoot))
    expect(cache.map.size).toBe(2)
  })

  it('hand a head that shares the recorded bytes its scans, and it scans what differs', () => {
    const cache = new SerializingCache()
    const store = { cache, readOnly: false }
    scanRepository(named(files, 'base'), store)
    const base = named(files, 'base')
    scanRepository(base, store)
    // The head holds the base's very bytes except one changed Flux file and one added.
    const changed = { ...files, [syncFile]: files[syncFile]!.replace('interval: 10m', 'interval: 5m'), 'clusters/c9/flux-system/gotk-sync.yaml': files[syncFile]!.replaceAll('clusters/c0', 'clusters/c9') }
    const head = new MemoryTree()
    for (const p of Object.keys(changed)) head.addFile(p, changed[p] === files[p] ? base.readFile(p)! : changed[p]!)
    expect(plain(scanRepository(head))).toEqual(fresh(changed))
    expect(discoverClusters(head, { repoUrl: FLEET_REPO_URL }).entries.map((e) => e.path)).toEqual(discoverClusters(MemoryTree.fromRecord(changed), { repoUrl: FLEET_REPO_URL }).entries.map((e) => e.path))
  })

  it('leave the record unread when this process knows the bytes of every file, and write none', () => {
    const cache = new SerializingCache()
    const asked: string[] = []
    const store = { cache: { get: (k: string) => (asked.push(`get ${k}`), cache.get(k)), set: (k: string, v: unknown) => (asked.push(`set ${k}`), cache.set(k, v)) }, readOnly: false }
    const first = named(files, 'tree A')
    scanRepository(first, store)
    expect(asked.map((a) => a.slice(0, 3))).toEqual(['get', 'set'])
    // The next review of an App reads the same blobs into another tree of the same name.
    const again = new MemoryTree()
    for (const p of Object.keys(files)) again.addFile(p, first.readFile(p)!)
    again.identify('tree A')
    asked.length = 0
    expect(plain(scanRepository(again, store))).toEqual(fresh(files))
    expect(asked).toEqual([])
  })

  it.each([
    ['another format', (v: Rec) => ({ ...v, format: 'fluxgate-scan 0' })],
    ['another key', (v: Rec) => ({ ...v, key: '0'.repeat(64) })],
    ['a file that is not a pair', (v: Rec) => ({ ...v, files: [...v.files, ['x.yaml']] })],
    ['an object that is not a Kubernetes object', (v: Rec) => ({ ...v, files: v.files.map(([f, s]) => [f, s && s.objects.length > 0 ? { ...s, objects: [{ ...s.objects[0], object: { kind: 'Kustomization' } }] } : s]) })],
    ['an object of another file', (v: Rec) => ({ ...v, files: v.files.map(([f, s]) => [f, s && s.objects.length > 0 ? { ...s, objects: s.objects.map((o) => ({ ...o, file: 'elsewhere.yaml' })) } : s]) })],
    ['a patch list that is not text', (v: Rec) => ({ ...v, files: v.files.map(([f, s]) => [f, s ? { ...s, patchFiles: [7] } : s]) })],
    ['nothing like a record', () => 'garbage'],
  ])('ignore a record with %s, and replace it', (_name, garble) => {
    const cache = new SerializingCache()
    const store = { cache, readOnly: false }
    scanRepository(named(files, 'tree A'), store)
    const key = scanRecordKey(named(files, 'tree A'))!
    cache.set(key, garble(cache.get(key) as Rec))
    const renamedRoot = { ...files, [syncFile]: files[syncFile]!.replaceAll('flux-system', 'renamed-system') }
    // Scanned from its bytes (the record would have given the other tree's scans), and recorded again.
    expect(plain(scanRepository(named(renamedRoot, 'tree A'), store))).toEqual(fresh(renamedRoot))
    expect(plain(scanRepository(named(files, 'tree A'), store))).toEqual(fresh(renamedRoot))
  })

  it('never keep a Secret, or anything for a read-only store or a tree without a name', () => {
    const cache = new SerializingCache()
    const withSecret = { ...files, 'clusters/c0/flux-system/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: token\n  namespace: flux-system\n  annotations:\n    kustomize.toolkit.fluxcd.io/reconcile: disabled\nstringData:\n  token: hunter22\n' }
    expect(plain(scanRepository(named(withSecret, 'with secret'), { cache, readOnly: false }))).toEqual(fresh(withSecret))
    const sops = { ...files, 'clusters/c0/flux-system/sops.yaml': 'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: x\nspec:\n  path: ENC[AES256_GCM,data:abc]\nsops:\n  version: 3.9.0\n' }
    scanRepository(named(sops, 'sops'), { cache, readOnly: false })
    const patched = { ...files, 'clusters/c0/flux-system/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- gotk-sync.yaml\npatches:\n- patch: |\n    apiVersion: v1\n    kind: Secret\n    metadata:\n      name: token\n    stringData:\n      token: hunter22\n' }
    scanRepository(named(patched, 'patched'), { cache, readOnly: false })
    scanRepository(named(files, 'read-only'), { cache, readOnly: true })
    scanRepository(MemoryTree.fromRecord(files), { cache, readOnly: false })
    expect(cache.map.size).toBe(0)

    // A read-only store still serves what a trusted run kept.
    scanRepository(named(files, 'kept'), { cache, readOnly: false })
    const renamedRoot = { ...files, [syncFile]: files[syncFile]!.replaceAll('flux-system', 'renamed-system') }
    expect(plain(scanRepository(named(renamedRoot, 'kept'), { cache, readOnly: true }))).toEqual(fresh(files))
  })
})

type Scan = { patchFiles: unknown[]; inlinePatches: unknown[]; objects: { object: unknown; file: string; line: number }[] }
type Rec = { format: string; key: string; files: [string, Scan | null][] }
