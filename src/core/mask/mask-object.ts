import type { JsonValue, KubeObject } from '../model/object.js'
import type { RenderedObject } from '../model/render-result.js'
import { maskSecretPair } from './mask-secret.js'
import { isHiddenObject } from './policy.js'
import type { Redactor } from './redactor.js'

/**
 * One rendered object as it may be shown (the render printer, the gate's view of the head):
 * a Secret or SOPS object with every value `***` (keys stay), and every other string with the
 * secret values the redactor knows removed.
 */
export function maskRenderedObject(r: Pick<RenderedObject, 'object' | 'sops'>, redactor: Redactor): KubeObject {
  const shown = isHiddenObject(r) ? maskSecretPair(r.object, undefined).before! : r.object
  return redactor.json(shown as unknown as JsonValue) as unknown as KubeObject
}
