// Re-checks the recorded expectations of the merge library's unit tests against a real kustomize
// (kubectl's embedded one): strategic merge, JSON patch, name hashes and the cluster-scoped table.
import { execFileSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse, parseAllDocuments, stringify } from 'yaml'
import type { JsonObject, JsonValue, KubeObject } from '../../../model/object.js'
import { CM, FAIL, OK } from './__fixtures__/json-patch-cases.js'
import { nameHash } from './hash.js'
import { BUILTIN_OPENAPI_TABLE } from './openapi-table.generated.js'
import { isNamespacedKind, schemaFor } from './schema.js'
import { strategicMerge } from './strategic-merge.js'
import { randomCases } from './__fixtures__/random-patches.js'

interface SmpCase {
  name: string
  target: JsonObject
  patch: JsonObject
  expected?: JsonObject | null
  error?: string
}

// kustomize v5.5.0 (kubectl 1.32) is the conformance reference; later ones behave the same here.
const KUBECTL = ['/usr/lib/google-cloud-sdk/bin/kubectl.1.32', '.tools/helm4/kubectl', '/usr/lib/google-cloud-sdk/bin/kubectl.1.33'].find((p) =>
  existsSync(p),
)
const SMP_CASES: SmpCase[] = parse(readFileSync(join(import.meta.dirname, '__fixtures__/smp-cases.yaml'), 'utf8'))

