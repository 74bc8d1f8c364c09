import { isFrozenRender, type ClusterRender, type FleetRender, type RenderedObject } from '../model/render-result.js'
import type { KubeObject } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import { groupOf } from '../model/resource-id.js'
import { encodeBase64 } from '../model/base64.js'

/**
 * What counts as secret, in one place. A value is secret when it is:
 * - a value of a core Secret (`data`, decoded when it is text, `stringData`);
 * - anything in an object Flux would decrypt with SOPS (the whole object is masked);
 * - a value an owner took from a Secret: postBuild `substituteFrom` Secret variables and
 *   HelmRelease `valuesFrom` Secret values (RenderedOwner.secretValues);
 * - a credential the caller knows of (the GitHub token, a kubeconfig);
 * and, for each of those, its base64 form and each long line of a multi-line value (a key
 * file leaks line by line through a unified diff). Substrings are caught by the Redactor.
 */
export function collectSecretValues(renders: readonly FleetRender[], extra: readonly string[] = []): Set<string> {
  const out = new Set<string>()
  for (const v of extra) addPlain(out, v)
  for (const fleet of renders) for (const cluster of fleet.clusters) for (const v of clusterSecrets(cluster)) out.add(v)
  return out
}

/**
 * A cluster's secret values, in the order found. A frozen render (a cluster walk reused whole,
 * push after push) is searched once: each plan asks twice, over both renders, and decoding
 * every Secret of the fleet again was a tenth of a warm replan. Added to a plan's set in this
 * order, they make the very set a search of the cluster would.
 */
function clusterSecrets(cluster: ClusterRender): readonly string[] {
  const kept = SECRETS.get(cluster)
  if (kept) return kept
  const found = new Set<string>()
  for (const owner of cluster.owners) for (const v of owner.secretValues ?? []) addPlain(found, v)
  for (const r of cluster.objects) if (isSecret(r.object)) addSecretObject(found, r.object)
  const values = [...found]
  if (isFrozenRender(cluster)) SECRETS.set(cluster, values)
  return values
}

/** Secret values of frozen cluster renders, held as long as the render (which holds them too). */
const SECRETS = new WeakMap<ClusterRender, readonly string[]>()

/** A core `v1` Secret (not a Flux or external-secrets kind of the same name). */
export function isSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && groupOf(obj.apiVersion) === ''
}

/** An object whose values are never shown: a Secret, or any object holding SOPS ciphertext. */
export function isHiddenObject(r: Pick<RenderedObject, 'object' | 'sops'>): boolean {
  return isSecret(r.object) || r.sops === true || isJsonObject(r.object['sops'])
}

function addSecretObject(out: Set<string>, secret: KubeObject): void {
  const data = secret['data']
  if (isJsonObject(data)) {
    for (const v of Object.values(data)) {
      if (typeof v !== 'string') continue
      out.add(v)
      const plain = decodeBase64Text(v)
      if (plain !== undefined) addPlain(out, plain)
    }
  }
  const stringData = secret['stringData']
  if (isJsonObject(stringData)) {
    for (const v of Object.values(stringData)) if (typeof v === 'string') addPlain(out, v)
  }
}

/** A plain secret value in every form it can show up in (see collectSecretValues). */
export function secretForms(values: Iterable<string>): Set<string> {
  const out = new Set<string>()
  for (const v of values) addPlain(out, v)
  return out
}

function addPlain(out: Set<string>, v: string): void {
  out.add(v)
  out.add(encodeBase64(v))
  for (const line of v.split('\n')) if (line.trim().length >= 8) out.add(line.trim())
}

/** The UTF-8 text of a base64 string, or undefined when it is not base64 of valid text. */
export function decodeBase64Text(b64: string): string | undefined {
  try {
    const binary = atob(b64.replace(/\s+/g, ''))
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0))
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}
