#!/usr/bin/env node
// Regenerates src/core/validate/data/flux-schemas.generated.ts: the OpenAPI schemas of Flux's own
// kinds (toolkit controllers, source-watcher, Flux Operator), one per served version, which
// src/core/validate checks Flux objects against as the API server would (docs/gate-validation.md).
//
// Usage:
//   node scripts/gen-flux-schemas.mjs [--out FILE] DIR
//
// DIR holds one folder per upstream release, named `<owner>+<repo>@<tag>` (for example
// `fluxcd+kustomize-controller@v1.9.4`), each with that release's `config/crd/bases/*.yaml`
// files and, optionally, a `.commit` file naming the tag's commit. Several releases of one
// repository may be given: a kind's version is taken from the newest release that serves it, so
// a Flux 2.7 release adds the v1beta2 versions that Flux 2.9 no longer serves. The fetched files
// are inputs only; commit the generated module, never them.
//
// Kept per schema node: type, properties, required, items, additionalProperties, enum, pattern,
// format, minimum/maximum (and exclusive), min/max length, items and properties, nullable,
// default, x-kubernetes-{int-or-string,preserve-unknown-fields,embedded-resource,list-type,
// list-map-keys,validations}. Descriptions, titles and examples are dropped, and so is each
// kind's `status` (the API server resets it on create and update through the main resource).
// Identical subtrees are stored once under `types` and referenced as {"$ref": "<n>"}.
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseAllDocuments } from 'yaml'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const OUT = join(root, 'src/core/validate/data/flux-schemas.generated.ts')

const KEEP = [
  'type', 'format', 'enum', 'pattern', 'default', 'nullable',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf',
  'minLength', 'maxLength', 'minItems', 'maxItems', 'minProperties', 'maxProperties',
  'x-kubernetes-int-or-string', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-embedded-resource',
  'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type',
]
const VALIDATION_KEYS = ['rule', 'message', 'messageExpression', 'reason', 'fieldPath', 'optionalOldSelf']

function parseArgs(argv) {
  const opts = { dir: undefined, out: OUT }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    if (a === '--out') opts.out = resolve(argv[++i])
    else if (a.startsWith('-')) throw new Error(`unknown option ${a}`)
    else opts.dir = resolve(a)
  }
  if (!opts.dir) throw new Error('usage: gen-flux-schemas.mjs [--out FILE] DIR')
  return opts
}

/** `v1.9.4` → [1, 9, 4]; anything else sorts first. */
function tagKey(tag) {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(tag)
  return m ? m.slice(1).map(Number) : [-1, -1, -1]
}

function compareTags(a, b) {
  const x = tagKey(a)
  const y = tagKey(b)
  for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] - y[i]
  return 0
}

/** One schema node without prose, children stripped the same way. */
function strip(node, isRoot = false) {
  if (!node || typeof node !== 'object' || Array.isArray(node)) return {}
  const out = {}
  for (const k of KEEP) if (node[k] !== undefined) out[k] = node[k]
  if (Array.isArray(node.required) && node.required.length > 0) out.required = [...node.required]
  if (node.properties && typeof node.properties === 'object') {
    out.properties = {}
    for (const k of Object.keys(node.properties).sort()) {
      // The API server drops status on create/update of a resource with a status subresource.
      out.properties[k] = isRoot && k === 'status' ? { 'x-kubernetes-preserve-unknown-fields': true } : strip(node.properties[k])
    }
  }
  if (node.items && typeof node.items === 'object' && !Array.isArray(node.items)) out.items = strip(node.items)
  if (typeof node.additionalProperties === 'boolean') out.additionalProperties = node.additionalProperties
  else if (node.additionalProperties && typeof node.additionalProperties === 'object') out.additionalProperties = strip(node.additionalProperties)
  if (Array.isArray(node['x-kubernetes-validations'])) {
    out['x-kubernetes-validations'] = node['x-kubernetes-validations'].map((v) => Object.fromEntries(VALIDATION_KEYS.filter((k) => v[k] !== undefined).map((k) => [k, v[k]])))
  }
  return out
}

/**
 * Stores every subtree that appears more than once (and is worth a reference) in `types`,
 * replacing it with {"$ref": "<n>"}; references are numbered in first-seen order.
 */
function dedupe(roots) {
  const counts = new Map()
  const count = (n) => {
    if (!n || typeof n !== 'object' || Array.isArray(n)) return
    const key = JSON.stringify(n)
    counts.set(key, (counts.get(key) ?? 0) + 1)
    for (const c of children(n)) count(c)
  }
  for (const r of roots) count(r)
  const types = []
  const ids = new Map()
  const rewrite = (n) => {
    if (!n || typeof n !== 'object' || Array.isArray(n)) return n
    const key = JSON.stringify(n)
    if (key.length >= 80 && (counts.get(key) ?? 0) > 1) {
      let id = ids.get(key)
      if (id === undefined) {
        id = String(types.length)
        ids.set(key, id)
        types.push(undefined)
        types[Number(id)] = rewriteChildren(n)
      }
      return { $ref: id }
    }
    return rewriteChildren(n)
  }
  const rewriteChildren = (n) => {
    const out = { ...n }
    if (n.properties) out.properties = Object.fromEntries(Object.entries(n.properties).map(([k, v]) => [k, rewrite(v)]))
    if (n.items) out.items = rewrite(n.items)
    if (n.additionalProperties && typeof n.additionalProperties === 'object') out.additionalProperties = rewrite(n.additionalProperties)
    return out
  }
  return { roots: roots.map(rewriteChildren), types }
}

