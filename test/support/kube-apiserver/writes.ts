/**
 * How a write turns the stored object into the next one: the metadata the server owns, the
 * generation rule, the status subresource split, defaults and managedFields. Shared by POST,
 * PUT, every PATCH flavour and server-side apply.
 */
import { applyDefaults } from './defaults.js'
import type { Json } from './patch.js'
import type { ResourceType } from './resources.js'
import { type ObjectStore, type StoredObject } from './store.js'

/** Who wrote and how, for managedFields. */
export interface Writer {
  manager: string
  operation: 'Apply' | 'Update'
  subresource?: 'status'
}

function stripVolatile(o: StoredObject): string {
  const { managedFields: _m, resourceVersion: _r, ...meta } = o.metadata
  return JSON.stringify({ ...o, metadata: meta })
}

function bodyOf(o: StoredObject | undefined): string {
  if (!o) return ''
  const { metadata: _m, status: _s, ...rest } = o
  return JSON.stringify(rest)
}

function managedFields(prev: Json | undefined, w: Writer, apiVersion: string): Json[] {
  const list = Array.isArray(prev) ? prev.filter((e) => !(isEntry(e) && e['manager'] === w.manager && e['operation'] === w.operation && e['subresource'] === w.subresource)) : []
  const entry: { [k: string]: Json } = {
    manager: w.manager,
    operation: w.operation,
    apiVersion,
    time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    fieldsType: 'FieldsV1',
    fieldsV1: {},
  }
  if (w.subresource) entry['subresource'] = w.subresource
  return [...list, entry]
}

function isEntry(e: Json): e is { [k: string]: Json } {
  return typeof e === 'object' && e !== null && !Array.isArray(e)
}

/**
 * The object a create would store: server metadata, defaults, generation 1. `namespace` is the
 * one from the URL (it wins over the body's, as on a real server for namespaced kinds).
 */
export function prepareCreate(store: ObjectStore, r: ResourceType, body: StoredObject, namespace: string | undefined, w: Writer): StoredObject {
  const obj = structuredClone(body)
  const meta: StoredObject['metadata'] = { ...obj.metadata, ...store.newMetadata() }
  if (r.namespaced) meta['namespace'] = namespace ?? (meta['namespace'] as string)
  else delete meta['namespace']
  delete meta['resourceVersion']
  meta['managedFields'] = managedFields(undefined, w, obj.apiVersion)
  obj.metadata = meta
  // Status cannot be set on create when the kind has a status subresource.
  if (r.status) delete obj['status']
  applyDefaults(obj, r.group, r.kind, store.nextSequence())
  obj.metadata['resourceVersion'] = store.nextResourceVersion()
  return obj
}

/**
 * The object an update would store, or `undefined` when nothing changed (a real server keeps
 * the resourceVersion and sends no watch event for a no-op write).
 */
export function prepareUpdate(store: ObjectStore, r: ResourceType, cur: StoredObject, next: StoredObject, w: Writer): StoredObject | undefined {
  let out = structuredClone(next)
  if (r.status && w.subresource === 'status') out = { ...structuredClone(cur), status: out['status'] ?? null }
  else if (r.status) {
    if (cur['status'] === undefined) delete out['status']
    else out['status'] = structuredClone(cur['status'])
  }
  const meta = { ...out.metadata }
  for (const k of ['uid', 'creationTimestamp', 'name', 'namespace', 'generation'] as const) {
    if (cur.metadata[k] === undefined) delete meta[k]
    else meta[k] = cur.metadata[k] as Json
  }
  out.metadata = meta
  out.apiVersion = cur.apiVersion === out.apiVersion ? out.apiVersion : out.apiVersion || cur.apiVersion
  if (w.subresource !== 'status') applyDefaults(out, r.group, r.kind, store.nextSequence())
  out.metadata['managedFields'] = cur.metadata['managedFields'] ?? []
  out.metadata['resourceVersion'] = cur.metadata['resourceVersion'] ?? null
  if (stripVolatile(out) === stripVolatile(cur)) return undefined
  // metadata.generation counts changes to everything but metadata and status.
  if (bodyOf(out) !== bodyOf(cur)) out.metadata['generation'] = Number(cur.metadata['generation'] ?? 1) + 1
  out.metadata['managedFields'] = managedFields(cur.metadata['managedFields'], w, out.apiVersion)
  out.metadata['resourceVersion'] = store.nextResourceVersion()
  return out
}
