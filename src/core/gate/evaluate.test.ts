import { evaluateGate } from './evaluate.js'
import { parseGateConfig } from './config.js'
import { collectSecretValues, Redactor } from '../mask/index.js'
import { headObjectsOf } from './head-objects.js'
import type { FleetRender } from '../model/render-result.js'
import { frozen } from '../model/frozen.js'
import { HEAD, change, deploy, k, plan } from './__fixtures__/plans.js'
import type { Approval, GateInput } from './types.js'

const ns = k('v1', 'Namespace', 'team', {}, '')
const deletion = plan([change('removed', ns, undefined, { prune: 'delete', highRisk: true })])

function input(over: Partial<GateInput> = {}, configText = ''): GateInput {
  const { config, diagnostics } = parseGateConfig(configText)
  return { plan: deletion, config, approvals: [], headSha: HEAD, changedFiles: [], configDiagnostics: diagnostics, ...over }
}

describe('evaluateGate', () => {
  it.each<[string, Approval[], 'success' | 'failure', boolean]>([
    ['no approval', [], 'failure', false],
    ['approval for the head', [{ sha: HEAD, by: 'alice', via: 'comment' }], 'success', true],
    ['stale approval for an older push', [{ sha: 'c'.repeat(40), by: 'alice', via: 'label' }], 'failure', false],
  ])('a high-risk deletion with %s', (_name, approvals, conclusion, satisfied) => {
    const v = evaluateGate(input({ approvals }))

    expect(v.conclusion).toBe(conclusion)
    expect(v.approval.required).toBe(true)
    expect(v.approval.satisfied).toBe(satisfied)
    expect(v.findings.map((f) => f.ruleId)).toEqual(['high-risk-deletion', 'removed-critical-object'])
  })

  it('passes the head render to the rules: a custom resource is checked against a CRD that only head has', () => {
    const crd = k('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', {
      spec: { group: 'example.com', scope: 'Namespaced', names: { kind: 'Widget', plural: 'widgets' }, versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } } } }] },
    }, '')
    const p = plan([change('added', undefined, k('example.com/v1', 'Widget', 'w', { spec: { size: 'large' } }))])

    const without = evaluateGate(input({ plan: p }))
    const withHead = evaluateGate(input({ plan: p, headObjects: [crd] }))

    expect(without.conclusion).toBe('success')
    expect(withHead.conclusion).toBe('failure')
    expect(withHead.findings).toEqual([{ ruleId: 'invalid-object', level: 'fail', message: 'Widget/apps/w: spec.size: Invalid value: "large": spec.size in body must be of type integer: "string" (its CRD)', location: { file: 'apps/app.yaml', line: 1 } }])
  })

  it('records who approved', () => {
    expect(evaluateGate(input({ approvals: [{ sha: HEAD, by: 'alice', via: 'check-action' }] })).approval.by).toBe('alice')
  })

  it('does not let an approval clear a rule that cannot be approved', () => {
    const p = plan([change('changed', deploy('a:1'), deploy('a:1', { selector: { matchLabels: { x: 'y' } } }))])

    const v = evaluateGate(input({ plan: p, approvals: [{ sha: HEAD, by: 'alice', via: 'comment' }] }))

    expect(v.conclusion).toBe('failure')
    expect(v.approval.required).toBe(false)
  })

  it.each<[string, string, 'success' | 'failure']>([
    ['warn level only reports', 'policies:\n  high-risk-deletion: warn\n', 'success'],
    ['off level skips the rule', 'policies:\n  high-risk-deletion: off\n', 'success'],
    ['YAML 1.1 off (false)', 'policies:\n  high-risk-deletion: false\n', 'success'],
    ['warning rules can be made failing', 'policies:\n  high-risk-deletion: off\n  removed-critical-object: fail\n', 'failure'],
  ])('%s', (_name, configText, conclusion) => {
    expect(evaluateGate(input({}, configText)).conclusion).toBe(conclusion)
  })

  it('passes an empty plan', () => {
    expect(evaluateGate(input({ plan: plan([]) }))).toEqual({
      conclusion: 'success',
      findings: [],
      approval: { required: false, satisfied: false },
      summary: 'Passed: 0 failing, 0 warning finding(s)',
    })
  })

  it.each<[string, Partial<GateInput>, string]>([
    ['a plan for another commit', { headSha: 'd'.repeat(40) }, 'the plan is for bbbbbbbbbbbb, not the head dddddddddddd'],
    ['an invalid config', { configDiagnostics: [{ code: 'gate/invalid-config', severity: 'error', message: 'largeChangeSet must be a positive integer' }] }, 'the gate configuration is invalid'],
    ['a plan that is missing', { plan: undefined as never }, 'no plan was computed'],
  ])('is neutral, never success, for %s', (_name, over, reason) => {
    const v = evaluateGate(input(over))

    expect(v.conclusion).toBe('neutral')
    expect(v.summary).toContain(reason)
  })

  it('is neutral when a rule breaks on malformed data', () => {
    const broken = plan([])
    ;(broken.clusters[0] as { owners: unknown }).owners = [{ ref: { kind: 'Kustomization', namespace: 'x', name: 'y' }, state: 'unchanged', dependsOn: null }]

    const v = evaluateGate(input({ plan: broken }))

    expect(v.conclusion).toBe('neutral')
    expect(v.summary).toContain('rule dangling-depends-on failed')
  })
})

