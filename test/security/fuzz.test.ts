/**
 * Property-based fuzzing (fast-check) of what a pull request feeds Fluxgate: YAML documents,
 * kustomizations, patches, HelmRelease specs, image policies and substitution inputs. Every
 * case must end (no exception escapes, no `render/internal-error`), leave Object.prototype as
 * it was, and stay within a per-case budget of time and heap growth. The seed is fixed and the
 * case count bounded, so a failure reproduces with the seed and path fast-check prints.
 */
import fc from 'fast-check'
import { parseObjects } from '../../src/core/load/yaml-docs.js'
import { readYaml11, parseYaml12All } from '../../src/core/yaml/index.js'
import { applyJsonPatch } from '../../src/core/render/kustomize/merge/json-patch.js'
import { tryStrategicMerge } from '../../src/core/render/kustomize/merge/strategic-merge.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { mergeValues } from '../../src/core/render/helm/values.js'
import { resolveValueSource, type ResolvedSource, type ValueSourceRef } from '../../src/core/render/values/sources.js'
import { setPath } from '../../src/core/render/helm/strvals.js'
import { releaseInputErrors } from '../../src/core/render/helm/inputs.js'
import { releaseNameOf, releaseNamespaceOf } from '../../src/core/render/helm/release.js'
import { parseImagePolicy } from '../../src/core/images/policy/spec.js'
import { selectTag } from '../../src/core/images/policy/select-tag.js'
import { envsubst, MAX_SUBSTITUTED_BYTES } from '../../src/core/substitute/envsubst.js'
import type { JsonObject, KubeObject } from '../../src/core/model/object.js'
import { fluxKs, gotkSync } from '../render/fixtures.js'

const SEED = 20261205
const RUNS = Number(process.env['FLUXGATE_FUZZ_RUNS'] ?? 150)
/** Per case: a hang or an exponential blow-up, not a slow machine (speed is `npm run bench`'s). */
const CASE_MS = 5_000
const CASE_HEAP_MB = 256

const PROTOTYPES = [Object.prototype, Object.getPrototypeOf(structuredClone({})) as object]
const protoKeys = (): string => PROTOTYPES.map((p) => Object.getOwnPropertyNames(p).sort().join(',')).join('|')
const PROTO_BEFORE = protoKeys()

/** Runs one case under the budget; throws (failing the property) when it is crossed. */
async function budgeted<T>(fn: () => T | Promise<T>): Promise<T> {
  const heap = process.memoryUsage().heapUsed
  const started = performance.now()
  const out = await fn()
  const ms = performance.now() - started
  const grew = (process.memoryUsage().heapUsed - heap) / 1024 / 1024
  if (ms > CASE_MS) throw new Error(`case took ${Math.round(ms)} ms (budget ${CASE_MS})`)
  if (grew > CASE_HEAP_MB) throw new Error(`case grew the heap by ${Math.round(grew)} MB (budget ${CASE_HEAP_MB})`)
  if (protoKeys() !== PROTO_BEFORE) throw new Error('Object.prototype changed')
  return out
}

const params = { seed: SEED, numRuns: RUNS, endOnFailure: true }

// Keys an attacker likes: prototype names, YAML specials, Kubernetes fields.
const key = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'metadata', 'spec', 'data', 'name', 'namespace', 'kind', 'apiVersion', '<<', '$patch', '$setElementOrder/containers', 'containers', 'image', 'replicas', '~1', 'a/b', ''),
  fc.string({ maxLength: 8 }),
)
const scalar = fc.oneof(fc.string({ maxLength: 16 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('1e+29', 'NaN', '.inf', '0x1F', 'yes', 'off', '~', '\u0000', '\ud800', '${VAR}', '$${X}', '*a', '&a x'))
const json = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, scalar, tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
})).value
const yamlText = fc.oneof(
  fc.string({ maxLength: 200 }),
  json.map((v) => JSON.stringify(v)),
  fc.array(fc.tuple(key, fc.oneof(fc.constantFrom('&a [1, 2]', '*a', '!!binary aGk=', '!!python/object x', '|-\n  x', '{a: *a}', '[*a, *a, *a]', '"\\x00"', '<<: *a'), fc.string({ maxLength: 12 }))), { maxLength: 8 }).map((kv) => kv.map(([k, v]) => `${JSON.stringify(k)}: ${v}`).join('\n')),
)

