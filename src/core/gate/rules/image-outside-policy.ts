import { isJsonObject, type KubeObject } from '../../model/object.js'
import { compileGoRegexp, goExpand, parseImagePolicy, policerFromChoice, type PolicySpec } from '../../images/policy/index.js'
import { containersOf, headObjects, hit, nameOf, podSpecOf } from '../inspect.js'
import { imageTag } from '../versions.js'
import type { GateRule, RuleContext, RuleHit } from '../types.js'

/**
 * `nginx`, `docker.io/nginx`, `index.docker.io/library/nginx` → `docker.io/library/nginx`:
 * Flux's ImageRepository and the kubelet both read Docker Hub short names this way.
 */
export function normalizeRepository(image: string): string {
  let name = image.split('@')[0]!
  const colon = name.lastIndexOf(':')
  if (colon > name.lastIndexOf('/')) name = name.slice(0, colon)
  const slash = name.indexOf('/')
  const first = slash < 0 ? '' : name.slice(0, slash)
  const hasHost = first.includes('.') || first.includes(':') || first === 'localhost'
  if (!hasHost) name = `docker.io/${name}`
  if (name.startsWith('index.docker.io/')) name = `docker.io/${name.slice('index.docker.io/'.length)}`
  if (name.startsWith('docker.io/') && name.indexOf('/', 'docker.io/'.length) < 0) name = `docker.io/library/${name.slice('docker.io/'.length)}`
  return name
}

interface BoundPolicy {
  label: string
  spec: PolicySpec
}

/** ImagePolicies of the head render by the normalized image of the ImageRepository they reference. */
function policiesByRepository(objects: KubeObject[]): Map<string, BoundPolicy[]> {
  const isImage = (o: KubeObject, kind: string) => o.kind === kind && o.apiVersion.startsWith('image.toolkit.fluxcd.io/')
  const repos = new Map<string, string>()
  for (const o of objects.filter((x) => isImage(x, 'ImageRepository'))) {
    const spec = o['spec']
    if (isJsonObject(spec) && typeof spec['image'] === 'string') repos.set(`${o.metadata.namespace ?? ''}/${o.metadata.name}`, normalizeRepository(spec['image']))
  }
  const out = new Map<string, BoundPolicy[]>()
  for (const o of objects.filter((x) => isImage(x, 'ImagePolicy'))) {
    const parsed = parseImagePolicy(o)
    if (!parsed.ok) continue
    const ref = parsed.spec.imageRepositoryRef
    const repo = repos.get(`${ref.namespace ?? o.metadata.namespace ?? ''}/${ref.name}`)
    if (!repo) continue
    const list = out.get(repo) ?? []
    list.push({ label: `${o.metadata.namespace ?? ''}/${o.metadata.name}`, spec: parsed.spec })
    out.set(repo, list)
  }
  return out
}

/**
 * Why Flux's policy could never select `tag` (I-4 … I-9): filterTags does not match, or the
 * policy does not rank the extracted value (outside the semver range, not a number). Undefined
 * when the tag is one the policy could select, or the policy itself is invalid (Flux reports that).
 */
function outsideReason(spec: PolicySpec, tag: string): string | undefined {
  const policer = policerFromChoice(spec.policy)
  if (!policer.ok) return undefined
  let key = tag
  if (spec.filterTags) {
    const re = compileGoRegexp(spec.filterTags.pattern)
    if (!re.ok) return undefined
    const m = re.re.exec(tag)
    if (!m) return `does not match filterTags pattern ${spec.filterTags.pattern}`
    if (spec.filterTags.extract !== '') key = goExpand(spec.filterTags.extract, m)
  }
  if (policer.policer.latest([key]).ok) return undefined
  if (spec.policy.semver) return `is outside semver range ${spec.policy.semver.range}`
  return `is not ${policer.policer.kind === 'numerical' ? 'a number' : 'selectable'} for the ${policer.policer.kind} policy`
}

function changedImages(after: KubeObject, before: KubeObject | undefined): string[] {
  const was = new Set(containersOf(podSpecOf(before)).map((c) => c['image']))
  return containersOf(podSpecOf(after)).flatMap((c) => (typeof c['image'] === 'string' && !was.has(c['image']) ? [c['image']] : []))
}

/**
 * An added or changed container image whose repository an ImageRepository in head tracks, with
 * a tag that repository's ImagePolicy would never select: image automation will replace it, or
 * the pin contradicts the policy.
 */
export const imageOutsidePolicy: GateRule = {
  id: 'image-outside-policy',
  description: "A new container image tag is outside the range (or filter) of the ImagePolicy that tracks its repository.",
  defaultLevel: 'warn',
  evaluate(ctx: RuleContext) {
    const heads = headObjects(ctx.plan)
    const policies = policiesByRepository([...(ctx.headObjects ?? []), ...heads.map((h) => h.after)])
    if (policies.size === 0) return []
    const hits: RuleHit[] = []
    for (const { change, after, before } of heads) {
      for (const image of changedImages(after, before)) {
        const tag = imageTag(image)
        const bound = policies.get(normalizeRepository(image))
        if (!tag || !bound) continue
        // one policy per label: headObjects and the plan may both list it
        const seen = new Set<string>()
        for (const p of bound) {
          if (seen.has(p.label)) continue
          seen.add(p.label)
          const reason = outsideReason(p.spec, tag)
          if (reason) hits.push(hit(change, `${nameOf(change)}: image ${image} tag ${tag} ${reason} (ImagePolicy ${p.label})`))
        }
      }
    }
    return hits
  },
}
