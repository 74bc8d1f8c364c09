import type { KubeObject } from '../../model/object.js'
import { contentId, textDigest } from '../../tree/content-id.js'

/** An answer of a read-set (unit-reads.ts UnitRead['a']). */
type Answer = string | Uint8Array | readonly string[]

/**
 * An answer as a RenderCache keeps it: text as it is (it holds no Secret value: units that read
 * a Secret are never stored), file bytes by SHA-256, lists by the SHA-256 of their JSON.
 */
export function storedAnswer(a: Answer): string {
  if (typeof a === 'string') return `s${a}`
  if (a instanceof Uint8Array) return `b${contentId(a)}`
  return `l${textDigest(JSON.stringify(a))}`
}

const jsonOf = new WeakMap<object, string>()

/** JSON text of an object, kept per object (CRDs are asked for by every unit of a cluster). */
export function objectJson(o: KubeObject | undefined): string {
  if (!o) return ''
  let j = jsonOf.get(o)
  if (j === undefined) {
    j = JSON.stringify(o)
    jsonOf.set(o, j)
  }
  return j
}

/** Numbers for objects, to name a list by the objects it holds (storedListAnswer). */
const objectIds = new WeakMap<KubeObject, number>()
let objectCount = 0
const listAnswers = new Map<string, string>()

/**
 * storedAnswer of a list of objects (the CustomResourceDefinitions a unit was applied after),
 * kept by which objects the list holds: every unit of a cluster asks for the same list, and its
 * stored answer is a digest of all of their JSON (a fleet's CRDs can be megabytes), which was
 * worked out again for each unit's check. An object's JSON is kept per object too (objectJson).
 */
export function storedListAnswer(list: readonly KubeObject[]): string {
  let key = ''
  for (const o of list) {
    let id = objectIds.get(o)
    if (id === undefined) objectIds.set(o, (id = ++objectCount))
    key += `${id},`
  }
  let answer = listAnswers.get(key)
  if (answer === undefined) {
    if (listAnswers.size >= 1024) listAnswers.clear()
    listAnswers.set(key, (answer = storedAnswer(list.map(objectJson))))
  }
  return answer
}
