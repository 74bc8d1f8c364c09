/** One entry of a Git tree object: its mode (`40000` a folder, `120000` a link, `160000` a submodule), name and object id. */
export interface TreeEntry {
  mode: string
  name: string
  id: string
}

/**
 * Files a commit may hold before it is refused: far beyond any fleet (10,000 Kustomizations
 * are about 25,000 files), and a bound on what a hostile tree can make a reader hold (a tree
 * that names the same folder many times at every level expands without end otherwise).
 */
export const MAX_TREE_ENTRIES = 1_000_000

/** Thrown when a tree holds more than MAX_TREE_ENTRIES files and folders. */
export class TreeTooLarge extends Error {}

/** The entries of a tree object's body (`<mode> <name>\0<raw id>`, ids of `idBytes` bytes). */
export function parseTree(body: Uint8Array, idBytes: number): TreeEntry[] {
  const buf = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const out: TreeEntry[] = []
  let pos = 0
  while (pos < buf.length) {
    const sp = buf.indexOf(32, pos)
    const nul = sp < 0 ? -1 : buf.indexOf(0, sp + 1)
    if (sp < 0 || nul < 0 || nul + 1 + idBytes > buf.length) throw new Error('a tree object is malformed')
    out.push({ mode: buf.toString('latin1', pos, sp), name: buf.toString('utf8', sp + 1, nul), id: buf.toString('hex', nul + 1, nul + 1 + idBytes) })
    pos = nul + 1 + idBytes
  }
  return out
}

/** A commit's files and links, by path, with their blob ids; every tree object under its root, by id; every blob's size, by id. */
export interface Listed {
  files: { path: string; id: string }[]
  links: { path: string; id: string }[]
  trees: Map<string, TreeEntry[]>
  sizes: Map<string, number>
}

/**
 * What `git ls-tree -r -t -z --long --full-tree <rootId>` lists: the files and links (submodules
 * left out: they are not part of a Flux artifact), and the tree objects rebuilt (each folder's
 * entries in the listing's order, which is the tree object's own). ls-tree pads a folder's
 * mode (`040000`); a tree object does not. Entries past `limit` are refused.
 */
export function listedTrees(rootId: string, output: string, limit = MAX_TREE_ENTRIES): Listed {
  const listed: Listed = { files: [], links: [], trees: new Map([[rootId, []]]), sizes: new Map() }
  const folders = new Map<string, TreeEntry[]>([['', listed.trees.get(rootId)!]])
  let count = 0
  // Lines are `<mode> SP <type> SP <id> SP+ <size> TAB <path>`, NUL-ended: read by position,
  // as a listing of 50,000 entries is split on every commit a reader starts from.
  for (let pos = 0; pos < output.length; ) {
    let end = output.indexOf('\0', pos)
    if (end < 0) end = output.length
    const tab = output.indexOf('\t', pos)
    const sp1 = output.indexOf(' ', pos)
    const sp2 = sp1 < 0 ? -1 : output.indexOf(' ', sp1 + 1)
    const sp3 = sp2 < 0 ? -1 : output.indexOf(' ', sp2 + 1)
    if (tab < 0 || tab > end || sp3 < 0 || sp3 > tab) throw new Error('a tree listing is malformed')
    if (++count > limit) throw new TreeTooLarge(`the commit holds more than ${limit} files and folders`)
    let mode = output.slice(pos, sp1)
    if (mode.startsWith('0')) mode = mode.replace(/^0+/, '')
    const type = output.slice(sp1 + 1, sp2)
    const id = output.slice(sp2 + 1, sp3)
    const path = output.slice(tab + 1, end)
    pos = end + 1
    const slash = path.lastIndexOf('/')
    const parent = folders.get(slash < 0 ? '' : path.slice(0, slash))
    if (!parent) throw new Error(`a tree listing names ${path} before its folder`)
    parent.push({ mode, name: path.slice(slash + 1), id })
    if (type === 'tree') {
      const entries = listed.trees.get(id) ?? []
      listed.trees.set(id, entries)
      // The same folder at a second path is listed again in full: its entries are kept once.
      folders.set(path, entries.length > 0 ? [] : entries)
    } else if (type === 'blob') {
      listed.sizes.set(id, Number(output.slice(sp3 + 1, tab).trim()))
      ;(mode === '120000' ? listed.links : listed.files).push({ path, id })
    }
  }
  return listed
}

