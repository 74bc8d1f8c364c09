/**
 * Where a change comes from, as far as facts the host guarantees tell (never a claim inside
 * the pull request). A missing fact means untrusted.
 */
export type ChangeOrigin =
  /** The CLI on the user's own machine: the user chose to run it on this repository. */
  | { kind: 'local' }
  /** The CLI told to treat the head as a fork's (`--untrusted`), e.g. in a CI script for forks. */
  | { kind: 'local-untrusted' }
  /**
   * A pull request: `headRepo` is the head repository's full name, `null` when GitHub reports
   * it deleted, undefined when the event does not say.
   */
  | { kind: 'pull-request'; baseRepo: string; headRepo: string | null | undefined }
  /** A merge-queue entry: trusted only as far as the queued pull request is (`queued` undefined: not found). */
  | { kind: 'merge-group'; baseRepo: string; queued?: { headRepo: string | null | undefined } }
  /** A commit already on the default branch (after a merge). */
  | { kind: 'default-branch' }

/** The trust decision for one run, with its reason for logs and reports. */
export interface Trust {
  trusted: boolean
  reason: string
}

/** What a level of trust may do with the pull request's content. */
export interface Capabilities {
  /** Run helm on charts that come from the repository. */
  helm: boolean
  /** Fetch charts from Helm repositories and OCI registries (when the policy asks for it). */
  remoteCharts: boolean
}

/**
 * Trust, decided once per run, here (README, Security): a head in this same repository (only
 * writers can push there) or the user's own CLI run is trusted; a fork, a fork whose
 * repository was deleted, a head the event does not name, or a merge-queue entry whose pull
 * request is a fork or cannot be found is not. Untrusted content is only read: no helm, nothing
 * fetched.
 */
export function decideTrust(origin: ChangeOrigin): Trust {
  switch (origin.kind) {
    case 'local':
      return { trusted: true, reason: 'local run' }
    case 'local-untrusted':
      return { trusted: false, reason: 'treated as untrusted (--untrusted)' }
    case 'default-branch':
      return { trusted: true, reason: 'commit on the default branch' }
    case 'pull-request':
      return sameRepository(origin.baseRepo, origin.headRepo, 'the pull request')
    case 'merge-group':
      if (!origin.queued) return { trusted: false, reason: 'the queued pull request could not be found' }
      return sameRepository(origin.baseRepo, origin.queued.headRepo, 'the queued pull request')
  }
}

function sameRepository(base: string, head: string | null | undefined, what: string): Trust {
  if (head === null) return { trusted: false, reason: `${what} comes from a fork whose repository was deleted` }
  if (!head) return { trusted: false, reason: `the event does not name the head repository of ${what}` }
  // GitHub repository names compare case-insensitively.
  if (head.toLowerCase() !== base.toLowerCase()) return { trusted: false, reason: `${what} comes from the fork ${head}` }
  return { trusted: true, reason: `${what} comes from ${base} itself` }
}

/** What a trust level may do, given the caller's remote-chart policy. */
export function capabilitiesOf(trust: Trust, policy: { allowRemoteCharts: boolean }): Capabilities {
  return { helm: trust.trusted, remoteCharts: trust.trusted && policy.allowRemoteCharts }
}
