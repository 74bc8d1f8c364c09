/**
 * How a hidden value is shown, in the style of Flux's own `flux diff` (and `kubectl diff`):
 * fixed markers that say nothing about the value, not even a digest of it. A digest, even a
 * short one, lets anyone holding the comment test guesses offline; these markers only say
 * that a value is there and whether it changed.
 */
export const MASK = '***'
export const MASK_BEFORE = '*** (before)'
export const MASK_AFTER = '*** (after)'

/** True for any of the markers (a masked value proves nothing about the real one). */
export function isMaskMarker(text: string): boolean {
  return text.includes(MASK)
}

/**
 * A value only the cluster has, left as written in a rendered object (`${CLUSTER_DOMAIN}`, or
 * `${Secret/name:key}` from a valuesFrom source): docs/flux-rules.md, "Values that live only in
 * the cluster".
 */
const PLACEHOLDER = /\$\{[^{}\s]+\}/

export function isPlaceholder(text: string): boolean {
  return PLACEHOLDER.test(text)
}

/**
 * True for a masked value or a placeholder: neither proves anything about the real value, so
 * checks of names, types or patterns do not judge it.
 */
export function isUnknownValue(text: string): boolean {
  return isMaskMarker(text) || isPlaceholder(text)
}
