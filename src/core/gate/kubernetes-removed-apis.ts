import { compareMinor, KUBERNETES_API_LIFECYCLE } from '../validate/api-lifecycle.js'

export { compareMinor }

/**
 * Built-in Kubernetes API versions that the API server stopped serving, by the minor that
 * removed them (Kubernetes deprecation guide). `kinds` empty: every kind of that version.
 */
export interface RemovedApi {
  apiVersion: string
  kinds: readonly string[]
  removedIn: string
  replacement: string
}

/** The removed entries of the lifecycle table in src/core/validate (one table for both rules). */
export const KUBERNETES_REMOVED_APIS: readonly RemovedApi[] = Object.freeze(
  KUBERNETES_API_LIFECYCLE.flatMap((e) => (e.removedIn ? [{ apiVersion: e.apiVersion, kinds: e.kinds, removedIn: e.removedIn, replacement: e.replacement }] : [])),
)

/** The removal entry for an apiVersion + kind at a Kubernetes minor, if it is no longer served. */
export function removedKubernetesApi(apiVersion: string, kind: string, kubernetesVersion: string): RemovedApi | undefined {
  return KUBERNETES_REMOVED_APIS.find(
    (r) => r.apiVersion === apiVersion && (r.kinds.length === 0 || r.kinds.includes(kind)) && compareMinor(kubernetesVersion, r.removedIn) >= 0,
  )
}
