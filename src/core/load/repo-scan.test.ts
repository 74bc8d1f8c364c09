import type { FileTree } from '../../ports/file-tree.js'
import { MemoryTree } from '../tree/memory-tree.js'
import { generateFleet } from '../../../test/support/fleet-generator.js'
import { SerializingCache } from '../../../test/support/serializing-cache.js'
import { scanRepository, type RepoScan } from './repo-scan.js'

const files = generateFleet({ apps: 12, clusters: 2 })
const plain = (scan: RepoScan): unknown => JSON.parse(JSON.stringify({ ...scan, patchFiles: [...scan.patchFiles].sort(), kustomizeDirs: [...scan.kustomizeDirs].sort(), fluxDirs: [...scan.fluxDirs].sort() }))
/** The full walk's scan of the files: a tree that cannot be related to any other (no deltas), bytes no scan has seen. */
const fresh = (record: Record<string, string>): unknown => {
  const t = MemoryTree.fromRecord(record)
  const opaque: FileTree = { stat: (p) => t.stat(p), readFile: (p) => t.readFile(p), list: (d) => t.list(d) }
  return plain(scanRepository(opaque))
}

const overlay = 'tenants/team1/app1/overlays/c1'
const edit = (changes: Record<string, string | undefined>): Record<string, string> => {
  const out = { ...files }
  for (const [p, t] of Object.entries(changes)) {
    if (t === undefined) delete out[p]
    else out[p] = t
  }
  return out
}

describe('scanRepository of a tree like one scanned before (a head after its base, a push after the last)', () => {
  it('shares the earlier scan when only files that hold no Flux object and no patch reference differ', () => {
    const base = MemoryTree.fromRecord(files)
    const before = scanRepository(base)
    const changed = edit({ [`${overlay}/replicas.yaml`]: files[`${overlay}/replicas.yaml`]!.replace(/replicas: \d+/, 'replicas: 9') })
    const head = MemoryTree.fromRecord(changed)
    expect(scanRepository(head)).toBe(before)
    expect(plain(before)).toEqual(fresh(changed))
  })

  it('shares the earlier scan when a Flux file changes only where the scan does not look (a comment at its end)', () => {
    const base = MemoryTree.fromRecord(files)
    const before = scanRepository(base)
    const changed = edit({ 'clusters/c1/tenants.yaml': `${files['clusters/c1/tenants.yaml']!}# reviewed\n` })
    const head = MemoryTree.fromRecord(changed)
    expect(scanRepository(head)).toBe(before)
    expect(plain(before)).toEqual(fresh(changed))
  })

  // Each edit changes what the scan finds, or which files and folders there are: each head's
  // scan must be the one a tree never scanned before gets.
  const edits: [string, Record<string, string | undefined>][] = [
    ['a Flux Kustomization path changed', { 'clusters/c1/tenants.yaml': files['clusters/c1/tenants.yaml']!.replace('path: ./fleet/c1/tenants', 'path: ./fleet/c1/other') }],
    ['a Flux object added to a plain manifest', { [`${overlay}/replicas.yaml`]: `${files[`${overlay}/replicas.yaml`]!}\n---\napiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: extra, namespace: flux-system}\nspec: {url: https://example.com/x}\n` }],
    ['a patch file reference added', { [`${overlay}/kustomization.yaml`]: files[`${overlay}/kustomization.yaml`]!.replace('- path: replicas.yaml', '- path: replicas.yaml\n- path: more.yaml') }],
    ['a file added', { [`${overlay}/more.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: more}\n' }],
    ['a file removed', { 'clusters/c1/tenants.yaml': undefined }],
    ['a folder made a chart', { [`${overlay}/Chart.yaml`]: 'apiVersion: v2\nname: x\nversion: 1.0.0\n' }],
    ['a gotk-sync.yaml moved', { 'clusters/c1/flux-system/gotk-sync.yaml': undefined, 'clusters/c1/gotk-sync.yaml': files['clusters/c1/flux-system/gotk-sync.yaml']! }],
    ['a __proto__ folder with a Flux object', { '__proto__/ks.yaml': files['clusters/c1/tenants.yaml']! }],
  ]
  it.each(edits)('scans the head in full where %s', (_why, changes) => {
    const base = MemoryTree.fromRecord(files)
    const before = scanRepository(base)
    const changed = edit(changes)
    const head = MemoryTree.fromRecord(changed)
    const after = scanRepository(head)
    expect(plain(after)).toEqual(fresh(changed))
    expect(after).not.toBe(before)
    // Asked again, the tree's own scan.
    expect(scanRepository(head)).toBe(after)
  })

  it('writes a record for a shared scan as for any head whose files had to be scanned, and none when every file was known', () => {
    const cache = new SerializingCache()
    const store = { cache, readOnly: false }
    const base = MemoryTree.fromRecord(files).identify('base')
    scanRepository(base, store)
    expect(cache.map.size).toBe(1)
    const push = (n: number): MemoryTree => MemoryTree.fromRecord(edit({ [`${overlay}/replicas.yaml`]: files[`${overlay}/replicas.yaml`]!.replace(/replicas: \d+/, `replicas: ${n}`) })).identify(`push ${n}`)
    const seven = push(7)
    expect(scanRepository(seven, store)).toBe(scanRepository(base))
    expect(cache.map.size).toBe(2)
    // The very same bytes again, in another tree (an App's next review reads the same blobs): nothing to scan, nothing written.
    const again = new MemoryTree()
    for (const p of Object.keys(files)) again.addFile(p, seven.readFile(p)!)
    expect(scanRepository(again.identify('push 7 again'), store)).toBe(scanRepository(base))
    expect(cache.map.size).toBe(2)
    // A read-only store (an untrusted change) is never written.
    expect(scanRepository(push(8), { cache, readOnly: true })).toBe(scanRepository(base))
    expect(cache.map.size).toBe(2)
  })
})
