/**
 * Attack class: prototype pollution. A key from the repository (`__proto__`, `constructor`,
 * `prototype`) used as a plain-object key could set `Object.prototype['protected-clusters'] =
 * 'off'`; the gate then read that rule as turned off, for this pull request and, in the
 * long-lived App, for every later one. Each attack here runs a hostile review and then a clean
 * one in the same process, as the App would: `Object.prototype` must be unchanged, the clean
 * review's verdict must be the baseline's, and the `__proto__` keys must survive as ordinary
 * keys, as they do in Kubernetes.
 */
import { fleet, gitRelease, NAMESPACE, review, type Reviewed } from './support.js'
import { describeWith } from '../support/components.js'
import { parseGateConfig } from '../../src/core/gate/index.js'

const GATE = { '.github/fluxgate.yml': 'protectedClusters: [dev]\n' }
const RULE = 'protected-clusters'

// jest runs the code in a vm context whose structuredClone is the host's: objects it copies have
// the host realm's Object.prototype. Both realms' prototypes are watched.
const PROTOTYPES = [Object.prototype, Object.getPrototypeOf(structuredClone({})) as object]

function prototypeKeys(): string[] {
  return PROTOTYPES.flatMap((p, i) => Object.getOwnPropertyNames(p).map((k) => `${i}:${k}`)).sort()
}

const cm = (name: string, data: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\ndata:\n${data}`

/** Each attack: the head's `apps` files, extra files, the Kustomization's extra spec. */
const ATTACKS: Record<string, { apps: Record<string, string>; files?: Record<string, string>; ks?: string }> = {
  'json 6902 patch adding /__proto__/protected-clusters': {
    apps: { 'namespace.yaml': NAMESPACE, 'app.yaml': cm('app', '  a: "1"\n') },
    ks: '',
    files: {
      'apps/kustomization.yaml': `resources: [namespace.yaml, app.yaml]\npatches:\n  - target: {kind: ConfigMap, name: app}\n    patch: |\n      - op: add\n        path: /__proto__/${RULE}\n        value: "off"\n      - op: add\n        path: /constructor/prototype/${RULE}\n        value: "off"\n      - op: add\n        path: /data/__proto__\n        value: kept\n`,
    },
  },
  'strategic merge patch with __proto__ and constructor keys': {
    apps: { 'namespace.yaml': NAMESPACE, 'app.yaml': cm('app', '  a: "1"\n') },
    files: {
      'apps/kustomization.yaml': `resources: [namespace.yaml, app.yaml]\npatches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata: {name: app, namespace: apps}\n      __proto__: {${RULE}: "off"}\n      data:\n        __proto__: kept\n        constructor: kept\n`,
    },
  },
  'HelmRelease valuesFrom targetPath __proto__.protected-clusters': {
    apps: {
      'namespace.yaml': NAMESPACE,
      'values.yaml': cm('web-values', '  level: "off"\n  doc: |\n    __proto__:\n      protected-clusters: "off"\n    constructor:\n      prototype:\n        protected-clusters: "off"\n'),
      'web.yaml': gitRelease(
        `  valuesFrom:\n    - {kind: ConfigMap, name: web-values, valuesKey: level, targetPath: __proto__.${RULE}}\n    - {kind: ConfigMap, name: web-values, valuesKey: level, targetPath: constructor.prototype.${RULE}}\n    - {kind: ConfigMap, name: web-values, valuesKey: level, targetPath: a.__proto__.${RULE}}\n    - {kind: ConfigMap, name: web-values, valuesKey: doc}\n  values:\n    __proto__: {${RULE}: "off"}\n`,
      ),
    },
  },
  'postBuild variables named __proto__ and ConfigMap keys named __proto__': {
    apps: { 'namespace.yaml': NAMESPACE, 'vars.yaml': cm('vars', '  __proto__: "off"\n  constructor: "off"\n'), 'app.yaml': cm('app', '  a: "${__proto__:=x}"\n') },
    ks: '  postBuild:\n    substitute:\n      __proto__: "off"\n    substituteFrom:\n      - {kind: ConfigMap, name: vars}\n',
  },
  'YAML documents with __proto__ keys everywhere': {
    apps: {
      'namespace.yaml': NAMESPACE,
      'app.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: apps\ndata:\n  __proto__: kept\n  constructor: kept\n  prototype: kept\n__proto__:\n  ${RULE}: "off"\n`,
      'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n  namespace: apps\nstringData:\n  __proto__: only-in-a-secret\n`,
    },
  },
  'configMapGenerator literals and a CRD property named __proto__': {
    apps: {
      'namespace.yaml': NAMESPACE,
      'crd.yaml': `apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions:\n    - name: v1\n      served: true\n      storage: true\n      schema:\n        openAPIV3Schema:\n          type: object\n          properties:\n            __proto__: {type: object, properties: {${RULE}: {type: string}}}\n            spec: {type: object, x-kubernetes-preserve-unknown-fields: true}\n`,
      'widget.yaml': `apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n  namespace: apps\n__proto__: {${RULE}: "off"}\nspec: {__proto__: {${RULE}: "off"}}\n`,
    },
    files: {
      'apps/kustomization.yaml': `resources: [namespace.yaml, crd.yaml, widget.yaml]\nconfigMapGenerator:\n  - name: gen\n    namespace: apps\n    literals: [__proto__=off, constructor=off]\n`,
    },
  },
}

