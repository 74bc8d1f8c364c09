import { getOwn } from '../../../model/own.js'
import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { field } from '../kustomization.js'
import type { FieldSpec } from '../fieldspec.js'
import type { Res } from '../resource.js'
import { applySpecs } from './basic.js'

/** One `images:` entry. */
export interface ImageTag {
  name: string
  newName?: string
  newTag?: string
  digest?: string
}

export function imageTagFromYaml(v: JsonObject): ImageTag {
  const s = (k: string): string | undefined => {
    const x = field(v, k)
    return x === undefined || x === null ? undefined : String(x)
  }
  const t: ImageTag = { name: s('name') ?? '' }
  const nn = s('newName'), nt = s('newTag'), d = s('digest')
  if (nn) t.newName = nn
  if (nt) t.newTag = nt
  if (d) t.digest = d
  return t
}

/** Whether `image` is `name` with an optional tag or digest (kustomize's IsImageMatched). */
export function imageMatches(image: string, name: string): boolean {
  // kustomize's `^name(@sha256)?(:[a-zA-Z0-9_.{}-]*)?$`, without compiling a pattern per call
  // (a fleet asks once per image field and images entry).
  if (!image.startsWith(name)) return false
  let rest = image.slice(name.length)
  if (rest.startsWith('@sha256')) rest = rest.slice(7)
  return rest === '' || (rest[0] === ':' && TAG_CHARS.test(rest.slice(1)))
}

const TAG_CHARS = /^[a-zA-Z0-9_.{}-]*$/

/** Splits `registry:5000/app:1.0@sha256:..` into name, tag and digest, port-aware. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let slash = image.indexOf('/')
  const search = slash > 0 ? image.slice(slash) : image
  if (slash <= 0) slash = 0
  let id = search.indexOf('@')
  let ic = search.indexOf(':')
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' }
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) }
  }
  if (id >= 0 && ic >= 0) {
    id += slash
    ic += slash
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) }
  }
  ic += slash
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' }
}

function updated(value: string, t: ImageTag): string | undefined {
  if (!imageMatches(value, t.name)) return undefined
  let { name, tag, digest } = splitImage(value)
  if (t.newName) name = t.newName
  if (t.newTag && t.digest) {
    tag = t.newTag
    digest = t.digest
  } else if (t.newTag) {
    tag = t.newTag
    digest = ''
  } else if (t.digest) {
    tag = ''
    digest = t.digest
  }
  if (tag) name += ':' + tag
  if (digest) name += '@' + digest
  return name
}

/** Every `containers` / `initContainers` list anywhere in the object (kustomize's legacy image walk). */
function legacyWalk(v: JsonValue, t: ImageTag): void {
  if (Array.isArray(v)) {
    for (const x of v) legacyWalk(x, t)
    return
  }
  if (!isJsonObject(v)) return
  for (const [k, x] of Object.entries(v)) {
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(x)) {
      for (const c of x) {
        if (isJsonObject(c) && typeof c['image'] === 'string') {
          const u = updated(c['image'], t)
          if (u !== undefined) c['image'] = u
        }
      }
    }
    legacyWalk(x, t)
  }
}

/** The image transformer for one `images:` entry. */
export function imageTransform(resources: Res[], t: ImageTag, specs: readonly FieldSpec[]): void {
  for (const r of resources) {
    legacyWalk(r.obj, t)
    applySpecs(r, specs, undefined, (h, k) => {
      const v = Array.isArray(h) ? h[k as number] : getOwn(h, k as string)
      if (typeof v !== 'string') return
      const u = updated(v, t)
      if (u === undefined) return
      if (Array.isArray(h)) h[k as number] = u
      else h[k as string] = u
    })
  }
}
