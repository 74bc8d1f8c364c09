/**
 * An in-process Kubernetes API server double for tests: plain HTTP on 127.0.0.1, speaking the
 * wire protocol `@kubernetes/client-node` and `kubectl` use (real-components.md §4): discovery,
 * get/list with field and label selectors, create, PUT with resourceVersion conflicts, merge /
 * JSON / strategic-merge patches, server-side apply, `dryRun=All`, the status subresource,
 * watches as chunked JSON lines, `Status` errors and a request log.
 *
 * NOT MODELLED: field ownership and apply conflicts. Server-side apply merges the applied
 * configuration into the stored object whoever the field manager is; it never removes a field
 * another manager set and never answers 409 for `force=false`. managedFields entries are
 * recorded (manager, operation, time) but carry empty `fieldsV1`. Also absent: admission
 * webhooks beyond a few defaults (defaults.ts), finalizers and deletionTimestamp, periodic
 * BOOKMARK events (only the WatchList initial-events-end one is sent) and 410 Expired, Table responses, protobuf, CRD schema validation.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { stringify } from 'yaml'
import { Handlers, status, type Reply } from './handlers.js'
import { ResourceTable, groupVersion, type ResourceType } from './resources.js'
import { parseRoute } from './routes.js'
import { ObjectStore, type StoredObject } from './store.js'
import { prepareCreate, prepareUpdate } from './writes.js'

/** One request as the double saw it. Never holds the Authorization header. */
export interface RequestLogEntry {
  method: string
  path: string
  query: Record<string, string>
  contentType?: string
  accept?: string
  code: number
  body?: string
}

export interface KubeApiServerOptions {
  /** Kinds to serve (DEFAULT_RESOURCES when absent). */
  resources?: readonly ResourceType[]
  /** When set, every request must carry `Authorization: Bearer <token>` (401 otherwise). */
  token?: string
}

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.code, { 'Content-Type': 'application/json' })
  res.end(JSON.stringify(reply.body))
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = []
  for await (const c of req) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** See the module comment. Start one with `startKubeApiServer`. */
export class KubeApiServer {
  readonly store = new ObjectStore()
  readonly log: RequestLogEntry[] = []
  readonly table: ResourceTable
  private readonly handlers: Handlers
  private readonly watches = new Set<ServerResponse>()
  private server: Server | undefined
  /** While true, watch requests are answered and then closed at once (a watch that keeps dropping). */
  refuseWatches = false

  constructor(private readonly options: KubeApiServerOptions = {}) {
    this.table = new ResourceTable(options.resources)
    this.handlers = new Handlers(this.store, this.table.byKind('v1', 'Namespace'))
  }

  /** `http://127.0.0.1:PORT` once listening. */
  get url(): string {
    const addr = this.server?.address() as AddressInfo | null | undefined
    if (!addr) throw new Error('the API double is not listening')
    return `http://127.0.0.1:${addr.port}`
  }

  async listen(port = 0): Promise<this> {
    this.server = createServer((req, res) => void this.serve(req, res))
    await new Promise<void>((resolve) => this.server?.listen(port, '127.0.0.1', resolve))
    return this
  }

  async stop(): Promise<void> {
    this.dropWatches()
    const server = this.server
    if (!server) return
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    this.server = undefined
  }

  /** Ends every open watch from the server side, as an API server restart or a proxy timeout does. */
  dropWatches(): void {
    for (const w of this.watches) w.destroy()
    this.watches.clear()
  }

