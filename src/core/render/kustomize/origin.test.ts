import { MemoryTree } from '../../tree/memory-tree.js'
import { buildKustomization } from './index.js'

/** `Kind/namespace/name file:line (via)` of every built object, in output order. */
function origins(files: Record<string, string>, dir: string): string[] {
  const r = buildKustomization(MemoryTree.fromRecord(files), dir, { reorder: 'none', loadRestrictor: 'LoadRestrictionsNone' })
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.code}: ${d.message}`).join('\n'))
  return r.objects.map((o, i) => {
    const at = r.origins?.[i]
    return `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name} ${at ? `${at.file}:${at.line ?? '?'}${at.via ? ` (${at.via})` : ''}` : '-'}`
  })
}

const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata: {a: "1"}\n`

describe('where the engine read each object', () => {
  it('points at the document in its own file, through a base, a prefix, a namespace and patches', () => {
    const files = {
      'base/kustomization.yaml': 'resources:\n- app.yaml\n',
      // Leading comments and a first document: the line is where the object's own document starts.
      'base/app.yaml': `# the app\n---\n${cm('settings')}---\n# the workload\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n`,
      'prod/kustomization.yaml': [
        'resources: [../base]',
        'namespace: prod',
        'namePrefix: prod-',
        'patches:',
        '- patch: |',
        '    apiVersion: apps/v1',
        '    kind: Deployment',
        '    metadata: {name: web}',
        '    spec: {replicas: 3}',
        '',
      ].join('\n'),
    }
    expect(origins(files, 'prod')).toEqual(['ConfigMap/prod/prod-settings base/app.yaml:3', 'Deployment/prod/prod-web base/app.yaml:10'])
  })

  it('points at each item of a List', () => {
    const list = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: one}\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: two}\n`
    expect(origins({ 'app/kustomization.yaml': 'resources: [list.yaml]\n', 'app/list.yaml': list }, 'app')).toEqual([
      'ConfigMap//one app/list.yaml:4',
      'ConfigMap//two app/list.yaml:7',
    ])
  })

  it('points a generated object at its generator entry, hash suffix and all', () => {
    const files = {
      'app/kustomization.yaml': [
        'resources: [cm.yaml]',
        'configMapGenerator:',
        '- name: first',
        '  literals: [a=1]',
        '- name: second',
        '  literals: [b=2]',
        'secretGenerator:',
        '  - name: token',
        '    literals: [t=x]',
        '',
      ].join('\n'),
      'app/cm.yaml': cm('plain'),
    }
    expect(origins(files, 'app')).toEqual([
      'ConfigMap//plain app/cm.yaml:1',
      expect.stringMatching(/^ConfigMap\/\/first-\w{10} app\/kustomization.yaml:3 \(configMapGenerator\)$/),
      expect.stringMatching(/^ConfigMap\/\/second-\w{10} app\/kustomization.yaml:5 \(configMapGenerator\)$/),
      expect.stringMatching(/^Secret\/\/token-\w{10} app\/kustomization.yaml:8 \(secretGenerator\)$/),
    ])
  })

  it('keeps the base entry for a generator an overlay merges into, as kustomize keeps its origin', () => {
    const files = {
      'base/kustomization.yaml': 'configMapGenerator:\n- name: settings\n  literals: [a=1]\n',
      'prod/kustomization.yaml': 'resources: [../base]\nconfigMapGenerator:\n- name: settings\n  behavior: merge\n  literals: [b=2]\n- name: extra\n  behavior: create\n  literals: [c=3]\n',
    }
    expect(origins(files, 'prod')).toEqual([
      expect.stringMatching(/^ConfigMap\/\/settings-\w+ base\/kustomization.yaml:2 \(configMapGenerator\)$/),
      expect.stringMatching(/^ConfigMap\/\/extra-\w+ prod\/kustomization.yaml:6 \(configMapGenerator\)$/),
    ])
  })

  it('points what a generators: plugin makes at its config, in a file or inline', () => {
    const files = {
      'app/kustomization.yaml': [
        'generators:',
        '- gen.yaml',
        '- |',
        '  apiVersion: builtin',
        '  kind: SecretGenerator',
        '  metadata: {name: inline}',
        '  literals: [k=v]',
        '',
      ].join('\n'),
      'app/gen.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: from-file\nliterals: [a=1]\n',
    }
    expect(origins(files, 'app').sort()).toEqual([
      expect.stringMatching(/^ConfigMap\/\/from-file-\w+ app\/gen.yaml:1 \(generator ConfigMapGenerator from-file\)$/),
      expect.stringMatching(/^Secret\/\/inline-\w+ app\/kustomization.yaml:3 \(generator SecretGenerator inline\)$/),
    ])
  })

  it('points at the file of a component that adds a resource', () => {
    const files = {
      'app/kustomization.yaml': 'resources: [cm.yaml]\ncomponents: [../extra]\n',
      'app/cm.yaml': cm('own'),
      'extra/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [more.yaml]\n',
      'extra/more.yaml': `# added by the component\n${cm('more')}`,
    }
    expect(origins(files, 'app')).toEqual(['ConfigMap//own app/cm.yaml:1', 'ConfigMap//more extra/more.yaml:2'])
  })
})
