#!/usr/bin/env node
// Regenerates src/core/validate/data/k8s-schemas.generated.ts, the compact Kubernetes OpenAPI
// schemas that src/core/validate checks rendered built-in objects against (docs/gate-validation.md).
//
// Usage:
//   node scripts/gen-k8s-schemas.mjs [--version 1.36] [--out FILE] [SWAGGER]
//
// SWAGGER is a Kubernetes OpenAPI v2 document (swagger.json, optionally .gz) with
// `x-kubernetes-group-version-kind` on its kinds: the `api/openapi-spec/swagger.json` of a
// Kubernetes release branch, or the `kubernetes/swagger.json.unprocessed` file of the
// kubernetes-client/python repository (which names its branch in scripts/constants.py).
// Without SWAGGER, the newest swagger of an installed `kubernetes-client` npm package is used
// (install it in a scratch folder; it is not a dependency of this project).
// --version names the Kubernetes minor the document is for (its `info.version` is often
// "unversioned").
//
// Only what validation needs is kept: per type its properties, required list, and per property
// the JSON type, $ref, items, additionalProperties, int-or-string, enum. Descriptions are dropped.
// Kubernetes swagger documents carry few enums (the API server validates them in Go), so a small
// overlay of well-known enum fields is added below; extend it when a release adds one.
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve, basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readSwagger, findInstalledSwagger } from './lib/swagger.mjs'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(root, 'src/core/validate/data/k8s-schemas.generated.ts')
const GVK = 'x-kubernetes-group-version-kind'

/** Enum values the API server enforces in Go validation (type.property → values). */
const ENUM_OVERLAY = Object.freeze({
  'core.v1.Container.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.EphemeralContainer.imagePullPolicy': ['Always', 'IfNotPresent', 'Never'],
  'core.v1.Container.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'core.v1.ContainerPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.ServicePort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.EndpointPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'core.v1.PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'core.v1.PodSpec.dnsPolicy': ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'],
  'core.v1.PodSpec.preemptionPolicy': ['PreemptLowerPriority', 'Never'],
  'core.v1.ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'core.v1.ServiceSpec.sessionAffinity': ['ClientIP', 'None'],
  'core.v1.ServiceSpec.externalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.internalTrafficPolicy': ['Cluster', 'Local'],
  'core.v1.ServiceSpec.ipFamilyPolicy': ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  'core.v1.PersistentVolumeClaimSpec.volumeMode': ['Filesystem', 'Block'],
  'core.v1.Toleration.operator': ['Exists', 'Equal'],
  'core.v1.Toleration.effect': ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  'core.v1.Taint.effect': ['NoSchedule', 'PreferNoSchedule', 'NoExecute'],
  'apps.v1.DeploymentStrategy.type': ['Recreate', 'RollingUpdate'],
  'apps.v1.DaemonSetUpdateStrategy.type': ['RollingUpdate', 'OnDelete'],
  'apps.v1.StatefulSetUpdateStrategy.type': ['RollingUpdate', 'OnDelete'],
  'apps.v1.StatefulSetSpec.podManagementPolicy': ['OrderedReady', 'Parallel'],
  'batch.v1.JobSpec.completionMode': ['NonIndexed', 'Indexed'],
  'batch.v1.CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'networking.v1.HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'networking.v1.NetworkPolicyPort.protocol': ['TCP', 'UDP', 'SCTP'],
  'policy.v1.PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': ['IfHealthyBudget', 'AlwaysAllow'],
})
/** Array properties whose items are enums. */
const ITEM_ENUM_OVERLAY = Object.freeze({
  'core.v1.PersistentVolumeClaimSpec.accessModes': ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'],
  'networking.v1.NetworkPolicySpec.policyTypes': ['Ingress', 'Egress'],
})

