/**
 * A read-only tree of files: a Git tree at one commit held in memory, a folder on disk, or a
 * virtual tree (a Flux artifact after ignore rules, an ArtifactGenerator output).
 *
 * Paths are POSIX, relative to the tree's root, without a leading `./` or `/`; `''` is the
 * root. Implementations never resolve anything outside the root: a symlink that leaves it
 * reads as `symlink` with no content. Synchronous on purpose: the kustomize engine reads
 * thousands of small files and a Git tree is loaded into memory in one batch beforehand.
 */
export interface FileTree {
  /** `file`, `dir`, `symlink`, or undefined when nothing is there. */
  stat(path: string): FileStat | undefined
  /** The bytes of a regular file (following in-tree symlinks), or undefined. */
  readFile(path: string): Uint8Array | undefined
  /** Entry names (not paths) of a directory, sorted by byte order; [] when not a directory. */
  list(dir: string): string[]
}

export interface FileStat {
  type: 'file' | 'dir' | 'symlink'
  /** For symlinks: the link target as written. */
  target?: string
  size?: number
}

/** A repository that can hand out trees at a revision (a local Git repository, the GitHub API). */
export interface RepoSource {
  /** The full commit SHA a ref (branch, tag, SHA, `HEAD~1`) points at. */
  resolve(ref: string): Promise<string>
  /** The tree of a commit, loaded for synchronous reads. */
  tree(commit: string): Promise<FileTree>
  /** The merge base of two commits, or undefined when they share no history. */
  mergeBase(a: string, b: string): Promise<string | undefined>
}
