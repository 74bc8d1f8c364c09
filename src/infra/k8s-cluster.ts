/**
 * ClusterClient over `@kubernetes/client-node` 1.4 (the only module that imports it). The
 * client's typed models are bypassed on purpose: objects travel as the plain JSON the API server
 * sends, so unknown fields survive a dry-run and timestamps stay strings. Paths come from the
 * client's discovery (cached per group/version); authentication, TLS and proxies are the
 * client's, from the kubeconfig.
 */
import * as k8s from '@kubernetes/client-node'
import type { KubeObject } from '../core/model/object.js'
import type { ClusterClient, ClusterFailure, ListOptions, ObjectRef, WatchEvent, WatchSubscription } from '../ports/cluster.js'

/** The field manager of every write (R-2: never one that starts with `kubectl`). */
export const FIELD_MANAGER = 'fluxgate'

/** Where credentials come from: a kubeconfig file, `KUBECONFIG`/`~/.kube/config`, or the pod's service account. */
export interface KubeconfigSource {
  /** Path of a kubeconfig file; wins over `env.KUBECONFIG`. */
  kubeconfig?: string
  /** A context other than the current one. */
  context?: string
  /** Use the pod's service account (the app deployed in the cluster). */
  inCluster?: boolean
}

/** A failed API call: the Status the server sent (no request headers, so never a token). */
export class ClusterError extends Error implements ClusterFailure {
  constructor(
    readonly status: number,
    readonly reason: string,
    message: string,
  ) {
    super(message)
    this.name = 'ClusterError'
  }
}

/** Loads a kubeconfig from the source; throws when none can be found. */
export function loadKubeConfig(src: KubeconfigSource = {}): k8s.KubeConfig {
  const kc = new k8s.KubeConfig()
  if (src.inCluster) kc.loadFromCluster()
  else if (src.kubeconfig) kc.loadFromFile(src.kubeconfig)
  else kc.loadFromDefault()
  if (src.context) kc.setCurrentContext(src.context)
  if (!kc.getCurrentCluster()) throw new Error('no cluster in the kubeconfig (set --kubeconfig or KUBECONFIG)')
  return kc
}

type Action = 'create' | 'delete' | 'patch' | 'read' | 'list' | 'replace'

/** KubernetesObjectApi with raw JSON in and out. */
class RawObjectApi extends k8s.KubernetesObjectApi {
  static make(kc: k8s.KubeConfig): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi)
    api.setDefaultNamespace(kc)
    return api
  }

  async path(spec: k8s.KubernetesObject, action: Action, sub?: string): Promise<string> {
    const base = await this.specUriPath(structuredClone(spec), action)
    return sub ? `${base}/${sub}` : base
  }

  async send(method: k8s.HttpMethod, path: string, query: Record<string, string>, body?: { type: string; text: string }): Promise<unknown> {
    const ctx = this.configuration.baseServer.makeRequestContext(path, method)
    ctx.setHeaderParam('Accept', 'application/json')
    for (const [k, v] of Object.entries(query)) ctx.setQueryParam(k, v)
    if (body) {
      ctx.setHeaderParam('Content-Type', body.type)
      ctx.setBody(body.text)
    }
    return this.requestPromise(ctx)
  }

  protected override async processResponse<T extends k8s.KubernetesObject>(response: k8s.ResponseContext): Promise<T> {
    const text = await response.body.text()
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return JSON.parse(text) as T
    throw failureFrom(response.httpStatusCode, text)
  }
}

function failureFrom(code: number, text: string): ClusterError {
  try {
    const s = JSON.parse(text) as { reason?: string; message?: string }
    return new ClusterError(code, s.reason ?? 'Unknown', s.message ?? `HTTP ${code}`)
  } catch {
    return new ClusterError(code, 'Unknown', `HTTP ${code}`)
  }
}

