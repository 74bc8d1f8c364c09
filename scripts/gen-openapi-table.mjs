#!/usr/bin/env node
// Regenerates src/core/render/kustomize/merge/openapi-table.generated.ts, the strategic-merge table
// (patch merge keys, patch strategies, list types) and the list of cluster-scoped kinds that the
// kustomize engine uses for built-in Kubernetes kinds. See docs/strategic-merge.md.
//
// Usage:
//   node scripts/gen-openapi-table.mjs [--scope-from FILE]... [--probe-kubectl KUBECTL]
//       [--probe-kind apiVersion/Kind]... [--label TEXT] [--out FILE] [SWAGGER]
//
// SWAGGER is a Kubernetes OpenAPI v2 document (swagger.json, optionally .gz): its `definitions`
// (with x-kubernetes-group-version-kind) give the kinds and their schemas. kustomize v5 bundles
// the v1.21.2 document, so that is the version to give for kustomize-identical behaviour.
// Without SWAGGER, the newest swagger found in the `kubernetes-client` npm package is used
// (install it in a scratch folder; it is not a dependency of this project).
// Which kinds are cluster-scoped is read from the `paths` of SWAGGER and of every --scope-from
// document (a kind served only outside `namespaces/{namespace}` is cluster-scoped), limited to
// the kinds SWAGGER defines. With --probe-kubectl, scope is instead taken from what that
// kubectl's `kustomize` does: it builds one object of every kind (plus --probe-kind extras) under
// `namespace: probe`, and a kind it leaves without a namespace is cluster-scoped to it (this is
// the authoritative answer for kustomize compatibility, and needs no document with `paths`).
import { writeFileSync } from 'node:fs'
import { dirname, join, resolve, basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { readSwagger, findInstalledSwagger } from './lib/swagger.mjs'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(root, 'src/core/render/kustomize/merge/openapi-table.generated.ts')
const EXT = Object.freeze({
  strategy: 'x-kubernetes-patch-strategy',
  mergeKey: 'x-kubernetes-patch-merge-key',
  listType: 'x-kubernetes-list-type',
  mapKeys: 'x-kubernetes-list-map-keys',
  gvk: 'x-kubernetes-group-version-kind',
})

function parseArgs(argv) {
  const opts = { scopeFrom: [], swagger: undefined, label: undefined, probe: undefined, probeKinds: [], out: OUT }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--scope-from') opts.scopeFrom.push(argv[++i])
    else if (a === '--label') opts.label = argv[++i]
    else if (a === '--probe-kubectl') opts.probe = argv[++i]
    else if (a === '--probe-kind') opts.probeKinds.push(argv[++i])
    else if (a === '--out') opts.out = resolve(argv[++i])
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`)
    else opts.swagger = a
  }
  return opts
}

function shortName(ref) {
  return ref.replace(/^#\/definitions\//, '').replace(/^io\.k8s\.api\./, '').replace(/^io\.k8s\./, '')
}

/** Compact node for one property / items / additionalProperties schema; undefined when it carries nothing. */
function compactNode(schema) {
  if (!schema || typeof schema !== 'object') return undefined
  const node = {}
  if (typeof schema.$ref === 'string') node.ref = shortName(schema.$ref)
  if (schema.type === 'array') {
    node.array = true
    const items = compactNode(schema.items)
    if (items) node.items = items
  }
  if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    const add = compactNode(schema.additionalProperties)
    if (add) node.additional = add
  }
  if (typeof schema[EXT.strategy] === 'string') node.strategy = schema[EXT.strategy]
  if (typeof schema[EXT.mergeKey] === 'string') node.mergeKey = schema[EXT.mergeKey]
  if (Array.isArray(schema[EXT.mapKeys])) node.mapKeys = schema[EXT.mapKeys]
  if (typeof schema[EXT.listType] === 'string') node.listType = schema[EXT.listType]
  return node
}

function carriesPatchMeta(node) {
  return node.strategy !== undefined || node.mergeKey !== undefined || node.mapKeys !== undefined || node.listType !== undefined
}

/** Keep only the properties that lead to patch metadata (fixpoint over the type graph, which has cycles). */
function prune(types) {
  const relevant = new Set()
  const nodeRelevant = (n) =>
    n !== undefined && (carriesPatchMeta(n) || (n.ref !== undefined && relevant.has(n.ref)) || nodeRelevant(n.items) || nodeRelevant(n.additional))
  for (let changed = true; changed; ) {
    changed = false
    for (const [name, props] of Object.entries(types)) {
      if (relevant.has(name)) continue
      if (Object.values(props).some(nodeRelevant)) {
        relevant.add(name)
        changed = true
      }
    }
  }
  const out = {}
  for (const name of [...relevant].sort()) {
    const props = {}
    for (const key of Object.keys(types[name]).sort()) {
      if (nodeRelevant(types[name][key])) props[key] = types[name][key]
    }
    out[name] = props
  }
  return out
}

function gvkKey(g) {
  return `${g.group ? `${g.group}/` : ''}${g.version}/${g.kind}`
}

function scopeFromPaths(doc, scope) {
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    const gvk = item?.get?.[EXT.gvk]
    if (!gvk || typeof gvk.kind !== 'string') continue
    const key = gvkKey(gvk)
    if (path.includes('namespaces/{namespace}')) scope.set(key, true)
    else if (!scope.has(key)) scope.set(key, false)
  }
}

function kubectlVersion(kubectl) {
  const out = execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })
  const v = JSON.parse(out)
  return `kubectl ${v.clientVersion?.gitVersion} kustomize ${v.kustomizeVersion}`
}

/** Ask real kustomize which kinds it treats as cluster-scoped (it skips them when setting a namespace). */
function probeScope(kubectl, gvks, scope) {
  const dir = mkdtempSync(join(tmpdir(), 'scope-probe-'))
  try {
    const probed = gvks.filter((k) => !k.endsWith('List'))
    const docs = probed.map((k, i) => {
      const kind = k.slice(k.lastIndexOf('/') + 1)
      return JSON.stringify({ apiVersion: k.slice(0, k.lastIndexOf('/')), kind, metadata: { name: `probe-${i}` } })
    })
    writeFileSync(join(dir, 'all.yaml'), docs.join('\n---\n'))
    writeFileSync(join(dir, 'kustomization.yaml'), 'namespace: probe\nresources: [all.yaml]\n')
    const out = execFileSync(kubectl, ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 << 20 })
    for (const doc of out.split(/^---$/m)) {
      const name = doc.match(/^ {2}name: probe-(\d+)$/m)
      if (!name) continue
      scope.set(probed[Number(name[1])], /^ {2}namespace: probe$/m.test(doc))
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

function build(opts) {
  const swaggerPath = opts.swagger ? resolve(opts.swagger) : findInstalledSwagger([root, process.cwd()])
  const { doc, sha256 } = readSwagger(swaggerPath)
  const defs = doc.definitions ?? {}
  const types = {}
  const kinds = {}
  for (const [name, schema] of Object.entries(defs)) {
    const props = {}
    for (const [field, sub] of Object.entries(schema.properties ?? {})) {
      const node = compactNode(sub)
      if (node) props[field] = node
    }
    types[shortName(name)] = props
    // DeleteOptions/WatchEvent are listed under every group version; they are not resources.
    if (name.startsWith('io.k8s.apimachinery.pkg.apis.meta.')) continue
    for (const g of schema[EXT.gvk] ?? []) kinds[gvkKey(g)] = shortName(name)
  }
  const pruned = prune(types)
  const scope = new Map()
  scopeFromPaths(doc, scope)
  const sources = [{ file: basename(swaggerPath), sha256, version: doc.info?.version ?? opts.label ?? 'unknown' }]
  for (const extra of opts.scopeFrom) {
    const r = readSwagger(resolve(extra))
    scopeFromPaths(r.doc, scope)
    sources.push({ file: basename(extra), sha256: r.sha256, version: r.doc.info?.version ?? 'unknown', usedFor: 'scope' })
  }
  if (opts.probe) {
    for (const k of opts.probeKinds) kinds[k] ??= ''
    probeScope(opts.probe, Object.keys(kinds), scope)
    sources.push({ file: basename(opts.probe), sha256: '', version: kubectlVersion(opts.probe), usedFor: 'scope (kustomize probe)' })
  }
  const known = [...scope].filter(([k]) => k in kinds)
  const clusterScoped = known.filter(([, ns]) => !ns).map(([k]) => k).sort()
  const namespaced = known.filter(([, ns]) => ns).map(([k]) => k).sort()
  // Kinds map to their type only when that type carries patch metadata; the rest map to ''.
  const keptKinds = {}
  for (const k of Object.keys(kinds).sort()) keptKinds[k] = kinds[k] in pruned ? kinds[k] : ''
  return { label: opts.label, sources, kinds: keptKinds, clusterScoped, namespaced, types: pruned }
}

function main() {
  const opts = parseArgs(process.argv.slice(2))
  const table = build(opts)
  const header = [
    '// GENERATED by scripts/gen-openapi-table.mjs from the Kubernetes OpenAPI document named in',
    '// `sources` below. Do not edit; regenerate (see docs/strategic-merge.md).',
    "import type { OpenApiTable } from './table-types.js'",
    '',
    '/** Patch metadata of built-in kinds, and which of them are cluster-scoped. */',
    'export const BUILTIN_OPENAPI_TABLE: OpenApiTable = ',
  ].join('\n')
  writeFileSync(opts.out, `${header}${JSON.stringify(table, null, 1)}\n`)
  const n = Object.keys(table.types).length
  console.log(`wrote ${opts.out}: ${Object.keys(table.kinds).length} kinds, ${n} types, ${table.clusterScoped.length} cluster-scoped`)
}

main()
