import type { FileTree } from '../../ports/file-tree.js'

const decoder = new TextDecoder()

/** A file that may hold setter markers, with its text. */
export interface MarkedFile {
  path: string
  text: string
}

/**
 * The files Flux's setters look at under `dir` (I-11): extension `.yaml`/`.yml` or base name
 * `Kustomization`, whose bytes contain the literal `"$imagepolicy"`. Symlinks are not followed
 * (a pull request must not make us read outside the tree); `.git` is skipped. Sorted by path.
 */
export function findMarkedFiles(tree: FileTree, dir: string): MarkedFile[] {
  const out: MarkedFile[] = []
  const walk = (d: string): void => {
    for (const name of tree.list(d)) {
      const p = d ? `${d}/${name}` : name
      const st = tree.stat(p)
      if (st?.type === 'dir') {
        if (name !== '.git') walk(p)
        continue
      }
      if (st?.type !== 'file') continue
      if (!(name.endsWith('.yaml') || name.endsWith('.yml') || name === 'Kustomization')) continue
      const bytes = tree.readFile(p)
      if (!bytes) continue
      const text = decoder.decode(bytes)
      if (text.includes('"$imagepolicy"')) out.push({ path: p, text })
    }
  }
  const st = dir === '' ? { type: 'dir' } : tree.stat(dir)
  if (st?.type === 'dir') walk(dir)
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
}