/** Network errors carry the URL at most; keep only the message's first line. */
function asClusterError(err: unknown): ClusterError {
  if (err instanceof ClusterError) return err
  const message = err instanceof Error ? (err.message.split('\n')[0] ?? '') : String(err)
  return new ClusterError(0, 'Unreachable', message)
}

function header(ref: ObjectRef): k8s.KubernetesObject {
  return { apiVersion: ref.apiVersion, kind: ref.kind, metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) } }
}

/** See the module comment. */
export class K8sCluster implements ClusterClient {
  readonly context: string
  private readonly api: RawObjectApi

  constructor(private readonly kc: k8s.KubeConfig) {
    this.context = kc.getCurrentContext() || 'in-cluster'
    this.api = RawObjectApi.make(kc)
  }

  /** A client for the kubeconfig the source names. */
  static load(src: KubeconfigSource = {}): K8sCluster {
    return new K8sCluster(loadKubeConfig(src))
  }

  async get(ref: ObjectRef): Promise<KubeObject | undefined> {
    try {
      return (await this.api.send(k8s.HttpMethod.GET, await this.api.path(header(ref), 'read'), {})) as KubeObject
    } catch (err) {
      const e = asClusterError(err)
      if (e.status === 404) return undefined
      throw e
    }
  }

  async list(apiVersion: string, kind: string, opts: ListOptions = {}): Promise<KubeObject[]> {
    const spec: k8s.KubernetesObject = { apiVersion, kind, metadata: opts.namespace ? { namespace: opts.namespace } : {} }
    const query: Record<string, string> = {}
    if (opts.labelSelector) query['labelSelector'] = opts.labelSelector
    if (opts.fieldSelector) query['fieldSelector'] = opts.fieldSelector
    try {
      const list = (await this.api.send(k8s.HttpMethod.GET, await this.api.path(spec, 'list'), query)) as { items?: KubeObject[] }
      // List items carry no apiVersion/kind on a real server.
      return (list.items ?? []).map((o) => ({ ...o, apiVersion, kind }))
    } catch (err) {
      throw asClusterError(err)
    }
  }

  async applyDryRun(obj: KubeObject): Promise<KubeObject> {
    const query = { dryRun: 'All', fieldManager: FIELD_MANAGER, force: 'true' }
    try {
      const path = await this.api.path(obj as k8s.KubernetesObject, 'patch')
      return (await this.api.send(k8s.HttpMethod.PATCH, path, query, { type: k8s.PatchStrategy.ServerSideApply, text: JSON.stringify(obj) })) as KubeObject
    } catch (err) {
      throw asClusterError(err)
    }
  }

  async annotate(ref: ObjectRef, annotations: Record<string, string | null>): Promise<KubeObject> {
    const body = JSON.stringify({ metadata: { annotations } })
    try {
      const path = await this.api.path(header(ref), 'patch')
      return (await this.api.send(k8s.HttpMethod.PATCH, path, { fieldManager: FIELD_MANAGER }, { type: k8s.PatchStrategy.MergePatch, text: body })) as KubeObject
    } catch (err) {
      throw asClusterError(err)
    }
  }

  async watch(ref: ObjectRef, onEvent: (event: WatchEvent) => void): Promise<WatchSubscription> {
    const path = await this.api.path({ ...header(ref), metadata: { ...(ref.namespace ? { namespace: ref.namespace } : {}) } }, 'list')
    let settle: (e: Error | undefined) => void = () => {}
    const ended = new Promise<Error | undefined>((resolve) => (settle = resolve))
    let stopped = false
    const controller = await new k8s.Watch(this.kc).watch(
      path,
      { fieldSelector: `metadata.name=${ref.name}` },
      (type: string, object: KubeObject) => onEvent({ type: type as WatchEvent['type'], object }),
      (err: unknown) => settle(stopped || !err ? undefined : asClusterError(err)),
    )
    return {
      stop: () => {
        stopped = true
        controller.abort()
      },
      ended,
    }
  }
}
