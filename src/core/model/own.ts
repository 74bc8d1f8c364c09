/*
 * Property access for objects keyed by input. A key from a repository may be `__proto__`,
 * `constructor` or `prototype`, which Kubernetes and kustomize treat as ordinary keys:
 * reading one must not reach Object.prototype, and writing one must create an own
 * property instead of changing the object's prototype.
 */

/** The own property `key` of `obj`, or undefined (never an inherited one). */
export function getOwn<T>(obj: { [k: string]: T }, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined
}

/** Sets the own property `key`: `__proto__` becomes a plain key, not a prototype change. */
export function setOwn<T>(obj: { [k: string]: T }, key: string, value: T): void {
  if (key === '__proto__' && !Object.hasOwn(obj, key)) {
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true })
  } else obj[key] = value
}
