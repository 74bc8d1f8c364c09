import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import type { JsonObject } from '../../model/object.js'
import { MemoryTree } from '../../tree/memory-tree.js'
import { buildKustomization, serializeObjects, type KustomizeOptions } from './index.js'

function build(files: Record<string, string>, dir = 'app', opts: KustomizeOptions = { reorder: 'none' }): string {
  const r = buildKustomization(MemoryTree.fromRecord(files), dir, opts)
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'))
  return serializeObjects(r.objects)
}

function fail(files: Record<string, string>, dir = 'app', opts: KustomizeOptions = {}): Diagnostic {
  const r = buildKustomization(MemoryTree.fromRecord(files), dir, opts)
  expect(r.ok).toBe(false)
  return r.diagnostics[0] as Diagnostic
}

const deploy = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  template:
    spec:
      serviceAccountName: runner
      containers:
      - name: web
        image: nginx:1.25
        envFrom:
        - configMapRef:
            name: settings
`
const sa = 'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n'

describe('kustomize engine: names and namespaces', () => {
  it('prefixes names and rewrites references to them (name-reference table)', () => {
    const out = build({
      'app/kustomization.yaml': 'namePrefix: dev-\nnameSuffix: -v1\nresources:\n- deploy.yaml\n- sa.yaml\n',
      'app/deploy.yaml': deploy,
      'app/sa.yaml': sa,
    })
    expect(out).toContain('  name: dev-web-v1\n')
    expect(out).toContain('serviceAccountName: dev-runner-v1')
    expect(out).not.toContain('internal.config.kubernetes.io')
  })

  it('sets the namespace on namespaced kinds only and renames a v1 Namespace', () => {
    const out = build({
      'app/kustomization.yaml': 'namespace: prod\nresources:\n- r.yaml\n',
      'app/r.yaml': `${sa}---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: old\n`,
    })
    expect(out).toBe(
      'apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: runner\n  namespace: prod\n---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: prod\n',
    )
  })

  it('sorts like the kustomize CLI unless asked to keep input order', () => {
    const files = { 'app/kustomization.yaml': 'resources:\n- deploy.yaml\n- sa.yaml\n', 'app/deploy.yaml': deploy, 'app/sa.yaml': sa }
    expect(build(files, 'app', { reorder: 'legacy' }).indexOf('kind: ServiceAccount')).toBeLessThan(build(files, 'app', { reorder: 'legacy' }).indexOf('kind: Deployment'))
    expect(build(files, 'app', { reorder: 'none' }).indexOf('kind: Deployment')).toBeLessThan(build(files, 'app', { reorder: 'none' }).indexOf('kind: ServiceAccount'))
  })
})

describe('kustomize engine: labels, annotations, images, replicas', () => {
  it('commonLabels reach selectors and templates; labels without selectors do not', () => {
    const out = build({
      'app/kustomization.yaml': 'commonLabels:\n  app: web\nlabels:\n- pairs:\n    team: a\ncommonAnnotations:\n  owner: me\nresources:\n- deploy.yaml\n',
      'app/deploy.yaml': deploy,
    })
    expect(out).toContain('  selector:\n    matchLabels:\n      app: web\n')
    expect(out).toContain('  labels:\n    app: web\n    team: a\n')
    expect(out).toContain('    metadata:\n      annotations:\n        owner: me\n      labels:\n        app: web\n')
  })

  it('images set tags and digests; replicas set counts', () => {
    const out = build({
      'app/kustomization.yaml': 'images:\n- name: nginx\n  newName: registry.local/nginx\n  newTag: "1.27"\nreplicas:\n- name: web\n  count: 3\nresources:\n- deploy.yaml\n',
      'app/deploy.yaml': deploy,
    })
    expect(out).toContain('image: registry.local/nginx:1.27')
    expect(out).toContain('  replicas: 3\n')
  })
})

describe('kustomize engine: generators', () => {
  it('hashes generated ConfigMaps and rewrites references to them', () => {
    const out = build({
      'app/kustomization.yaml': 'resources:\n- deploy.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - A=1\n  - B="two"\nsecretGenerator:\n- name: creds\n  literals:\n  - token=abc\n',
      'app/deploy.yaml': deploy,
    })
    const name = /name: (settings-[a-z0-9]{10})/.exec(out)?.[1]
    expect(name).toBeDefined()
    expect(out).toContain(`            name: ${name}\n`)
    expect(out).toContain('data:\n  A: "1"\n  B: two\n')
    expect(out).toContain('  token: YWJj\n')
  })

  it('merges an overlay generator into the base one', () => {
    const out = build({
      'base/kustomization.yaml': 'configMapGenerator:\n- name: cfg\n  literals:\n  - A=1\n',
      'app/kustomization.yaml': 'resources:\n- ../base\nconfigMapGenerator:\n- name: cfg\n  behavior: merge\n  literals:\n  - B=2\ngeneratorOptions:\n  disableNameSuffixHash: true\n',
    })
    expect(out).toBe('apiVersion: v1\ndata:\n  A: "1"\n  B: "2"\nkind: ConfigMap\nmetadata:\n  name: cfg\n')
  })
})

describe('kustomize engine: patches', () => {
  const files = { 'app/deploy.yaml': deploy }
  it('applies strategic-merge patches by name and JSON patches by target', () => {
    const out = build({
      ...files,
      'app/kustomization.yaml': [
        'resources:\n- deploy.yaml',
        'patches:',
        '- patch: |-\n    apiVersion: apps/v1\n    kind: Deployment\n    metadata:\n      name: web\n    spec:\n      template:\n        spec:\n          containers:\n          - name: web\n            image: nginx:2',
        '- target:\n    kind: Deployment\n    name: w.*\n  patch: |-\n    - op: add\n      path: /spec/paused\n      value: true',
        '',
      ].join('\n'),
    })
    expect(out).toContain('image: nginx:2')
    expect(out).toContain('  paused: true\n')
  })

  it('refuses a JSON patch without target with kustomize wording', () => {
    const d = fail({ ...files, 'app/kustomization.yaml': 'resources:\n- deploy.yaml\npatches:\n- patch: "[{\\"op\\": \\"remove\\", \\"path\\": \\"/spec\\"}]"\n' })
    expect(d.message).toContain('must specify a target for JSON patch')
  })
})

describe('kustomize engine: vars and replacements', () => {
  it('replaces $(VAR) and copies fields with replacements', () => {
    const out = build({
      'app/kustomization.yaml': [
        'resources:\n- r.yaml',
        'vars:\n- name: SA\n  objref:\n    kind: ServiceAccount\n    name: runner\n    apiVersion: v1',
        'replacements:\n- source:\n    kind: ServiceAccount\n    fieldPath: metadata.name\n  targets:\n  - select:\n      kind: ConfigMap\n    fieldPaths:\n    - data.copied',
        '',
      ].join('\n'),
      'app/r.yaml': `${sa}---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  copied: x\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    args: ["--sa=$(SA)"]\n`,
    })
    expect(out).toContain('  copied: runner\n')
    expect(out).toContain('    - --sa=runner\n')
  })
})

describe('kustomize engine: errors and safety', () => {
  it('reports missing files, load restriction and cycles as diagnostics', () => {
    expect(fail({ 'app/kustomization.yaml': 'resources:\n- nope.yaml\n' }).message).toContain("accumulating resources from 'nope.yaml'")
    const restricted = fail({ 'app/kustomization.yaml': 'resources:\n- ../shared/x.yaml\n', 'shared/x.yaml': sa })
    expect(restricted.message).toContain("is not in or below '/app'")
    expect(build({ 'app/kustomization.yaml': 'resources:\n- ../shared/x.yaml\n', 'shared/x.yaml': sa }, 'app', { reorder: 'none', loadRestrictor: 'LoadRestrictionsNone' })).toContain('name: runner')
    const cycle = fail({ 'app/kustomization.yaml': 'resources:\n- sub\n', 'app/sub/kustomization.yaml': 'resources:\n- ..\n' })
    expect(cycle.code).toBe('kustomize/cycle')
  })

  it('refuses helmCharts, remote bases and non-builtin plugins with a clear message', () => {
    expect(fail({ 'app/kustomization.yaml': 'helmCharts:\n- name: x\n' }).message).toContain('Flux does not support helmCharts')
    expect(fail({ 'app/kustomization.yaml': 'resources:\n- https://github.com/org/repo//base?ref=v1\n' }).code).toBe('kustomize/remote-unsupported')
    const plugin = fail({ 'app/kustomization.yaml': 'transformers:\n- |-\n  apiVersion: example.com/v1\n  kind: Thing\n  metadata:\n    name: t\n' })
    expect(plugin.message).toContain('only builtin plugins allowed')
  })

  it('bounds YAML alias expansion', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', ...Array.from({ length: 6 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join('\n')
    const d = fail({ 'app/kustomization.yaml': 'resources:\n- bomb.yaml\n', 'app/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\ndata:\n  ${bomb.split('\n').join('\n  ')}\n` })
    // Counted in what the aliases add (about 10^7 nodes here), at the alias that crosses the budget.
    expect(d.message).toContain('YAML aliases expand to more than 16 MiB')
    expect(d.code).toBe('yaml/alias-expansion')
    expect(d.location).toEqual({ file: 'app/bomb.yaml', line: 12 })
  })
})

