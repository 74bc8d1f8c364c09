import type { FileTree } from './file-tree.js'

/** An open pull request. */
export interface HostPull {
  number: number
  title: string
  body: string | null
}

/** Where image-update pull requests live (GitHub): src/adapters/github/image-pr-host.ts. */
export interface ImagePrHost {
  defaultBranch(): Promise<string>
  /** The open pull request from `branch` into `base`, if any. */
  openPull(branch: string, base: string): Promise<HostPull | undefined>
  createPull(branch: string, base: string, title: string, body: string): Promise<number>
  updatePull(number: number, title: string, body: string): Promise<void>
  closePull(number: number): Promise<void>
  comments(issue: number): Promise<string[]>
  comment(issue: number, body: string): Promise<void>
}

/** A commit on a branch, as far as the image pull-request flow needs to judge it. */
export interface BranchCommit {
  sha: string
  parents: string[]
  authorEmail: string
  committerEmail: string
  message: string
}

/** Who a commit is by. */
export interface GitIdentity {
  name: string
  email: string
}

/**
 * A remote Git repository to build commits on and push branches to, without a checkout:
 * src/infra/git-push.ts (plumbing only, pushes with a lease).
 */
export interface GitWorkspace {
  init(): Promise<void>
  /** Fetches a branch; its tip, or undefined when the remote has no such branch. */
  fetchBranch(branch: string): Promise<string | undefined>
  tree(commit: string): Promise<FileTree>
  treeId(commit: string): Promise<string>
  commitsBetween(base: string, tip: string): Promise<BranchCommit[]>
  commitFiles(parent: string, files: { path: string; text: string }[], message: string, author: GitIdentity, committer: GitIdentity): Promise<string>
  pushBranch(commit: string, branch: string, expectedTip: string | undefined): Promise<void>
  deleteBranch(branch: string, expectedTip: string): Promise<void>
}