/** Where parsed tree objects are kept between reads (an LRU cache), by id. */
export interface TreeObjects {
  get(id: string): TreeEntry[] | undefined
}

/** How one tree differs from another: paths of files and links gone or replaced, and those added or replaced. */
export interface TreeChanges {
  removed: string[]
  files: { path: string; id: string }[]
  links: { path: string; id: string }[]
}

const isTree = (e: TreeEntry | undefined): e is TreeEntry => e?.mode === '40000'

/**
 * How the tree `newId` differs from the tree `oldId`, walked side by side from the roots, folder
 * level by folder level: a folder whose id is the same on both sides is the same folder and is
 * not entered, so a push costs the folders it changed. Each step yields the ids of the level's
 * tree objects that `known` does not hold, and is resumed with their entries (parseTree), by id.
 * A folder on one side only is walked whole; submodules are left out (they are not part of a
 * Flux artifact). undefined when a folder names an entry twice.
 */
export function* diffTree(oldId: string, newId: string, newBody: Uint8Array, known: TreeObjects, limit = MAX_TREE_ENTRIES): Generator<string[], TreeChanges | undefined, ReadonlyMap<string, TreeEntry[]>> {
  const here = new Map<string, TreeEntry[]>([[newId, known.get(newId) ?? parseTree(newBody, newId.length / 2)]])
  const changes: TreeChanges = { removed: [], files: [], links: [] }
  let count = 0
  let level: { prefix: string; old?: string; now?: string }[] = [{ prefix: '', old: oldId, now: newId }]
  const leaf = (path: string, e: TreeEntry, added: boolean): void => {
    if (e.mode === '160000') return
    if (!added) changes.removed.push(path)
    else (e.mode === '120000' ? changes.links : changes.files).push({ path, id: e.id })
  }
  while (level.length > 0) {
    const unknown = new Set<string>()
    for (const p of level) {
      for (const id of [p.old, p.now]) {
        if (id === undefined || here.has(id)) continue
        const entries = known.get(id)
        if (entries) here.set(id, entries)
        else unknown.add(id)
      }
    }
    if (unknown.size > 0) {
      const read = yield [...unknown]
      for (const id of unknown) {
        const entries = read.get(id)
        if (!entries) throw new Error(`tree ${id} was not read`)
        here.set(id, entries)
      }
    }
    const next: typeof level = []
    for (const { prefix, old, now } of level) {
      const olds = old === undefined ? [] : here.get(old)!
      const nows = now === undefined ? [] : here.get(now)!
      const before = new Map(olds.map((e) => [e.name, e]))
      const after = new Map(nows.map((e) => [e.name, e]))
      // A name twice in one folder (git fsck refuses it; a hostile push may not have been checked):
      // no difference is worked out, the tree is read whole.
      if (before.size !== olds.length || after.size !== nows.length) return undefined
      count += before.size + after.size
      if (count > limit) throw new TreeTooLarge(`the commit holds more than ${limit} files and folders`)
      for (const name of new Set([...before.keys(), ...after.keys()])) {
        const a = before.get(name)
        const b = after.get(name)
        if (a && b && a.mode === b.mode && a.id === b.id) continue
        const path = prefix + name
        if (isTree(a) && isTree(b)) next.push({ prefix: `${path}/`, old: a.id, now: b.id })
        else {
          if (isTree(a)) next.push({ prefix: `${path}/`, old: a.id })
          else if (a) leaf(path, a, false)
          if (isTree(b)) next.push({ prefix: `${path}/`, now: b.id })
          else if (b) leaf(path, b, true)
        }
      }
    }
    level = next
  }
  return changes
}
