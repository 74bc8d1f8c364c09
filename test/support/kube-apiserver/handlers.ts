/**
 * Object verbs of the API double: get, list, create, update (PUT), the four PATCH content types,
 * server-side apply and delete, each honouring `dryRun=All`. Every failure is a `Status`
 * object, because clients read `reason` and `code` from it.
 */
import { parse as parseYaml } from 'yaml'
import { PatchError, jsonPatch, mergePatch, strategicMerge, type Json } from './patch.js'
import { groupVersion, type ResourceType } from './resources.js'
import { parseFieldSelector, parseLabelSelector } from './selectors.js'
import type { ObjectStore, StoredObject } from './store.js'
import { prepareCreate, prepareUpdate, type Writer } from './writes.js'

/** What a handler answers: an HTTP code and a JSON body. */
export interface Reply {
  code: number
  body: unknown
}

/** The parts of a request a verb needs. */
export interface ObjectRequest {
  method: string
  resource: ResourceType
  version: string
  namespace?: string
  name?: string
  sub?: string
  query: URLSearchParams
  contentType: string
  body: string
}

/** A Kubernetes `Status` failure. */
export function status(code: number, reason: string, message: string, details?: Record<string, unknown>): Reply {
  return { code, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code } }
}

function resourceName(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural
}

function notFound(r: ResourceType, name: string): Reply {
  return status(404, 'NotFound', `${resourceName(r)} "${name}" not found`, { name, group: r.group, kind: r.plural })
}

function namespaceMissing(store: ObjectStore, namespaceType: ResourceType | undefined, r: ResourceType, ns: string | undefined): Reply | undefined {
  if (!r.namespaced || !namespaceType) return undefined
  if (!ns) return status(400, 'BadRequest', 'the namespace of the object does not match the namespace on the request')
  if (store.get(namespaceType, undefined, ns)) return undefined
  return status(404, 'NotFound', `namespaces "${ns}" not found`, { name: ns, kind: 'namespaces' })
}

/** Shows a stored object in the version the client asked for. */
function asVersion(o: StoredObject, r: ResourceType, version: string): StoredObject {
  return { ...o, apiVersion: groupVersion(r.group, version) }
}

function parseBody(req: ObjectRequest): StoredObject {
  try {
    return JSON.parse(req.body) as StoredObject
  } catch {
    throw new PatchError(400, 'BadRequest', `the body of the request could not be decoded as JSON`)
  }
}

/** Verbs over one store. `namespaceType` is the Namespace row, for the missing-namespace check. */
export class Handlers {
  constructor(
    private readonly store: ObjectStore,
    private readonly namespaceType: ResourceType | undefined,
  ) {}

