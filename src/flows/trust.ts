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
  /** Fetch charts from Helm repositories and OCI registries (unless the policy says offline). */
  remoteCharts: boolean
  /** Why remote charts are not fetched, for the one warning per cluster that says so. */
  remoteChartsOff?: string
  /** Why helm is not run, likewise. */
  helmOff?: string
}

/** The caller's chart policy: `offline` keeps every chart fetch off, trusted or not. */
export interface ChartPolicy {
  offline?: boolean
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

/**
 * What a trust level may do, given the caller's chart policy: a trusted change runs helm and
 * fetches remote charts (HelmRepository, OCI, OCIRepository chartRef) unless the policy is
 * offline; an untrusted one does neither, whatever the policy.
 */
export function capabilitiesOf(trust: Trust, policy: ChartPolicy = {}): Capabilities {
  if (!trust.trusted) {
    const why = `the change is untrusted (${trust.reason}): nothing in it is run or fetched`
    return { helm: false, remoteCharts: false, remoteChartsOff: why, helmOff: why }
  }
  if (policy.offline) return { helm: true, remoteCharts: false, remoteChartsOff: 'offline: remote charts are not fetched (--offline)' }
  return { helm: true, remoteCharts: true }
}

/**
 * The chart policy from a caller's settings: `offline` when given; else the deprecated
 * `allowRemoteCharts`, whose explicit `false` still means offline (remote charts are now
 * fetched by default, so `true` changes nothing).
 */
export function chartPolicy(req: { offline?: boolean | undefined; allowRemoteCharts?: boolean | undefined }): ChartPolicy {
  return { offline: req.offline ?? req.allowRemoteCharts === false }
}