describeWith(['helm'], 'prototype pollution from repository keys', () => {
  const baseFiles = { ...fleet({ 'namespace.yaml': NAMESPACE }), ...GATE }
  // A clean change to the protected cluster: the gate requires an approval.
  const cleanHead = { ...fleet({ 'namespace.yaml': NAMESPACE, 'app.yaml': cm('clean', '  a: "1"\n') }), ...GATE }
  let baseline: Reviewed
  let before: string[]

  beforeAll(async () => {
    before = prototypeKeys()
    baseline = await review(baseFiles, cleanHead)
    expect(baseline.verdict.conclusion).toBe('failure')
    expect(baseline.verdict.findings.map((f) => f.ruleId)).toContain(RULE)
  })
  afterEach(() => {
    // Leave no pollution behind for the next suite, whatever a failing case did.
    for (const k of prototypeKeys()) if (!before.includes(k)) delete (PROTOTYPES[Number(k[0])] as Record<string, unknown>)[k.slice(2)]
  })

  for (const [name, attack] of Object.entries(ATTACKS)) {
    it(`${name}: Object.prototype unchanged, the gate and the next review unaffected`, async () => {
      const head = { ...fleet(attack.apps, attack.files ?? {}, attack.ks ?? ''), ...GATE }
      const hostile = await review(baseFiles, head)
      expect(prototypeKeys()).toEqual(before)
      for (const p of PROTOTYPES) expect(Object.hasOwn(p, RULE)).toBe(false)
      // The change to the protected cluster is still caught (or the render fails, as in Flux).
      const rules = hostile.verdict.findings.map((f) => f.ruleId)
      expect(rules.includes(RULE) || rules.includes('render-errors')).toBe(true)
      expect(hostile.verdict.conclusion).toBe('failure')
      const next = await review(baseFiles, cleanHead)
      expect(next.verdict).toEqual(baseline.verdict)
    })
  }

  it('__proto__, constructor and prototype keys survive to the rendered objects and the report as ordinary keys', async () => {
    const head = { ...fleet(ATTACKS['YAML documents with __proto__ keys everywhere']!.apps), ...GATE }
    const r = await review({ ...fleet({ 'namespace.yaml': NAMESPACE, 'app.yaml': cm('app', '  a: "1"\n') }), ...GATE }, head)
    const app = r.planned.headFleet.clusters[0]!.objects.find((o) => o.object.metadata.name === 'app')!.object
    const data = app['data'] as Record<string, unknown>
    // A plain object (of either realm: jest's structuredClone is the host's), not one whose prototype the key replaced.
    expect(Object.getPrototypeOf(Object.getPrototypeOf(data))).toBeNull()
    expect(Object.keys(data).sort()).toEqual(['__proto__', 'constructor', 'prototype'])
    expect(Object.hasOwn(app, '__proto__')).toBe(true)
    // A Secret's stringData key folds into data like any other (it used to vanish).
    const secret = r.planned.headFleet.clusters[0]!.objects.find((o) => o.object.kind === 'Secret')!.object
    expect(Object.keys(secret['data'] as object)).toEqual(['__proto__'])
    // The change shows the keys (the diff would hide a change made under them otherwise).
    const change = r.planned.plan.clusters[0]!.changes.find((c) => c.id.name === 'app')
    expect(change?.diff).toMatch(/__proto__: kept/)
    expect(change?.diff).toMatch(/constructor: kept/)
  })

  it('gate policies named after Object.prototype members are unknown rules, never levels', () => {
    const { config, diagnostics } = parseGateConfig('policies:\n  __proto__: {protected-clusters: "off"}\n  constructor: "off"\n  toString: "off"\n')
    expect(Object.keys(config.policies)).toEqual([])
    expect(diagnostics.map((d) => d.code)).toEqual(['gate/unknown-rule', 'gate/unknown-rule', 'gate/unknown-rule'])
    expect(prototypeKeys()).toEqual(before)
  })
})