describe('parseGateConfig', () => {
  it('reads every setting', () => {
    const text = [
      'kubernetesVersion: "1.31"',
      'fluxVersion: v2.8.1',
      'policies: { downgrade: fail, replicas-zero: off }',
      'protectedPaths: ["clusters/production/**"]',
      'protectedClusters: [production]',
      'largeChangeSet: 40',
    ].join('\n')

    expect(parseGateConfig(text)).toEqual({
      config: {
        kubernetesVersion: '1.31',
        fluxVersion: '2.8',
        policies: { downgrade: 'fail', 'replicas-zero': 'off' },
        protectedPaths: ['clusters/production/**'],
        protectedClusters: ['production'],
        largeChangeSet: 40,
      },
      diagnostics: [],
    })
  })

  it.each<[string, string, string[]]>([
    ['empty file', '', []],
    ['bad YAML', 'policies: [', ['gate/invalid-config']],
    ['not a mapping', '- a', ['gate/invalid-config']],
    ['unknown key', 'protect: []', ['gate/unknown-config-key']],
    ['unknown rule', 'policies: { no-such-rule: warn }', ['gate/unknown-rule']],
    ['bad level', 'policies: { downgrade: maybe }', ['gate/invalid-config']],
    ['bad threshold', 'largeChangeSet: -1', ['gate/invalid-config']],
    ['bad version', 'kubernetesVersion: latest', ['gate/invalid-config']],
  ])('%s', (_name, text, codes) => {
    const { config, diagnostics } = parseGateConfig(text)

    expect(diagnostics.map((d) => d.code)).toEqual(codes)
    expect(config.largeChangeSet).toBe(100)
  })
})

describe('headObjectsOf', () => {
  it('takes the objects the rules read from every cluster of the head render, masked', () => {
    const owner = { kind: 'Kustomization' as const, namespace: 'flux-system', name: 'apps' }
    const cm = k('v1', 'ConfigMap', 'plain')
    const crd = k('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'widgets.example.com', { spec: { group: 'example.com' } })
    const repo = k('image.toolkit.fluxcd.io/v1', 'ImageRepository', 'web', { spec: { image: 'ghcr.io/acme/web' } })
    // A value substituted from a Secret into an ImagePolicy is masked like anywhere else.
    const policy = k('image.toolkit.fluxcd.io/v1', 'ImagePolicy', 'web', { spec: { imageRepositoryRef: { name: 'web' }, filterTags: { pattern: '^hunter22-(?P<v>.*)$' } } })
    const secret = k('v1', 'Secret', 'creds', { stringData: { password: 'hunter22' } })
    const lookalike = k('example.com/v1', 'CustomResourceDefinition', 'not-a-crd')
    const render: FleetRender = {
      revision: HEAD,
      diagnostics: [],
      durationMs: 1,
      clusters: [
        { name: 'staging', path: 'clusters/staging', owners: [], diagnostics: [], objects: [{ object: cm, owner }, { object: crd, owner }, { object: lookalike, owner }] },
        { name: 'production', path: 'clusters/production', owners: [], diagnostics: [], objects: [{ object: repo, owner }, { object: secret, owner }, { object: policy, owner }] },
      ],
    }

    const objects = headObjectsOf(render, new Redactor(collectSecretValues([render])))

    expect(objects.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(['CustomResourceDefinition/widgets.example.com', 'ImageRepository/web', 'ImagePolicy/web'])
    expect(objects[2]).toEqual(k('image.toolkit.fluxcd.io/v1', 'ImagePolicy', 'web', { spec: { imageRepositoryRef: { name: 'web' }, filterTags: { pattern: '^***-(?P<v>.*)$' } } }))
    expect(JSON.stringify(objects)).not.toContain('hunter22')
  })

  it('searches and masks a frozen render (a walk reused whole) once, as a fresh copy is, and again for other values', () => {
    const owner = { kind: 'Kustomization' as const, namespace: 'flux-system', name: 'apps' }
    const policy = k('image.toolkit.fluxcd.io/v1', 'ImagePolicy', 'web', { spec: { filterTags: { pattern: '^hunter22-(?P<v>.*)$' } } })
    const secret = k('v1', 'Secret', 'creds', { stringData: { password: 'hunter22' } })
    const other = k('v1', 'Secret', 'more', { data: { token: Buffer.from('swordfish-9').toString('base64') } })
    const cluster = { name: 'staging', path: 'clusters/staging', owners: [{ ref: owner, status: 'applied' as const, secretValues: ['owner-held-value'] }], diagnostics: [], objects: [{ object: policy, owner }, { object: secret, owner }, { object: other, owner }] }
    const kept = frozen({ revision: HEAD, diagnostics: [], durationMs: 1, clusters: [cluster] }) as unknown as FleetRender
    const fresh = (): FleetRender => JSON.parse(JSON.stringify(kept)) as FleetRender

    for (let i = 0; i < 2; i++) {
      expect([...collectSecretValues([kept], ['a-token-value'])]).toEqual([...collectSecretValues([fresh()], ['a-token-value'])])
      const redactor = new Redactor(collectSecretValues([kept]))
      expect(headObjectsOf(kept, redactor)).toEqual(headObjectsOf(fresh(), redactor))
    }
    expect([...collectSecretValues([kept])]).toEqual(expect.arrayContaining(['hunter22', 'swordfish-9', 'owner-held-value']))
    // Another redactor (a token the caller masks too) masks again.
    const wider = new Redactor([...collectSecretValues([kept]), 'ghcr'])
    expect(JSON.stringify(headObjectsOf(kept, wider))).toBe(JSON.stringify(headObjectsOf(fresh(), wider)))
    expect(JSON.stringify(headObjectsOf(kept, new Redactor([])))).toContain('hunter22')
  })
})
