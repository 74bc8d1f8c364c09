import { isJsonObject, type KubeObject } from '../model/object.js'
import { compareVersions, newVersion, type Version } from '../images/policy/masterminds/index.js'
import { containersOf, getPath, podSpecOf } from './inspect.js'

/** A version that changes between base and head: an image tag or a HelmRelease chart version. */
export interface VersionChange {
  what: string
  from: string
  to: string
  /** compareVersions(to, from) */
  direction: number
  majorJump: boolean
}

/** The tag of an image reference (`repo/app:1.2.3@sha256:…` → `1.2.3`), or undefined. */
export function imageTag(image: string): string | undefined {
  const noDigest = image.split('@')[0]!
  const colon = noDigest.lastIndexOf(':')
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(colon + 1) : undefined
}

function imageName(image: string): string {
  const noDigest = image.split('@')[0]!
  const colon = noDigest.lastIndexOf(':')
  return colon > noDigest.lastIndexOf('/') ? noDigest.slice(0, colon) : noDigest
}

function parse(text: string | undefined): Version | undefined {
  if (!text) return undefined
  const r = newVersion(text)
  return r.ok ? r.version : undefined
}

function versionChange(what: string, from: string, to: string): VersionChange | undefined {
  const a = parse(from)
  const b = parse(to)
  if (!a || !b || from === to) return undefined
  return { what, from, to, direction: compareVersions(b, a), majorJump: b.major > a.major }
}

function images(obj: KubeObject | undefined): Map<string, string> {
  const out = new Map<string, string>()
  for (const c of containersOf(podSpecOf(obj))) {
    if (typeof c['image'] === 'string') out.set(`${String(c['name'] ?? '?')}|${imageName(c['image'])}`, c['image'])
  }
  return out
}

/**
 * Version moves between base and head of one object: each container's image tag (same
 * container and image name) and a HelmRelease's `spec.chart.spec.version`. Tags that are
 * not versions (Masterminds coerce rules: `latest`, digests) are ignored.
 */
export function versionChanges(before: KubeObject | undefined, after: KubeObject): VersionChange[] {
  if (!before) return []
  const out: VersionChange[] = []
  const was = images(before)
  for (const [key, image] of images(after)) {
    const old = was.get(key)
    const from = old === undefined ? undefined : imageTag(old)
    const to = imageTag(image)
    const vc = from && to ? versionChange(`image ${imageName(image)}`, from, to) : undefined
    if (vc) out.push(vc)
  }
  if (after.kind === 'HelmRelease' && after.apiVersion.startsWith('helm.toolkit.fluxcd.io/')) {
    const path = ['spec', 'chart', 'spec'] as const
    const a = getPath(before, path)
    const b = getPath(after, path)
    if (isJsonObject(a) && isJsonObject(b) && typeof a['version'] === 'string' && typeof b['version'] === 'string') {
      const vc = versionChange(`chart ${String(b['chart'] ?? '')}`, a['version'], b['version'])
      if (vc) out.push(vc)
    }
  }
  return out
}
