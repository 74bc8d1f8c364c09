import type { KubeObject } from '../core/model/object.js'

/**
 * A Kubernetes cluster as Fluxgate needs it: read objects, dry-run a server-side apply, ask
 * Flux to reconcile (an annotation), and follow an object. The one implementation over the API
 * is src/infra/k8s-cluster.ts; tests use it against the API double.
 *
 * Every write goes out under the field manager `fluxgate`. A name starting with `kubectl`
 * would be taken over and dropped by kustomize-controller on its next apply.
 */
export interface ClusterClient {
  /** The kubeconfig context (or `in-cluster`): shown in reports, never a credential. */
  readonly context: string
  /** The object, or undefined when the API server answers 404. */
  get(ref: ObjectRef): Promise<KubeObject | undefined>
  /** Objects of one kind, in one namespace or all of them. */
  list(apiVersion: string, kind: string, opts?: ListOptions): Promise<KubeObject[]>
  /**
   * Server-side apply with `dryRun=All`, `force=true`, field manager `fluxgate`: the object as
   * the API server would store it (defaults and mutating webhooks applied). Stores nothing.
   */
  applyDryRun(obj: KubeObject): Promise<KubeObject>
  /** A metadata merge patch of annotations (`null` removes one); returns the stored object. */
  annotate(ref: ObjectRef, annotations: Record<string, string | null>): Promise<KubeObject>
  /** Follows one object until `stop()`; `ended` settles when the watch ends for any reason. */
  watch(ref: ObjectRef, onEvent: (event: WatchEvent) => void): Promise<WatchSubscription>
}

/** Which object: the version picks the endpoint, the namespace is omitted for cluster-scoped kinds. */
export interface ObjectRef {
  apiVersion: string
  kind: string
  namespace?: string
  name: string
}

export interface ListOptions {
  namespace?: string
  labelSelector?: string
  fieldSelector?: string
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR'
  object: KubeObject
}

export interface WatchSubscription {
  stop(): void
  /** Resolves when the watch ends: `undefined` after `stop()` or a clean close, else the error. */
  ended: Promise<Error | undefined>
}

/**
 * What a failed API call carries (the Kubernetes `Status`): thrown by ClusterClient methods as
 * an Error with these fields. The message never holds a credential.
 */
export interface ClusterFailure {
  /** HTTP status, 0 when the server could not be reached. */
  status: number
  /** `NotFound`, `Conflict`, `Forbidden` ...; `Unreachable` for network failures. */
  reason: string
  message: string
}