  /**
   * A kubeconfig (YAML) pointing at this server, with the token the server expects.
   * `insecure-skip-tls-verify` is there because client-node 1.x refuses plain HTTP without it.
   */
  kubeconfig(context = 'fake'): string {
    return stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: context, cluster: { server: this.url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: context, user: { token: this.options.token ?? 'fake-token' } }],
      contexts: [{ name: context, context: { cluster: context, user: context, namespace: 'flux-system' } }],
      'current-context': context,
    })
  }

  /**
   * Stores an object directly (creating its namespace when missing), as if a controller applied
   * it: the way tests load a cluster's starting state without going through HTTP.
   */
  seed(obj: StoredObject, manager = 'kustomize-controller'): StoredObject {
    const r = this.resourceOf(obj)
    const ns = r.namespaced ? String(obj.metadata['namespace'] ?? 'default') : undefined
    if (ns) this.ensureNamespace(ns)
    const cur = this.store.get(r, ns, String(obj.metadata['name']))
    const w = { manager, operation: 'Apply' as const }
    const next = cur ? prepareUpdate(this.store, r, cur, { ...obj, status: cur['status'] ?? null }, w) : prepareCreate(this.store, r, obj, ns, w)
    const withStatus = next && obj['status'] !== undefined ? { ...next, status: obj['status'] } : next
    if (withStatus) this.store.put(r, withStatus)
    return this.get(obj.apiVersion, obj.kind, ns, String(obj.metadata['name'])) as StoredObject
  }

  /** Writes `.status` of a stored object (what a controller does); returns the new object. */
  writeStatus(obj: Pick<StoredObject, 'apiVersion' | 'kind' | 'metadata'>, nextStatus: Record<string, unknown>, manager: string): StoredObject | undefined {
    const r = this.resourceOf(obj)
    const cur = this.store.get(r, obj.metadata['namespace'] as string | undefined, String(obj.metadata['name']))
    if (!cur) return undefined
    const next = prepareUpdate(this.store, r, cur, { ...cur, status: nextStatus as StoredObject['status'] }, { manager, operation: 'Update', subresource: 'status' })
    if (next) this.store.put(r, next)
    return next ?? cur
  }

  /** The stored object, or undefined. */
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): StoredObject | undefined {
    const r = this.table.byKind(apiVersion, kind)
    return r ? this.store.get(r, namespace, name) : undefined
  }

  private ensureNamespace(name: string): void {
    const nsType = this.table.byKind('v1', 'Namespace')
    if (!nsType || this.store.get(nsType, undefined, name)) return
    this.store.put(nsType, prepareCreate(this.store, nsType, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, undefined, { manager: 'kubectl-create', operation: 'Update' }))
  }

  private resourceOf(obj: Pick<StoredObject, 'apiVersion' | 'kind'>): ResourceType {
    const r = this.table.byKind(obj.apiVersion, obj.kind)
    if (!r) throw new Error(`the API double does not serve ${obj.apiVersion} ${obj.kind}`)
    return r
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const body = await readBody(req)
    const entry: RequestLogEntry = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      ...(req.headers['content-type'] ? { contentType: req.headers['content-type'] } : {}),
      ...(req.headers.accept ? { accept: req.headers.accept } : {}),
      code: 0,
      ...(body ? { body } : {}),
    }
    this.log.push(entry)
    const reply = this.route(req, url, body, res)
    if (!reply) {
      entry.code = 200
      return
    }
    entry.code = reply.code
    send(res, reply)
  }

  private route(req: IncomingMessage, url: URL, body: string, res: ServerResponse): Reply | undefined {
    if (this.options.token && req.headers.authorization !== `Bearer ${this.options.token}`) {
      return status(401, 'Unauthorized', 'Unauthorized')
    }
    const discovery = this.discovery(url.pathname)
    if (discovery) return discovery
    const route = parseRoute(url.pathname, this.table)
    if (route.type === 'unknown') return status(404, 'NotFound', 'the server could not find the requested resource')
    if (route.type === 'group-version') {
      const resources = this.table.resourceList(route.group, route.version)
      if (!resources) return status(404, 'NotFound', 'the server could not find the requested resource')
      return { code: 200, body: { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: groupVersion(route.group, route.version), resources } }
    }
    const q = url.searchParams
    if (req.method === 'GET' && !route.name && (q.get('watch') === 'true' || q.get('watch') === '1')) {
      this.watch(res, route.resource, route.version, route.namespace, q)
      return undefined
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim() ?? ''
    const { type: _t, group: _g, ...target } = route
    return this.handlers.handle({ method: req.method ?? 'GET', ...target, query: q, contentType, body })
  }

  private discovery(path: string): Reply | undefined {
    if (path === '/version') return { code: 200, body: { major: '1', minor: '33', gitVersion: 'v1.33.0-fluxgate-double', platform: 'linux/amd64' } }
    if (path === '/openapi/v3') return { code: 200, body: { paths: {} } }
    if (path === '/api') return { code: 200, body: { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] } }
    if (path !== '/apis') return undefined
    const groups = this.table.groups().map((g) => {
      const versions = g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v }))
      return { name: g.name, versions, preferredVersion: versions[0] }
    })
    return { code: 200, body: { kind: 'APIGroupList', apiVersion: 'v1', groups } }
  }

  private watch(res: ServerResponse, r: ResourceType, version: string, namespace: string | undefined, q: URLSearchParams): void {
    res.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' })
    // Send the headers now: a client's watch is established only once they arrive.
    res.flushHeaders()
    if (this.refuseWatches) {
      res.end()
      return
    }
    const write = (type: string, o: StoredObject): void => {
      res.write(JSON.stringify({ type, object: { ...o, apiVersion: groupVersion(r.group, version) } }) + '\n')
    }
    const from = q.get('resourceVersion')
    const initial = q.get('sendInitialEvents') === 'true'
    // Without a resourceVersion (or with 0) a watch starts with the current state as ADDED events;
    // a WatchList request (kubectl ≥ 1.35: sendInitialEvents=true) always does, and then marks
    // the end of that state with a BOOKMARK carrying `k8s.io/initial-events-end`.
    if (initial || !from || from === '0') for (const o of this.handlers.matching({ resource: r, ...(namespace ? { namespace } : {}), query: q })) write('ADDED', o)
    if (initial) {
      const bookmark = { kind: r.kind, apiVersion: groupVersion(r.group, version), metadata: { resourceVersion: this.store.resourceVersion, annotations: { 'k8s.io/initial-events-end': 'true' } } }
      res.write(JSON.stringify({ type: 'BOOKMARK', object: bookmark }) + '\n')
    }
    const wanted = (o: StoredObject): boolean => this.handlers.matching({ resource: r, ...(namespace ? { namespace } : {}), query: q }).some((m) => m.metadata['uid'] === o.metadata['uid'])
    const unsubscribe = this.store.subscribe((e) => {
      if (e.resource !== r || (namespace && e.object.metadata['namespace'] !== namespace)) return
      if (e.type === 'DELETED' || wanted(e.object)) write(e.type, e.object)
    })
    this.watches.add(res)
    const timeout = Number(q.get('timeoutSeconds') ?? 0)
    const timer = timeout > 0 ? setTimeout(() => res.end(), timeout * 1000) : undefined
    res.on('close', () => {
      unsubscribe()
      if (timer) clearTimeout(timer)
      this.watches.delete(res)
    })
  }
}

/** Starts a double on an OS-assigned port of 127.0.0.1. Call `stop()` when done. */
export async function startKubeApiServer(options: KubeApiServerOptions = {}): Promise<KubeApiServer> {
  return new KubeApiServer(options).listen()
}
