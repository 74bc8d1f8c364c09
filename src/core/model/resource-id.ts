import type { KubeObject } from './object.js'

/**
 * Identity of an object as Flux's inventory and the API server see it: the version is
 * deliberately not part of it (changing only apiVersion is neither a prune nor a create, P-4).
 */
export interface ResourceId {
  group: string
  kind: string
  /** Empty for cluster-scoped objects. */
  namespace: string
  name: string
}

/** The API group of an apiVersion: `apps/v1` → `apps`, `v1` → `` (core). */
export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? '' : apiVersion.slice(0, slash)
}

/** The version part of an apiVersion: `apps/v1` → `v1`. */
export function versionOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/')
  return slash < 0 ? apiVersion : apiVersion.slice(slash + 1)
}

/** The ResourceId of an object, with the namespace it carries (empty when none). */
export function resourceIdOf(obj: KubeObject): ResourceId {
  return {
    group: groupOf(obj.apiVersion),
    kind: obj.kind,
    namespace: obj.metadata.namespace ?? '',
    name: obj.metadata.name,
  }
}

/** A stable string key for maps; also human-readable (`apps/Deployment/podinfo/web`). */
export function idKey(id: ResourceId): string {
  return `${id.group}/${id.kind}/${id.namespace}/${id.name}`
}

const keys = new WeakMap<KubeObject, string>()

/**
 * `idKey(resourceIdOf(obj))`, kept per object when the object is frozen (a render's objects
 * are, and a pull request's head shares every object of an unchanged unit with its base): a
 * plan compares and prunes by these keys, every object of a fleet on both sides.
 */
export function objectKey(obj: KubeObject): string {
  let k = keys.get(obj)
  if (k === undefined) {
    k = idKey(resourceIdOf(obj))
    if (Object.isFrozen(obj) && Object.isFrozen(obj.metadata)) keys.set(obj, k)
  }
  return k
}

/** Inverse of idKey. */
export function parseIdKey(key: string): ResourceId {
  const [group = '', kind = '', namespace = '', ...rest] = key.split('/')
  return { group, kind, namespace, name: rest.join('/') }
}

/**
 * The stand-in kind of a whole-file SOPS document, whose real kind is ciphertext: its id has
 * this kind and, as name, the file that holds it (ObjectChange.encrypted = 'identity').
 */
export const ENCRYPTED_KIND = '(encrypted)'

/** `Kind/namespace/name` (or `Kind/name`) for messages and reports. */
export function displayId(id: ResourceId): string {
  if (id.kind === ENCRYPTED_KIND && id.group === '') return `encrypted object, identity unknown (${id.name})`
  return id.namespace ? `${id.kind}/${id.namespace}/${id.name}` : `${id.kind}/${id.name}`
}

/**
 * Flux's inventory id (P-1): `<namespace>_<name>_<group>_<kind>`, with `:` in RBAC names
 * written as `__`.
 */
export function inventoryId(id: ResourceId): string {
  const rbac = id.group === 'rbac.authorization.k8s.io'
  const name = rbac ? id.name.replaceAll(':', '__') : id.name
  return `${id.namespace}_${name}_${id.group}_${id.kind}`
}
