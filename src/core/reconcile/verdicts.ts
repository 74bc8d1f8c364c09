import { isJsonObject, type JsonObject, type KubeObject } from '../model/object.js'

/** A final answer about one object; `undefined` from a judge means "keep waiting". */
export interface Verdict {
  outcome: 'succeeded' | 'failed' | 'stalled'
  revision?: string
  reason?: string
  message?: string
}

/** Reads an object's status and says whether the wait is over. */
export type Judge = (obj: KubeObject) => Verdict | undefined

interface Condition {
  status: string
  reason: string
  message: string
}

function statusOf(obj: KubeObject): JsonObject {
  const s = obj['status']
  return isJsonObject(s) ? s : {}
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}

/** The condition of `type` in `status.conditions`, if any. */
export function conditionOf(obj: KubeObject, type: string): Condition | undefined {
  const list = statusOf(obj)['conditions']
  if (!Array.isArray(list)) return undefined
  const c = list.find((x) => isJsonObject(x) && x['type'] === type)
  if (!isJsonObject(c)) return undefined
  return { status: str(c['status']) ?? 'Unknown', reason: str(c['reason']) ?? '', message: str(c['message']) ?? '' }
}

function stalled(obj: KubeObject): Verdict | undefined {
  const s = conditionOf(obj, 'Stalled')
  if (s?.status !== 'True') return undefined
  return { outcome: 'stalled', reason: s.reason, message: s.message }
}

/** True when a Flux revision string (`main@sha1:<sha>`, `sha1:<sha>`) names the commit `sha` (§4.3). */
export function revisionHoldsCommit(revision: string | undefined, sha: string): boolean {
  if (!revision || sha.length < 7) return false
  const at = revision.lastIndexOf('sha1:')
  if (at < 0) return false
  return revision.slice(at + 5).toLowerCase().startsWith(sha.toLowerCase())
}

/** The artifact revision a source reports. */
export function artifactRevision(obj: KubeObject): string | undefined {
  const a = statusOf(obj)['artifact']
  return isJsonObject(a) ? str(a['revision']) : undefined
}

/**
 * A source is done when its artifact holds the merge commit and it is Ready; it failed when it
 * handled our request and Ready is False for a reason other than Progressing; Stalled
 * fails at once. A source that is Ready on an older commit is waited for (the Git host may lag).
 */
export function judgeSource(sha: string, token: string): Judge {
  return (obj) => {
    const stall = stalled(obj)
    if (stall) return stall
    const ready = conditionOf(obj, 'Ready')
    const revision = artifactRevision(obj)
    if (revisionHoldsCommit(revision, sha) && ready?.status === 'True') return { outcome: 'succeeded', ...(revision ? { revision } : {}), reason: ready.reason, message: ready.message }
    const handled = str(statusOf(obj)['lastHandledReconcileAt']) === token
    if (handled && ready?.status === 'False' && ready.reason !== 'Progressing') {
      return { outcome: 'failed', ...(revision ? { revision } : {}), reason: ready.reason, message: ready.message }
    }
    return undefined
  }
}

/**
 * A Kustomization succeeded when `lastAppliedRevision` is the revision and Ready is True; it
 * failed when `lastAttemptedRevision` is the revision and Ready is False for a reason other
 * than Progressing; Stalled fails at once.
 */
export function judgeKustomization(revision: string): Judge {
  return (obj) => {
    const stall = stalled(obj)
    if (stall) return { ...stall, revision }
    const s = statusOf(obj)
    const ready = conditionOf(obj, 'Ready')
    if (s['lastAppliedRevision'] === revision && ready?.status === 'True') return { outcome: 'succeeded', revision, reason: ready.reason, message: ready.message }
    if (s['lastAttemptedRevision'] === revision && ready?.status === 'False' && ready.reason !== 'Progressing') {
      return { outcome: 'failed', revision, reason: ready.reason, message: ready.message }
    }
    return undefined
  }
}

/**
 * A HelmRelease's revision is its chart version, not the commit, so it is judged on our
 * request: handled, its spec observed, and Ready True (success) or False for a reason
 * other than Progressing (failure); Stalled fails at once.
 */
export function judgeHelmRelease(token: string): Judge {
  return (obj) => {
    const stall = stalled(obj)
    if (stall) return stall
    const s = statusOf(obj)
    if (s['lastHandledReconcileAt'] !== token) return undefined
    const generation = obj.metadata['generation']
    if (typeof generation === 'number' && typeof s['observedGeneration'] === 'number' && s['observedGeneration'] < generation) return undefined
    const ready = conditionOf(obj, 'Ready')
    const revision = str(s['lastAttemptedRevision'])
    const rev = revision ? { revision } : {}
    if (ready?.status === 'True') return { outcome: 'succeeded', ...rev, reason: ready.reason, message: ready.message }
    if (ready?.status === 'False' && ready.reason !== 'Progressing') return { outcome: 'failed', ...rev, reason: ready.reason, message: ready.message }
    return undefined
  }
}
