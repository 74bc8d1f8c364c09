import { LRUCache } from 'lru-cache'
import { approximateBytes } from '../../model/size.js'
import { isUnder, Loader } from './loader.js'
import { RecordingTree, replays, type Read } from './recorded-reads.js'
import { cloneRes } from './resource.js'
import type { Accumulator, BuildContext } from './types.js'

/*
 * Builds of base folders (`resources:` entries that are folders), remembered across builds.
 * A fleet's overlays share their bases: each app's base is built once per cluster, and the
 * few platform bases under them once per app. A base's accumulation is a pure function of
 * what it reads, its folder, the load restrictor, its origin path and the build-wide settings
 * it sees, so it is reused where the same folder, with the same settings, reads the same
 * answers, and where the folders it entered would not close a cycle with the new chain of
 * folders above it. Not kept: a build that fails (each failure is built again, and names its
 * own chain), or one that changed build-wide state (a nested `openapi:` sets the schema for
 * the whole build). Components are not remembered: they change the accumulation they join.
 * Results are copied in and out; the transformer configuration is never modified in place and
 * is shared.
 */

interface Entry {
  reads: Read[]
  /** Folders the build entered (bases and components, at any depth), for the cycle check. */
  entered: string[]
  result: Accumulator
  bytes: number
}

/** Builds kept per key (one per distinct tree content, most recent last). */
const PER_KEY = 4
/** About what the memo holds at most: it lives as long as the process (the App's too). */
const MAX_BYTES = 32 * 1024 * 1024

const entries = new LRUCache<string, Entry[]>({ maxSize: MAX_BYTES, sizeCalculation: (list) => Math.max(1, list.reduce((n, e) => n + e.bytes, 0)) })
const counts = { reused: 0, built: 0 }
const schemaIds = new WeakMap<object, number>()
let nextSchemaId = 1

/** The base folder `ldr.root`'s accumulation, built or reused; `origin` as accumulateDirectory passes it. */
export function subBuild(ldr: Loader, ctx: BuildContext, origin: string | undefined, build: (ldr: Loader) => Accumulator): Accumulator {
  const key = keyOf(ldr, ctx, origin)
  for (const e of entries.get(key) ?? []) {
    // A folder it entered that holds one of the folders above would be a cycle here.
    if (e.entered.some((f) => ldr.visited.some((v) => isUnder(v, f)))) continue
    if (!replays(ldr.tree, e.reads)) continue
    for (const frame of ctx.entered ?? []) for (const f of e.entered) frame.add(f)
    counts.reused++
    return copyAccumulator(e.result)
  }
  counts.built++
  const recorder = new RecordingTree(ldr.tree)
  const frame = new Set<string>()
  ;(ctx.entered ??= []).push(frame)
  const before = { set: ctx.openapiSet, schemas: ctx.schemas }
  let result: Accumulator
  try {
    result = build(new Loader(recorder, ldr.root, ldr.restrictor, ldr.visited))
  } finally {
    ctx.entered.pop()
  }
  for (const outer of ctx.entered) for (const f of frame) outer.add(f)
  if (ctx.openapiSet === before.set && ctx.schemas === before.schemas) {
    const kept = copyAccumulator(result)
    const entry: Entry = { reads: recorder.reads, entered: [...frame], result: kept, bytes: approximateBytes(recorder.reads) + approximateBytes(kept.resources.map((r) => r.obj)) }
    // A new list, so that the cache counts its size again.
    entries.set(key, [...(entries.get(key) ?? []).slice(-(PER_KEY - 1)), entry])
  }
  return result
}

function keyOf(ldr: Loader, ctx: BuildContext, origin: string | undefined): string {
  let schema = 0
  if (ctx.schemas) {
    schema = schemaIds.get(ctx.schemas) ?? 0
    if (schema === 0) schemaIds.set(ctx.schemas, (schema = nextSchemaId++))
  }
  const settings = [ldr.restrictor, origin === undefined ? '-' : `+${origin}`, ctx.allowRemote ? 1 : 0, ctx.buildMetadata.join(','), ctx.openapiSet ? 1 : 0, schema]
  return `${ldr.root}\u0000${settings.join('\u0000')}`
}

function copyAccumulator(a: Accumulator): Accumulator {
  return { resources: a.resources.map(cloneRes), config: a.config, vars: a.vars.map((v) => ({ ...v })) }
}

/** For tests and benchmarks: how many base builds were reused and how many ran since the last clear. */
export function subBuildCounts(): { reused: number; built: number } {
  return { ...counts }
}

/** For tests: forget every build. */
export function clearSubBuilds(): void {
  entries.clear()
  counts.reused = 0
  counts.built = 0
}

