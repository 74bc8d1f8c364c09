import { MemoryTree } from '../tree/memory-tree.js'
import { defaultBranch, planAutomations } from './automation.js'
import type { LatestRef } from './marker.js'
import { findImageObjects, type ImageObjects } from './objects.js'
import { fluxPolicyEngine } from './policy-engine.js'
import type { ScanResult } from './scan.js'

const policy = (ns: string, name: string, labels: Record<string, string>, policyYaml = 'semver: {range: ">=1.0.0"}'): string => `---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImagePolicy
metadata: {name: ${name}, namespace: ${ns}, labels: ${JSON.stringify(labels)}}
spec:
  imageRepositoryRef: {name: ${name}}
  policy: {${policyYaml}}
`
const automation = (name: string, extra: string): string => `---
apiVersion: image.toolkit.fluxcd.io/v1
kind: ImageUpdateAutomation
metadata: {name: ${name}, namespace: flux-system}
spec:
  sourceRef: {kind: GitRepository, name: flux-system}
  git:
    checkout: {ref: {branch: main}}
${extra}
`

/** A scan result as the scan would return it, with the given latest refs. */
function scanOf(objects: ImageObjects, latest: Record<string, LatestRef>): ScanResult {
  return {
    diagnostics: [],
    policies: objects.policies.map((p) => {
      const parsed = fluxPolicyEngine.parse(p.object)
      const key = `${p.namespace}:${p.name}`
      return { key, policy: p, candidates: 1, ...(parsed.ok ? { spec: parsed.spec } : {}), ...(latest[key] ? { latest: latest[key] } : {}) }
    }),
  }
}

function fleet(automations: string): MemoryTree {
  return MemoryTree.fromRecord({
    'infra/images.yaml': [
      policy('flux-system', 'web', { team: 'web' }),
      policy('flux-system', 'api', { team: 'api' }),
      policy('apps', 'web', { team: 'web' }),
      policy('flux-system', 'ts', { team: 'web' }, 'numerical: {order: asc}'),
      automations,
    ].join(''),
    'clusters/prod/web.yaml': [
      'a: 1.0.0 # {"$imagepolicy": "flux-system:web:tag"}',
      'b: 1.0.0 # {"$imagepolicy": "flux-system:api:tag"}',
      'c: 1.0.0 # {"$imagepolicy": "apps:web:tag"}',
      'd: "300" # {"$imagepolicy": "flux-system:ts:tag"}',
      '',
    ].join('\n'),
    'clusters/staging/web.yaml': 'a: 1.0.0 # {"$imagepolicy": "flux-system:web:tag"}\n',
  })
}

const LATEST = {
  'flux-system:web': { name: 'ghcr.io/org/web', tag: '1.1.0' },
  'flux-system:api': { name: 'ghcr.io/org/api', tag: '2.0.0' },
  'apps:web': { name: 'ghcr.io/org/web', tag: '9.9.9' },
  'flux-system:ts': { name: 'ghcr.io/org/ts', tag: '200' },
}

describe('planAutomations', () => {
  it('applies only policies of the automation namespace matching policySelector, under update.path (I-11, I-14)', () => {
    const tree = fleet(automation('web', '  policySelector: {matchLabels: {team: web}}\n  update: {path: ./clusters/prod}'))
    const objects = findImageObjects(tree)

    const [plan] = planAutomations(objects, tree, scanOf(objects, LATEST), { engine: fluxPolicyEngine })

    expect(plan!.changes.map((c) => [c.file, c.line, c.setter, c.oldValue, c.newValue])).toEqual([['clusters/prod/web.yaml', 1, 'flux-system:web:tag', '1.0.0', '1.1.0']])
    expect(plan!.edits[0]!.after).toBe('a: 1.1.0 # {"$imagepolicy": "flux-system:web:tag"}\nb: 1.0.0 # {"$imagepolicy": "flux-system:api:tag"}\nc: 1.0.0 # {"$imagepolicy": "apps:web:tag"}\nd: "300" # {"$imagepolicy": "flux-system:ts:tag"}\n')
  })

  it('refuses a downgrade by the policy order, with a diagnostic, unless allowed', () => {
    const tree = fleet(automation('all', '  update: {path: clusters/prod}'))
    const objects = findImageObjects(tree)
    const scan = scanOf(objects, LATEST)

    const [refusing] = planAutomations(objects, tree, scan, { engine: fluxPolicyEngine })
    const [allowing] = planAutomations(objects, tree, scan, { engine: fluxPolicyEngine, allowDowngrade: true })

    expect(refusing!.skipped.map((s) => [s.setter, s.oldValue, s.newValue])).toEqual([['flux-system:ts:tag', '300', '200']])
    expect(refusing!.diagnostics.map((d) => d.code)).toContain('images/downgrade-refused')
    expect(allowing!.changes.map((c) => c.setter)).toContain('flux-system:ts:tag')
  })

  it('names the branch from push.branch, else fluxgate/images/<ns>-<name>, never the checkout branch', () => {
    const tree = fleet([automation('a', '    push: {branch: image-updates}'), automation('b', ''), automation('c', '    push: {branch: main}')].join(''))
    const objects = findImageObjects(tree)

    const plans = planAutomations(objects, tree, scanOf(objects, LATEST), { engine: fluxPolicyEngine })

    expect(plans.map((p) => p.branch)).toEqual(['image-updates', 'fluxgate/images/flux-system-b', 'fluxgate/images/flux-system-c'])
    expect(plans[2]!.diagnostics.map((d) => d.code)).toContain('images/push-branch-is-base')
    expect(defaultBranch({ namespace: 'ns', name: 'n' })).toBe('fluxgate/images/ns-n')
  })

  it('renders the commit message with paths relative to update.path, and withholds it when the template fails', () => {
    const good = '    commit:\n      messageTemplate: "{{ range $f, $_ := .Changed.FileChanges }}{{ $f }} {{ end }}"\n  update: {path: clusters}'
    const bad = '    commit:\n      messageTemplate: "{{ .Updated.Images }}"\n  update: {path: clusters}'
    const tree = fleet([automation('good', good), automation('bad', bad)].join(''))
    const objects = findImageObjects(tree)

    const [ok, broken] = planAutomations(objects, tree, scanOf(objects, LATEST), { engine: fluxPolicyEngine })

    expect(ok!.commitMessage).toBe('prod/web.yaml staging/web.yaml ')
    expect(broken!.commitMessage).toBeUndefined()
    expect(broken!.diagnostics.map((d) => d.code)).toContain('images/message-template')
  })

  it('stands in one implicit automation over everything when the repository has none', () => {
    const tree = fleet('')
    const objects = findImageObjects(tree)

    const plans = planAutomations(objects, tree, scanOf(objects, LATEST), { engine: fluxPolicyEngine })

    expect(plans).toHaveLength(1)
    expect(plans[0]!.implicit).toBe(true)
    expect(new Set(plans[0]!.changes.map((c) => c.policy))).toEqual(new Set(['flux-system:web', 'flux-system:api', 'apps:web']))
  })
})