function parseArgs(argv) {
  const opts = { swagger: undefined, version: undefined, out: OUT }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--version') opts.version = argv[++i]
    else if (a === '--out') opts.out = resolve(argv[++i])
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`)
    else opts.swagger = a
  }
  return opts
}

function shortName(ref) {
  return ref.replace(/^#\/definitions\//, '').replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\./, '')
}

/** Types the validator treats specially, by full definition name. */
const SPECIAL = Object.freeze({
  'io.k8s.apimachinery.pkg.util.intstr.IntOrString': 'int-or-string',
  // The API server accepts `cpu: 1` as well as `cpu: "1"`.
  'io.k8s.apimachinery.pkg.api.resource.Quantity': 'quantity',
})

/**
 * Compact node: a string for a leaf (`string`, `integer`, `number`, `boolean`, `int-or-string`,
 * `quantity`, `any`, or `#Type` for a reference), or an object { a: items } for arrays,
 * { m: values } for maps, { e: [...] } for string enums.
 */
function compactNode(schema, defs, enumValues, itemEnum) {
  if (!schema || typeof schema !== 'object') return 'any'
  if (typeof schema.$ref === 'string') {
    const full = schema.$ref.replace(/^#\/definitions\//, '')
    if (SPECIAL[full]) return SPECIAL[full]
    const target = defs[full]
    if (!target) return 'any'
    const leaf = leafOf(target)
    return leaf ?? `#${shortName(full)}`
  }
  if (schema.format === 'int-or-string') return 'int-or-string'
  const enumList = Array.isArray(schema.enum) ? schema.enum : enumValues
  if (enumList && (schema.type === 'string' || schema.type === undefined)) return { e: enumList }
  if (schema.type === 'array') return { a: compactNode(schema.items, defs, itemEnum) }
  if (schema.type === 'object' || schema.additionalProperties) {
    if (schema.additionalProperties && typeof schema.additionalProperties === 'object') return { m: compactNode(schema.additionalProperties, defs) }
    return 'any'
  }
  return typeof schema.type === 'string' ? schema.type : 'any'
}

/** A definition without properties is a leaf (Time → string, RawExtension/FieldsV1/JSON → any). */
function leafOf(def) {
  if (def.properties) return undefined
  if (def.format === 'int-or-string') return 'int-or-string'
  if (typeof def.type === 'string' && def.type !== 'object') return def.type
  if (def.additionalProperties) return undefined
  return 'any'
}

function gvkKey(g) {
  return `${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`
}

function build(opts) {
  const swaggerPath = opts.swagger ? resolve(opts.swagger) : findInstalledSwagger([root, process.cwd()])
  const { doc, sha256 } = readSwagger(swaggerPath)
  const defs = doc.definitions ?? {}
  const kinds = {}
  for (const [name, schema] of Object.entries(defs)) {
    // DeleteOptions/WatchEvent are listed under every group version; they are not resources.
    if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.') || !schema.properties) continue
    for (const g of schema[GVK] ?? []) if (!g.kind.endsWith('List')) kinds[gvkKey(g)] = shortName(name)
  }
  // Keep only the types reachable from a kind.
  const types = {}
  const queue = Object.values(kinds)
  const byShort = new Map(Object.keys(defs).map((n) => [shortName(n), n]))
  while (queue.length > 0) {
    const short = queue.pop()
    if (types[short]) continue
    const def = defs[byShort.get(short)]
    const props = {}
    for (const field of Object.keys(def.properties ?? {}).sort()) {
      const key = `${short}.${field}`
      const node = compactNode(def.properties[field], defs, ENUM_OVERLAY[key], ITEM_ENUM_OVERLAY[key])
      props[field] = node
      const refs = JSON.stringify(node).match(/"#[^"]+"/g) ?? []
      for (const r of refs) queue.push(r.slice(2, -1))
    }
    types[short] = Array.isArray(def.required) && def.required.length > 0 ? { p: props, r: def.required } : { p: props }
  }
  const sorted = {}
  for (const k of Object.keys(types).sort()) sorted[k] = types[k]
  const sortedKinds = {}
  for (const k of Object.keys(kinds).sort()) sortedKinds[k] = kinds[k]
  const version = opts.version ?? (/^v?\d+\.\d+/.test(doc.info?.version ?? '') ? doc.info.version.replace(/^v/, '').split('.').slice(0, 2).join('.') : undefined)
  if (!version) throw new Error('the document does not say its Kubernetes version: pass --version 1.xx')
  return { kubernetesVersion: version, source: { file: basename(swaggerPath), sha256 }, kinds: sortedKinds, types: sorted }
}

function main() {
  const opts = parseArgs(process.argv.slice(2))
  const bundle = build(opts)
  const header = [
    '// GENERATED by scripts/gen-k8s-schemas.mjs from the Kubernetes OpenAPI document named in',
    '// `source` below. Do not edit; regenerate (see docs/gate-validation.md).',
    "import type { SchemaBundle } from '../bundle-types.js'",
    '',
    '/** Compact OpenAPI schemas of the built-in kinds of one Kubernetes release. */',
    'export const K8S_SCHEMAS: SchemaBundle = ',
  ].join('\n')
  // One kind / type per line keeps regenerations reviewable as diffs.
  const lines = (obj) => Object.entries(obj).map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')
  const body = [
    '{',
    `"kubernetesVersion": ${JSON.stringify(bundle.kubernetesVersion)},`,
    `"source": ${JSON.stringify(bundle.source)},`,
    `"kinds": {\n${lines(bundle.kinds)}\n},`,
    `"types": {\n${lines(bundle.types)}\n}`,
    '}',
  ].join('\n')
  writeFileSync(opts.out, `${header}${body}\n`)
  console.log(`wrote ${opts.out}: Kubernetes ${bundle.kubernetesVersion}, ${Object.keys(bundle.kinds).length} kinds, ${Object.keys(bundle.types).length} types`)
}

main()
