/**
 * Setter markers: the `# {"$imagepolicy": "<namespace>:<name>[:tag|:name|:digest]"}` comments
 * of flux-semantics §6.4.
 */
export type MarkerField = 'image' | 'tag' | 'name' | 'digest'

/** A parsed marker. `key` is `<namespace>:<name>`, the ImagePolicy it names. */
export interface Marker {
  /** The marker value as written (`flux-system:web:tag`): Flux's `Setter` in commit templates. */
  setter: string
  namespace: string
  name: string
  key: string
  field: MarkerField
}

/**
 * Reads a comment as a marker (I-13): strip every leading `#`; the rest must be a JSON object
 * whose values are all strings and which has `$imagepolicy`. Anything after the closing brace,
 * a non-string value or invalid JSON means "not a marker" (undefined). A value without a
 * namespace, or with an unknown suffix, names no setter Flux defines, so it is not one either.
 */
export function parseMarker(comment: string): Marker | undefined {
  const body = comment.replace(/^#+/, '')
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return undefined
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined
  const values = Object.values(parsed as Record<string, unknown>)
  if (!values.every((v) => typeof v === 'string')) return undefined
  const setter = (parsed as Record<string, string>)['$imagepolicy']
  if (setter === undefined) return undefined
  return markerFromSetter(setter)
}

/** Splits a setter name (`ns:name`, `ns:name:tag` …) into its parts; undefined if malformed. */
export function markerFromSetter(setter: string): Marker | undefined {
  const parts = setter.split(':')
  const [namespace, name, suffix] = parts
  if (parts.length < 2 || parts.length > 3 || !namespace || !name) return undefined
  if (suffix !== undefined && suffix !== 'tag' && suffix !== 'name' && suffix !== 'digest') return undefined
  const field: MarkerField = suffix ?? 'image'
  return { setter, namespace, name, key: `${namespace}:${name}`, field }
}

/** What Flux resolved for a policy (`status.latestRef`, I-10). */
export interface LatestRef {
  /** ImageRepository `spec.image`, verbatim. */
  name: string
  tag: string
  digest?: string
}

/** The value a marker's field gets (I-15). */
export function valueFor(field: MarkerField, ref: LatestRef): string {
  if (field === 'tag') return ref.tag
  if (field === 'name') return ref.name
  // I-15: a policy without a digest sets a `:digest` field to the empty string.
  if (field === 'digest') return ref.digest ?? ''
  return ref.digest ? `${ref.name}:${ref.tag}@${ref.digest}` : `${ref.name}:${ref.tag}`
}

/** Splits `name:tag@digest` (either part optional) the way a reference reads. */
export function splitImage(value: string): { name: string; tag?: string; digest?: string } {
  const at = value.indexOf('@')
  const digest = at < 0 ? undefined : value.slice(at + 1)
  const rest = at < 0 ? value : value.slice(0, at)
  const slash = rest.lastIndexOf('/')
  const colon = rest.lastIndexOf(':')
  const hasTag = colon > slash
  return {
    name: hasTag ? rest.slice(0, colon) : rest,
    ...(hasTag ? { tag: rest.slice(colon + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
  }
}
