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
