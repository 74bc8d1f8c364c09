import { deserialize, serialize } from 'node:v8'
import type { RenderCache } from '../../src/ports/render-cache.js'

/** A RenderCache that serializes as the disk one does (v8), in memory: values go in and come out as copies. */
export class SerializingCache implements RenderCache {
  readonly map = new Map<string, Buffer>()
  get(key: string): unknown {
    const b = this.map.get(key)
    return b ? deserialize(b) : undefined
  }
  set(key: string, value: unknown): void {
    this.map.set(key, serialize(value))
  }
}
