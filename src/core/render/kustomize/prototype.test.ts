import { MemoryTree } from '../../tree/memory-tree.js'
import { buildKustomization, serializeObjects } from './index.js'

// Keys from a repository may name Object.prototype members; kustomize treats them as
// ordinary keys. Every path that walks or writes objects by input keys is exercised here,
// and Object.prototype must come out untouched. (Byte equality with kubectl kustomize on
// the same inputs: fixtures x1 and x2 of test/kustomize/differential.test.ts.)
const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n'

function build(kustomization: string, extra: Record<string, string> = {}) {
  return buildKustomization(MemoryTree.fromRecord({ 'app/kustomization.yaml': kustomization, 'app/cm.yaml': cm, ...extra }), 'app')
}

afterEach(() => {
  const proto = Object.prototype as Record<string, unknown>
  expect(proto['protected-clusters']).toBeUndefined()
  expect(proto['polluted']).toBeUndefined()
  expect(proto['x']).toBeUndefined()
  expect(Object.keys(Object.prototype)).toEqual([])
})

describe('__proto__ in kustomize inputs', () => {
  it('a JSON 6902 add under /__proto__ fails as in kustomize instead of setting Object.prototype', () => {
    const r = build('resources:\n- cm.yaml\npatches:\n- target: {kind: ConfigMap}\n  patch: |-\n    - op: add\n      path: /__proto__/protected-clusters\n      value: "off"\n')
    expect(r.ok).toBe(false)
    expect(r.diagnostics[0]?.message).toBe('add operation does not apply: doc is missing path: "/__proto__/protected-clusters": missing value')
  })

  it('JSON 6902 add, replace and copy write __proto__ as a key', () => {
    const r = build('resources:\n- cm.yaml\npatches:\n- target: {kind: ConfigMap}\n  patch: |-\n    - {op: add, path: /__proto__, value: {protected-clusters: "off"}}\n    - {op: copy, from: /data, path: /data/__proto__}\n    - {op: replace, path: /__proto__/protected-clusters, value: "on"}\n')
    expect(r.diagnostics).toEqual([])
    expect(serializeObjects(r.objects)).toBe('__proto__:\n  protected-clusters: "on"\napiVersion: v1\ndata:\n  __proto__:\n    a: b\n  a: b\nkind: ConfigMap\nmetadata:\n  name: x\n')
  })

  it('a strategic-merge patch with __proto__ maps merges them as fields', () => {
    const r = build('resources:\n- cm.yaml\npatches:\n- patch: |-\n    apiVersion: v1\n    kind: ConfigMap\n    metadata:\n      name: x\n    __proto__:\n      polluted: "yes"\n    data:\n      __proto__: {x: y}\n')
    expect(r.diagnostics).toEqual([])
    expect(serializeObjects(r.objects)).toBe('__proto__:\n  polluted: "yes"\napiVersion: v1\ndata:\n  __proto__:\n    x: "y"\n  a: b\nkind: ConfigMap\nmetadata:\n  name: x\n')
  })

  it('field specs, labels, replacements and generators with __proto__ keys', () => {
    const r = build(
      'resources:\n- cm.yaml\nconfigurations:\n- conf.yaml\ncommonLabels:\n  __proto__: l\nconfigMapGenerator:\n- name: g\n  literals:\n  - __proto__=v\n  - constructor=c\nreplacements:\n- source: {kind: ConfigMap, name: x, fieldPath: data.a}\n  targets:\n  - select: {kind: ConfigMap, name: x}\n    fieldPaths: [spec.__proto__.x]\n    options: {create: true}\n',
      { 'app/conf.yaml': 'commonAnnotations:\n- path: metadata/__proto__/polluted\n  create: true\n' },
    )
    expect(r.diagnostics).toEqual([])
    const x = r.objects.find((o) => o.metadata.name === 'x')
    const g = r.objects.find((o) => o.metadata.name.startsWith('g-'))
    expect(Object.keys(x?.metadata.labels ?? {})).toEqual(['__proto__'])
    expect(JSON.stringify(x?.['spec'])).toBe('{"__proto__":{"x":"b"}}')
    expect(Object.keys((g?.['data'] ?? {}) as object)).toEqual(['__proto__', 'constructor'])
  })
})