describe('fuzz: hostile inputs end within their budget and never pollute', () => {
  it('YAML documents (kyaml reader, YAML 1.1 and 1.2 readers)', async () => {
    await fc.assert(
      fc.asyncProperty(yamlText, async (text) => {
        await budgeted(() => {
          parseObjects(text, 'fuzz.yaml')
          readYaml11(text)
          try {
            parseYaml12All(text)
          } catch (err) {
            if (!(err instanceof Error) || err.constructor.name !== 'YamlError') throw err
          }
        })
      }),
      params,
    )
  })

  it('JSON 6902 and strategic merge patches over arbitrary objects', async () => {
    const op = fc.record({ op: fc.constantFrom('add', 'remove', 'replace', 'move', 'copy', 'test', 'bogus'), path: fc.array(key, { maxLength: 4 }).map((p) => `/${p.join('/')}`), from: fc.array(key, { maxLength: 3 }).map((p) => `/${p.join('/')}`), value: json })
    await fc.assert(
      fc.asyncProperty(fc.dictionary(key, json, { maxKeys: 6 }), fc.array(op, { maxLength: 5 }), fc.dictionary(key, json, { maxKeys: 6 }), async (doc, ops, patch) => {
        await budgeted(() => {
          applyJsonPatch(structuredClone(doc) as JsonObject, ops)
          tryStrategicMerge({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' }, ...structuredClone(doc) } as JsonObject, structuredClone(patch) as JsonObject, undefined as never)
        })
      }),
      params,
    )
  })

  it('kustomizations with generators, patches, images, replacements and name changes', async () => {
    const kustomization = fc.record(
      {
        namePrefix: fc.string({ maxLength: 6 }),
        namespace: fc.constantFrom('apps', '__proto__', 'x y', ''),
        commonLabels: fc.dictionary(key, fc.string({ maxLength: 6 }), { maxKeys: 2 }),
        images: fc.array(fc.record({ name: fc.constantFrom('nginx', '*', '(a+)+$', ''), newTag: fc.string({ maxLength: 6 }) }), { maxLength: 2 }),
        replicas: fc.array(fc.record({ name: fc.constantFrom('web', '.*', '(a|a)*$'), count: fc.oneof(fc.integer(), fc.constant(1e29)) }), { maxLength: 2 }),
        patches: fc.array(fc.record({ target: fc.record({ kind: fc.constantFrom('ConfigMap', 'Deployment', '(a+)+'), name: fc.constantFrom('web', '.*', '(a+)+$', '[') }), patch: fc.constantFrom('- {op: add, path: /data/__proto__, value: x}', '- {op: add, path: /__proto__/x, value: y}', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\ndata: {__proto__: z}', '- {op: remove, path: /spec}', '&a [*a, *a]') }), { maxLength: 3 }),
        configMapGenerator: fc.array(fc.record({ name: fc.constantFrom('gen', '__proto__'), literals: fc.array(fc.constantFrom('__proto__=x', 'a=b', 'constructor=1', '=', 'k=${V}'), { maxLength: 3 }) }), { maxLength: 2 }),
        replacements: fc.array(fc.record({ source: fc.record({ kind: fc.constant('ConfigMap'), name: fc.constant('web'), fieldPath: fc.constantFrom('data.a', 'data.__proto__', 'metadata.name') }), targets: fc.constant([{ select: { kind: 'ConfigMap' }, fieldPaths: ['data.b'], options: { delimiter: '-', index: 1, create: true } }]) }), { maxLength: 1 }),
      },
      { requiredKeys: [] },
    )
    await fc.assert(
      fc.asyncProperty(kustomization, yamlText, async (k, extra) => {
        const files = {
          'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
          'clusters/dev/apps.yaml': fluxKs('apps', './apps', '  postBuild:\n    substitute:\n      V: "${V}${V}"\n'),
          'apps/kustomization.yaml': JSON.stringify({ resources: ['web.yaml', 'extra.yaml'], ...k }),
          'apps/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  namespace: apps\ndata:\n  a: "1"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  template:\n    spec:\n      containers: [{name: web, image: nginx}]\n',
          'apps/extra.yaml': extra,
        }
        const fleet = await budgeted(() => renderFleet(MemoryTree.fromRecord(files), { revision: 'f'.repeat(40), repoUrl: 'https://github.com/example/fleet' }))
        const internal = fleet.clusters.flatMap((c) => c.diagnostics).filter((d) => d.code === 'render/internal-error')
        if (internal.length > 0) throw new Error(internal.map((d) => d.message).join('; '))
      }),
      { ...params, numRuns: Math.max(20, Math.floor(RUNS / 3)) },
    )
  })

  it('HelmRelease specs: values merging, targetPath, names', async () => {
    const hrSpec = fc.record({
      releaseName: fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom('--post-renderer=sh', '--set-file=a=/etc/passwd', 'web')),
      targetNamespace: fc.oneof(fc.string({ maxLength: 10 }), fc.constant('-n')),
      values: fc.dictionary(key, json, { maxKeys: 4 }),
      valuesFrom: fc.array(fc.record({ kind: fc.constantFrom('ConfigMap', 'Secret'), name: fc.constant('v'), valuesKey: fc.constantFrom('values.yaml', 'x', '__proto__'), targetPath: fc.oneof(fc.constant(''), fc.array(fc.oneof(key, fc.nat({ max: 200_000 }).map((n) => `[${n}]`)), { maxLength: 4 }).map((p) => p.join('.'))) }), { maxLength: 3 }),
    })
    await fc.assert(
      fc.asyncProperty(hrSpec, yamlText, async (spec, valuesText) => {
        await budgeted(() => {
          const source = (kind: 'ConfigMap' | 'Secret'): KubeObject => ({ apiVersion: 'v1', kind, metadata: { name: 'v', namespace: 'apps' }, data: kind === 'Secret' ? { 'values.yaml': Buffer.from(valuesText).toString('base64'), x: 'eA==' } : { 'values.yaml': valuesText, x: 'x', __proto__: 'p' } } as unknown as KubeObject)
          const resolve = (ref: ValueSourceRef): ResolvedSource | undefined => resolveValueSource(ref, { cluster: 'c', rendered: (kind) => ({ object: source(kind), owner: { kind: 'Kustomization', namespace: 'apps', name: 'apps' } }), objects: () => [], encrypted: () => [], owners: [] })
          mergeValues(spec as unknown as JsonObject, 'apps', resolve)
          for (const f of spec.valuesFrom) if (f.targetPath) setPath({}, f.targetPath, 'v', false)
          const hr = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'web', namespace: 'apps' }, spec } as unknown as KubeObject
          const errors = releaseInputErrors(hr, releaseNameOf(hr), releaseNamespaceOf(hr))
          // A name that reaches helm can never read as a flag.
          if (errors.length === 0 && (releaseNameOf(hr).startsWith('-') || releaseNamespaceOf(hr).startsWith('-'))) throw new Error('a flag passed the checks')
        })
      }),
      params,
    )
  })

  it('image policies: semver, numerical and alphabetical over hostile tags and patterns', async () => {
    const policy = fc.record({
      policy: fc.oneof(
        fc.record({ semver: fc.record({ range: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('>=1.0.0', '1.x || ^2', '*', '>=1.0.0-0')) }) }),
        fc.record({ numerical: fc.record({ order: fc.constantFrom('asc', 'desc', 'x') }) }),
        fc.record({ alphabetical: fc.record({ order: fc.constantFrom('asc', 'desc') }) }),
      ),
      filterTags: fc.record({ pattern: fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('^(a+)+$', '(?P<ts>[0-9]+)', '^v(?<v>.*)$', '(', '\\')), extract: fc.constantFrom('$ts', '$v', '', '${1}') }),
    })
    const tags = fc.array(fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('a'.repeat(30) + '!', '1.0.0', 'v2.3.4-rc.1+b', '1e+29', '00012')), { maxLength: 20 })
    await fc.assert(
      fc.asyncProperty(policy, tags, async (p, list) => {
        await budgeted(() => {
          const parsed = parseImagePolicy({ apiVersion: 'image.toolkit.fluxcd.io/v1', kind: 'ImagePolicy', metadata: { name: 'p' }, spec: { imageRepositoryRef: { name: 'r' }, ...p } })
          if (parsed.ok) selectTag(parsed.spec, list)
        })
      }),
      params,
    )
  })

  it('substitution: templates and variables, output within the budget', async () => {
    const template = fc.array(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('${V}', '${V^^}', '${V:0:6}', '${V/x/y}', '${V:-d}', '${V:=d}', '${V,,}', '${#V}', '$$', '${', '}', '${V:99999999:1}', '${V:-${V:-${V}}}', '${__proto__}', '${constructor}')), { maxLength: 40 }).map((p) => p.join(''))
    // A number stands for a value that long (so a failure prints a size, not the value).
    const vars = fc.dictionary(fc.constantFrom('V', '__proto__', 'constructor', 'X'), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom(400_000, 1_100_000)), { maxKeys: 3 })
    await fc.assert(
      fc.asyncProperty(template, vars, fc.boolean(), async (t, v, strict) => {
        const values = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'number' ? 'xÄ'.repeat(x / 3) : x]))
        const out = await budgeted(() => envsubst(t, Object.assign(Object.create(null) as Record<string, string>, values), { strict }))
        if (out.ok && out.text.length > MAX_SUBSTITUTED_BYTES + t.length) throw new Error(`output of ${out.text.length} bytes passed the budget`)
      }),
      params,
    )
  })
})
