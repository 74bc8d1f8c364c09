import type { FleetRender } from '../model/render-result.js'
import { encodeBase64 } from '../model/base64.js'
import type { KubeObject } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import { groupOf } from '../model/resource-id.js'

/**
 * Every secret value a render can carry, in plain and base64 form, gathered from both sides
 * of a plan so one redactor strips them from every output: Secret `data` (and its decoded
 * text), Secret `stringData`, and the values owners took from Secrets (postBuild
 * `substituteFrom` Secret variables, HelmRelease `valuesFrom` Secrets).
 */
export function collectSecretValues(renders: readonly FleetRender[], extra: readonly string[] = []): Set<string> {
  const out = new Set<string>()
  for (const v of extra) addPlain(out, v)
  for (const fleet of renders) {
    for (const cluster of fleet.clusters) {
      for (const owner of cluster.owners) for (const v of owner.secretValues ?? []) addPlain(out, v)
      for (const r of cluster.objects) if (isSecret(r.object)) addSecretObject(out, r.object)
    }
  }
  return out
}

/** A core `v1` Secret (not a Flux or external-secrets kind of the same name). */
export function isSecret(obj: KubeObject): boolean {
  return obj.kind === 'Secret' && groupOf(obj.apiVersion) === ''
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

function addPlain(out: Set<string>, v: string): void {
  out.add(v)
  out.add(encodeBase64(v))
  // A multi-line value (a key file, a values.yaml) also leaks line by line through a diff.
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
