import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { generateConfigMap, generateSecret, mergeGlobalOptions, parseOptions } from '../generators.js'
import { field } from '../kustomization.js'
import { KustomizeError } from '../loader.js'
import { makeRes } from '../resource.js'
import type { Kustomization } from '../kustomization.js'
import type { BuiltinGenerator } from './plugin.js'

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

/** Each generator entry with the kustomization's generatorOptions merged under its own. */
function lowerArgs(k: Kustomization, list: JsonObject[]): JsonObject[] {
  const global = parseOptions(k.generatorOptions)
  return list.map((args) => {
    const options = mergeGlobalOptions(parseOptions(field(args, 'options')), global)
    return options ? { ...args, options: options as unknown as JsonObject } : args
  })
}

/** A generator plugin config may name its output in its own metadata. */
function generatorArgs(c: JsonObject): JsonObject {
  const m = field(c, 'metadata')
  const out: JsonObject = { ...c }
  if (isJsonObject(m)) {
    if (!field(c, 'name') && m['name'] !== undefined) out['name'] = m['name']
    if (!field(c, 'namespace') && m['namespace'] !== undefined) out['namespace'] = m['namespace']
  }
  return out
}

export const configMapGenerator: BuiltinGenerator = {
  kind: 'ConfigMapGenerator',
  lower: (k) => lowerArgs(k, k.configMapGenerator),
  configure: (h, c) => ({ generate: () => [generateConfigMap(generatorArgs(c), h.ldr, parseOptions(field(c, 'options')))] }),
}

export const secretGenerator: BuiltinGenerator = {
  kind: 'SecretGenerator',
  lower: (k) => lowerArgs(k, k.secretGenerator),
  configure: (h, c) => ({ generate: () => [generateSecret(generatorArgs(c), h.ldr, parseOptions(field(c, 'options')))] }),
}

/** IAMPolicyGenerator (no kustomization field): a GKE workload-identity ServiceAccount. */
export const iamPolicyGenerator: BuiltinGenerator = {
  kind: 'IAMPolicyGenerator',
  configure(_h, c) {
    const cloud = str(field(c, 'cloud'))
    if (cloud !== 'gke') throw new KustomizeError(`IAMPolicyGenerator: cloud ${JSON.stringify(cloud)} is not supported`, 'kustomize/plugin-config')
    const ks = field(c, 'kubernetesService')
    const sa = field(c, 'serviceAccount')
    const k = isJsonObject(ks) ? ks : {}
    const s = isJsonObject(sa) ? sa : {}
    return {
      generate() {
        const metadata: JsonObject = {
          annotations: { 'iam.gke.io/gcp-service-account': `${str(s['name'])}@${str(s['projectId'])}.iam.gserviceaccount.com` },
          name: str(k['name']),
        }
        if (str(k['namespace'])) metadata['namespace'] = str(k['namespace'])
        return [makeRes({ apiVersion: 'v1', kind: 'ServiceAccount', metadata })]
      },
    }
  },
}