function kustomize(dir: string, files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return execFileSync(KUBECTL ?? 'kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 })
}

function byName(out: string): Map<string, KubeObject> {
  const m = new Map<string, KubeObject>()
  for (const d of parseAllDocuments(out)) {
    const o = d.toJS() as KubeObject
    m.set(o.metadata.name, o)
  }
  return m
}

function renamed<T extends JsonObject>(o: T, name: string): T {
  return { ...o, metadata: { ...(o['metadata'] as JsonObject), name } }
}

function oracleSuites(): void {
  let dir = ''
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'merge-oracle-'))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  function smpBuild(cases: SmpCase[]): string {
    // One build for many cases: each target gets its own name, and each patch names its target.
    const files: Record<string, string> = { 'res.yaml': cases.map((c, i) => stringify(renamed(c.target, `case-${i}`))).join('---\n') }
    cases.forEach((c, i) => (files[`patch-${i}.yaml`] = stringify(renamed(c.patch, `case-${i}`))))
    files['kustomization.yaml'] = `resources: [res.yaml]\npatches:\n${cases.map((_c, i) => `- path: patch-${i}.yaml\n`).join('')}`
    return kustomize(dir, files)
  }

  it('strategic merge: every smp-cases.yaml case that builds', () => {
    const ok = SMP_CASES.filter((c) => c.error === undefined)
    const got = byName(smpBuild(ok))
    ok.forEach((c, i) => {
      const want = c.expected ? renamed(c.expected, `case-${i}`) : undefined
      expect({ name: c.name, got: got.get(`case-${i}`) }).toStrictEqual({ name: c.name, got: want })
    })
  })

  it.each(SMP_CASES.filter((c) => c.error !== undefined).map((c) => [c.name, c] as const))('strategic merge: %s fails', (_n, c) => {
    expect(() => smpBuild([c])).toThrow(c.error)
  })

  it.each([1, 2])('strategic merge: 3 x 40 random cases from seed %i', (seed) => {
    const cases = randomCases(seed, 40, `r${seed}`)
    const res = cases.map((c) => stringify(c.target)).join('---\n')
    const files: Record<string, string> = { 'res.yaml': res }
    cases.forEach((c, i) => (files[`p${i}.yaml`] = stringify(c.patch)))
    files['kustomization.yaml'] = `resources: [res.yaml]\npatches:\n${cases.map((_c, i) => `- path: p${i}.yaml\n`).join('')}`
    const got = byName(kustomize(dir, files))
    for (const c of cases) {
      const name = String((c.target['metadata'] as JsonObject)['name'])
      const mine = strategicMerge(c.target, c.patch, schemaFor(String(c.target['apiVersion']), String(c.target['kind'])))
      expect({ name, got: got.get(name) }).toStrictEqual({ name, got: mine ?? undefined })
    }
  })

  function jsonPatchBuild(rows: [string, JsonValue[], unknown][]): Map<string, KubeObject> {
    const res = rows.map((_r, i) => stringify(renamed(CM, `c${i}`))).join('---\n')
    const patches = rows.map(([, ops], i) => `- target: {kind: ConfigMap, name: c${i}}\n  patch: '${JSON.stringify(ops)}'\n`)
    return byName(kustomize(dir, { 'res.yaml': res, 'kustomization.yaml': `resources: [res.yaml]\npatches:\n${patches.join('')}` }))
  }

  it('JSON patch: every row that applies', () => {
    // Replacing the whole document renames it, which the batch cannot follow.
    const rows = OK.filter(([name]) => name !== 'replace the whole document')
    const got = jsonPatchBuild(rows)
    rows.forEach(([name, , expected], i) => {
      expect({ name, got: got.get(`c${i}`) }).toStrictEqual({ name, got: renamed(expected, `c${i}`) })
    })
  })

  it.each(FAIL)('JSON patch: %s', (name, ops, error) => {
    expect(() => jsonPatchBuild([[name, ops, error]])).toThrow(error)
  })

  it('name hashes of generated ConfigMaps and Secrets', () => {
    writeFileSync(join(dir, 'blob.bin'), Uint8Array.from([0, 1, 2, 255, 254, 10]))
    const out = kustomize(dir, {
      'app.properties': 'a=1\n# comment\nb = two words\n',
      'page.html': '<html>&amp; "quoted" \\ back\u0001slash ✓ 🎉</html>\n',
      'kustomization.yaml': [
        'configMapGenerator:',
        '- {name: props, envs: [app.properties]}',
        '- {name: files, files: [page.html, blob.bin]}',
        "- {name: lits, literals: ['k=', 'É=x', 'num=42', 'multi=a b c']}",
        '- {name: opts, literals: [x=y], options: {labels: {l: v}, annotations: {a: b}}}',
        'secretGenerator:',
        '- {name: s1, literals: [user=admin, pass=s3cr3t]}',
        '- {name: s2, type: kubernetes.io/tls, files: [tls.crt=page.html, tls.key=blob.bin]}',
        '- {name: s3}',
        '',
      ].join('\n'),
    })
    const objs = [...byName(out).values()]
    expect(objs).toHaveLength(7)
    for (const o of objs) {
      const base = o.metadata.name.slice(0, o.metadata.name.lastIndexOf('-'))
      expect(`${base}-${nameHash({ ...o, metadata: { ...o.metadata, name: base } })}`).toBe(o.metadata.name)
    }
  })

  it('the scope of every kind in the bundled table', () => {
    // Namespace objects get renamed by the namespace transformer; the unit test covers them.
    const kinds = [...BUILTIN_OPENAPI_TABLE.clusterScoped, ...BUILTIN_OPENAPI_TABLE.namespaced].filter((k) => k !== 'v1/Namespace')
    const split = (k: string): [string, string] => [k.slice(0, k.lastIndexOf('/')), k.slice(k.lastIndexOf('/') + 1)]
    const docs = kinds.map((k, i) => JSON.stringify({ apiVersion: split(k)[0], kind: split(k)[1], metadata: { name: `k${i}` } }))
    const got = byName(kustomize(dir, { 'all.yaml': docs.join('\n---\n'), 'kustomization.yaml': 'namespace: probe\nresources: [all.yaml]\n' }))
    kinds.forEach((k, i) => {
      expect({ k, namespaced: got.get(`k${i}`)?.metadata.namespace === 'probe' }).toStrictEqual({ k, namespaced: isNamespacedKind(...split(k)) })
    })
  })
}

if (KUBECTL) describe(`merge library agrees with ${KUBECTL} kustomize`, oracleSuites)
else {
  // Same contract as test/support/components.ts describeWith: recorded when missing, fatal on CI.
  const list = process.env['FLUXGATE_MISSING_COMPONENTS']
  if (list) appendFileSync(list, 'merge library kustomize oracle (needs kubectl)\n')
  describe('merge library kustomize oracle', () => {
    it('needs kubectl', () => {
      if (process.env['CI'] === 'true') throw new Error('kubectl missing on a CI machine: .ci/run must install it')
    })
  })
}