describe('located errors about resources entries', () => {
  it('points a missing resource at the kustomization line that names it', () => {
    const tree = MemoryTree.fromRecord({
      'app/kustomization.yaml': 'resources:\n  - cm.yaml\n  # the next one is gone\n  - "missing.yaml"\n',
      'app/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    })

    const r = buildKustomization(tree, 'app')

    expect(r.ok).toBe(false)
    expect(r.diagnostics[0]).toMatchObject({ code: 'kustomize/missing-resource', location: { file: 'app/kustomization.yaml', line: 4 }, subject: 'app/missing.yaml' })
  })

  it('keeps the innermost location when a nested base misses a file', () => {
    const tree = MemoryTree.fromRecord({
      'overlay/kustomization.yaml': 'resources:\n  - ../base\n',
      'base/kustomization.yaml': 'resources:\n- deploy.yaml\n',
    })

    const r = buildKustomization(tree, 'overlay', { loadRestrictor: 'LoadRestrictionsNone' })

    expect(r.diagnostics[0]).toMatchObject({ code: 'kustomize/missing-resource', location: { file: 'base/kustomization.yaml', line: 2 } })
  })
})

describe('kustomize engine: a JSON 6902 patch shared by many kustomizations', () => {
  // One component's patch, read once and shared: what one build does to its output never
  // reaches the next build's.
  const files = (patch: string): Record<string, string> => ({
    'shared/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n- target: {kind: Deployment}\n  patch: |-\n${patch.replace(/^/gm, '    ')}\n`,
    'app1/kustomization.yaml': 'resources: [deploy.yaml]\ncomponents: [../shared]\n',
    'app1/deploy.yaml': deploy,
    'app2/kustomization.yaml': 'namePrefix: two-\nresources: [deploy.yaml]\ncomponents: [../shared]\n',
    'app2/deploy.yaml': deploy,
    'app3/kustomization.yaml': 'resources: [deploy.yaml]\npatchesJson6902:\n- target: {group: apps, version: v1, kind: Deployment, name: web}\n  path: ops.yaml\n',
    'app3/deploy.yaml': deploy,
    'app3/ops.yaml': patch,
  })

  it.each([
    ['YAML', '- op: add\n  path: /metadata/annotations\n  value: {team: web, tier: "1"}\n- op: add\n  path: /spec/template/spec/containers/0/args\n  value: [--port, "8080"]'],
    ['JSON', '[{"op": "add", "path": "/metadata/annotations", "value": {"team": "web", "tier": "1"}}, {"op": "add", "path": "/spec/template/spec/containers/0/args", "value": ["--port", "8080"]}]'],
  ])('gives every build its own copy of the values a %s patch adds', (_, patch) => {
    const tree = MemoryTree.fromRecord(files(patch))
    for (const dir of ['app1', 'app2', 'app3', 'app1']) {
      const r = buildKustomization(tree, dir, { reorder: 'none' })
      if (!r.ok) throw new Error(r.diagnostics.map((d) => d.message).join('\n'))
      const d = r.objects[0]!
      expect(d.metadata.annotations).toEqual({ team: 'web', tier: '1' })
      const container = ((d['spec'] as JsonObject)['template'] as JsonObject)['spec'] as { containers: JsonObject[] }
      expect(container.containers[0]!['args']).toEqual(['--port', '8080'])
      // What a later step (postBuild, a Flux patch) may do to a build's output.
      d.metadata.annotations!['team'] = 'changed'
      ;(container.containers[0]!['args'] as string[]).push('--debug')
    }
  })

  it('still refuses a text that is not a list of operations, each time it is read', () => {
    const bad = files('op: add\npath: /metadata/labels\nvalue: {a: b}')
    for (const dir of ['app3', 'app3']) expect(fail(bad, dir).message).toContain('cannot unmarshal object into Go value of type jsonpatch.Patch')
  })
})
