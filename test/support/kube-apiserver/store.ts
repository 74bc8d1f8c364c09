/**
 * The double's storage: one map of objects, one resourceVersion counter bumped on every write
 * (as etcd's revision is), and listeners that watches hang on. Objects are kept as plain JSON
 * and copied on the way in and out, so no caller can change stored state by accident.
 */
import { randomUUID } from 'node:crypto'
import type { Json } from './patch.js'
import type { ResourceType } from './resources.js'

/** A stored object: plain JSON with the usual top-level shape. */
export type StoredObject = { apiVersion: string; kind: string; metadata: { [k: string]: Json }; [k: string]: Json }

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED'

/** What a listener receives: the event, the kind it concerns and a copy of the object. */
export interface StoreEvent {
  type: WatchEventType
  resource: ResourceType
  object: StoredObject
}

function keyOf(r: ResourceType, namespace: string | undefined, name: string): string {
  return `${r.group}/${r.kind}/${r.namespaced ? (namespace ?? '') : ''}/${name}`
}

/** See the module comment. */
export class ObjectStore {
  private readonly objects = new Map<string, StoredObject>()
  private readonly listeners = new Set<(e: StoreEvent) => void>()
  private revision = 1
  private created = 0

  /** The current resourceVersion (the last write's). */
  get resourceVersion(): string {
    return String(this.revision)
  }

  /** A fresh resourceVersion for the next write; dry runs take one too, as a real server's answer carries one. */
  nextResourceVersion(): string {
    this.revision += 1
    return String(this.revision)
  }

  /** Counter for values the server assigns (cluster IPs). */
  nextSequence(): number {
    this.created += 1
    return this.created
  }

  get(r: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    const o = this.objects.get(keyOf(r, namespace, name))
    return o ? structuredClone(o) : undefined
  }

  list(r: ResourceType, namespace?: string): StoredObject[] {
    const out: StoredObject[] = []
    for (const o of this.objects.values()) {
      if (o.kind !== r.kind || groupOfApiVersion(o.apiVersion) !== r.group) continue
      if (namespace && o.metadata['namespace'] !== namespace) continue
      out.push(structuredClone(o))
    }
    return out.sort((a, b) => String(a.metadata['name']).localeCompare(String(b.metadata['name'])))
  }

  /** Stores an object that already carries its final metadata, and tells the listeners. */
  put(r: ResourceType, obj: StoredObject): void {
    const key = keyOf(r, obj.metadata['namespace'] as string | undefined, String(obj.metadata['name']))
    const type: WatchEventType = this.objects.has(key) ? 'MODIFIED' : 'ADDED'
    this.objects.set(key, structuredClone(obj))
    this.emit({ type, resource: r, object: obj })
  }

  delete(r: ResourceType, namespace: string | undefined, name: string): StoredObject | undefined {
    const key = keyOf(r, namespace, name)
    const old = this.objects.get(key)
    if (!old) return undefined
    this.objects.delete(key)
    old.metadata['resourceVersion'] = this.nextResourceVersion()
    this.emit({ type: 'DELETED', resource: r, object: old })
    return old
  }

  /** Every stored object (tests compare whole stores). */
  all(): StoredObject[] {
    return [...this.objects.values()].map((o) => structuredClone(o))
  }

  subscribe(listener: (e: StoreEvent) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** Metadata the server sets on create. */
  newMetadata(): { uid: string; generation: number; creationTimestamp: string } {
    return { uid: randomUUID(), generation: 1, creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') }
  }

  private emit(e: StoreEvent): void {
    for (const l of [...this.listeners]) l({ ...e, object: structuredClone(e.object) })
  }
}

/** `apps/v1` → `apps`, `v1` → ``. */
export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? '' : apiVersion.slice(0, slash)
}