  handle(req: ObjectRequest): Reply {
    try {
      if (req.method === 'GET') return req.name ? this.get(req) : this.list(req)
      if (req.method === 'POST' && !req.name) return this.create(req)
      if (req.method === 'PUT' && req.name) return this.replace(req)
      if (req.method === 'PATCH' && req.name) return this.patch(req)
      if (req.method === 'DELETE' && req.name) return this.remove(req)
      return status(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource`)
    } catch (err) {
      if (err instanceof PatchError) return status(err.code, err.reason, err.message)
      return status(400, 'BadRequest', err instanceof Error ? err.message : String(err))
    }
  }

  /** The objects a list or watch matches. */
  matching(req: Pick<ObjectRequest, 'resource' | 'namespace' | 'query'>): StoredObject[] {
    const field = parseFieldSelector(req.query.get('fieldSelector'))
    const label = parseLabelSelector(req.query.get('labelSelector'))
    return this.store.list(req.resource, req.namespace).filter((o) => field(o) && label(o))
  }

  private get(req: ObjectRequest): Reply {
    const cur = this.store.get(req.resource, req.namespace, req.name as string)
    return cur ? { code: 200, body: asVersion(cur, req.resource, req.version) } : notFound(req.resource, req.name as string)
  }

  private list(req: ObjectRequest): Reply {
    const items = this.matching(req).map((o) => asVersion(o, req.resource, req.version))
    return {
      code: 200,
      body: { kind: `${req.resource.kind}List`, apiVersion: groupVersion(req.resource.group, req.version), metadata: { resourceVersion: this.store.resourceVersion }, items },
    }
  }

  private writer(req: ObjectRequest, operation: Writer['operation'], fallback: string): Writer {
    return { manager: req.query.get('fieldManager') || fallback, operation, ...(req.sub === 'status' ? { subresource: 'status' as const } : {}) }
  }

  private dry(req: ObjectRequest): boolean {
    return req.query.get('dryRun') === 'All'
  }

  private create(req: ObjectRequest): Reply {
    const body = parseBody(req)
    const name = String(body.metadata?.['name'] ?? '')
    if (!name) return status(422, 'Invalid', `${req.resource.kind} "" is invalid: metadata.name: Required value: name or generateName is required`)
    const missing = namespaceMissing(this.store, this.namespaceType, req.resource, req.namespace)
    if (missing) return missing
    if (this.store.get(req.resource, req.namespace, name)) {
      return status(409, 'AlreadyExists', `${resourceName(req.resource)} "${name}" already exists`, { name, group: req.resource.group, kind: req.resource.plural })
    }
    const obj = prepareCreate(this.store, req.resource, body, req.namespace, this.writer(req, 'Update', 'unknown'))
    if (!this.dry(req)) this.store.put(req.resource, obj)
    return { code: 201, body: asVersion(obj, req.resource, req.version) }
  }

  private replace(req: ObjectRequest): Reply {
    const cur = this.store.get(req.resource, req.namespace, req.name as string)
    if (!cur) return notFound(req.resource, req.name as string)
    const next = parseBody(req)
    const rv = next.metadata?.['resourceVersion']
    if (rv !== undefined && rv !== cur.metadata['resourceVersion']) {
      return status(409, 'Conflict', `Operation cannot be fulfilled on ${resourceName(req.resource)} "${req.name}": the object has been modified; please apply your changes to the latest version and try again`)
    }
    return this.update(req, cur, next, this.writer(req, 'Update', 'unknown'))
  }

  private patch(req: ObjectRequest): Reply {
    if (req.contentType === 'application/apply-patch+yaml') return this.apply(req)
    const cur = this.store.get(req.resource, req.namespace, req.name as string)
    if (!cur) return notFound(req.resource, req.name as string)
    const patch = JSON.parse(req.body) as Json
    let next: Json
    if (req.contentType === 'application/merge-patch+json') next = mergePatch(cur, patch)
    else if (req.contentType === 'application/json-patch+json') next = jsonPatch(cur, patch as unknown as Parameters<typeof jsonPatch>[1])
    else if (req.contentType === 'application/strategic-merge-patch+json') {
      if (!req.resource.builtin) return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`)
      next = strategicMerge(cur, patch)
    } else {
      return status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`)
    }
    return this.update(req, cur, next as StoredObject, this.writer(req, 'Update', 'unknown'))
  }

  /** Server-side apply without a field-ownership model: the applied config is merged in (keyed lists by key on built-ins). */
  private apply(req: ObjectRequest): Reply {
    const manager = req.query.get('fieldManager')
    if (!manager) return status(400, 'BadRequest', 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch')
    const applied = parseYaml(req.body) as StoredObject
    const cur = this.store.get(req.resource, req.namespace, req.name as string)
    const w: Writer = { manager, operation: 'Apply', ...(req.sub === 'status' ? { subresource: 'status' as const } : {}) }
    if (!cur) {
      const missing = namespaceMissing(this.store, this.namespaceType, req.resource, req.namespace)
      if (missing) return missing
      const obj = prepareCreate(this.store, req.resource, { ...applied, metadata: { ...applied.metadata, name: req.name as string } }, req.namespace, w)
      if (!this.dry(req)) this.store.put(req.resource, obj)
      return { code: 201, body: asVersion(obj, req.resource, req.version) }
    }
    const next = req.resource.builtin ? strategicMerge(cur, applied) : mergePatch(cur, applied)
    return this.update(req, cur, next as StoredObject, w)
  }

  private update(req: ObjectRequest, cur: StoredObject, next: StoredObject, w: Writer): Reply {
    const out = prepareUpdate(this.store, req.resource, cur, next, w)
    if (!out) return { code: 200, body: asVersion(cur, req.resource, req.version) }
    if (!this.dry(req)) this.store.put(req.resource, out)
    return { code: 200, body: asVersion(out, req.resource, req.version) }
  }

  private remove(req: ObjectRequest): Reply {
    const cur = this.store.get(req.resource, req.namespace, req.name as string)
    if (!cur) return notFound(req.resource, req.name as string)
    if (!this.dry(req)) this.store.delete(req.resource, req.namespace, req.name as string)
    const details = { name: req.name, group: req.resource.group, kind: req.resource.plural, uid: cur.metadata['uid'] }
    return { code: 200, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details } }
  }
}
