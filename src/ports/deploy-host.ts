/** The final state of a cluster's deployment record. */
export type DeploymentState = 'success' | 'failure' | 'inactive'

/**
 * Where a merge's reconcile is reported (GitHub Deployments and the merged pull request's
 * sticky comment). Implemented by src/adapters/github/deploy-host.ts.
 */
export interface DeployHost {
  /** The pull request a commit on `branch` merged, or undefined for a plain push. */
  mergedPull(sha: string, branch: string): Promise<number | undefined>
  /** A deployment record for `cluster` at `sha`, already marked in progress; returns its id. */
  startDeployment(cluster: string, sha: string, description: string, pullNumber?: number): Promise<number>
  finishDeployment(id: number, state: DeploymentState, description: string): Promise<void>
  /** Puts (or replaces) the reconcile section in the pull request's sticky comment. */
  showReconcile(pullNumber: number, section: string): Promise<void>
}