function children(n) {
  const out = []
  if (n.properties) out.push(...Object.values(n.properties))
  if (n.items) out.push(n.items)
  if (n.additionalProperties && typeof n.additionalProperties === 'object') out.push(n.additionalProperties)
  return out
}

function readRelease(dir, name) {
  const m = /^([^+@]+)\+([^@]+)@(.+)$/.exec(name)
  if (!m) throw new Error(`${name}: a release folder is named <owner>+<repo>@<tag>`)
  const commitFile = join(dir, name, '.commit')
  const commit = existsSync(commitFile) ? readFileSync(commitFile, 'utf8').trim() : undefined
  const files = readdirSync(join(dir, name)).filter((f) => /\.ya?ml$/.test(f)).sort()
  return { repo: `${m[1]}/${m[2]}`, tag: m[3], ...(commit ? { commit } : {}), files: files.map((f) => ({ name: f, path: join(dir, name, f) })) }
}

function build(dir) {
  const releases = readdirSync(dir).filter((n) => statSync(join(dir, n)).isDirectory()).sort().map((n) => readRelease(dir, n))
  const sources = []
  /** `group/version/Kind` → { release, scope, schema } from the newest release serving it. */
  const chosen = new Map()
  for (const rel of releases) {
    for (const f of rel.files) {
      const text = readFileSync(f.path)
      const sha256 = createHash('sha256').update(text).digest('hex')
      const source = { repo: rel.repo, tag: rel.tag, ...(rel.commit ? { commit: rel.commit } : {}), file: `config/crd/bases/${f.name}`, sha256 }
      sources.push(source)
      for (const doc of parseAllDocuments(text.toString('utf8'))) {
        const crd = doc.toJS()
        if (!crd || crd.kind !== 'CustomResourceDefinition') continue
        const { group, names, scope, versions } = crd.spec
        for (const v of versions ?? []) {
          if (v.served === false) continue
          const key = `${group}/${v.name}/${names.kind}`
          const prev = chosen.get(key)
          if (prev && (prev.repo !== rel.repo || compareTags(prev.tag, rel.tag) >= 0)) {
            if (prev.repo !== rel.repo) throw new Error(`${key} is defined by both ${prev.repo} and ${rel.repo}`)
            continue
          }
          chosen.set(key, { repo: rel.repo, tag: rel.tag, source, scope, schema: strip(v.schema?.openAPIV3Schema ?? {}, true) })
        }
      }
    }
  }
  const keys = [...chosen.keys()].sort()
  const used = new Set(keys.map((k) => chosen.get(k).source))
  const kept = sources.filter((s) => used.has(s))
  const { roots, types } = dedupe(keys.map((k) => chosen.get(k).schema))
  const kinds = {}
  keys.forEach((k, i) => {
    const c = chosen.get(k)
    kinds[k] = { source: kept.indexOf(c.source), namespaced: c.scope !== 'Cluster', schema: roots[i] }
  })
  return { sources: kept, kinds, types }
}

function main() {
  const opts = parseArgs(process.argv.slice(2))
  const bundle = build(opts.dir)
  const header = [
    '// GENERATED by scripts/gen-flux-schemas.mjs from the CustomResourceDefinitions listed in',
    '// `sources` below (upstream repository, release tag, commit, file, SHA-256 of the file read).',
    '// Do not edit; regenerate (see docs/gate-validation.md).',
    ...bundle.sources.map((s) => `//   ${s.repo} ${s.tag}${s.commit ? ` (${s.commit.slice(0, 12)})` : ''} ${s.file} sha256:${s.sha256}`),
    "import type { CrdBundle } from '../crd-bundle-types.js'",
    '',
    '/** OpenAPI schemas of Flux kinds, one per served version (descriptions dropped). */',
    'export const FLUX_SCHEMAS: CrdBundle = ',
  ].join('\n')
  // One kind / type per line keeps regenerations reviewable as diffs.
  const lines = (entries) => entries.map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`).join(',\n')
  const body = [
    '{',
    `"sources": [\n${bundle.sources.map((s) => `  ${JSON.stringify(s)}`).join(',\n')}\n],`,
    `"kinds": {\n${lines(Object.entries(bundle.kinds))}\n},`,
    `"types": {\n${lines(bundle.types.map((t, i) => [String(i), t]))}\n}`,
    '}',
  ].join('\n')
  writeFileSync(opts.out, `${header}${body}\n`)
  console.log(`wrote ${opts.out}: ${Object.keys(bundle.kinds).length} kind versions from ${bundle.sources.length} files, ${bundle.types.length} shared types`)
}

main()
