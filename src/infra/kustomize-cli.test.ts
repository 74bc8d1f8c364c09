import { MemoryTree } from '../core/tree/memory-tree.js'
import { buildKustomization, serializeObjects } from '../core/render/kustomize/index.js'
import { describeWith, kubectlPath } from '../../test/support/components.js'
import { KustomizeCli } from './kustomize-cli.js'

const tree = MemoryTree.fromRecord({
  'app/kustomization.yaml': 'namePrefix: dev-\ncommonLabels:\n  app: web\nresources:\n- deploy.yaml\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - A=1\n',
  'app/deploy.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: web',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx',
    '        envFrom:',
    '        - configMapRef:',
    '            name: cfg',
    '',
  ].join('\n'),
  'broken/kustomization.yaml': 'resources:\n- missing.yaml\n',
})

describeWith(['kubectl'], 'KustomizeCli (real kubectl kustomize)', () => {
  const cli = new KustomizeCli({ binary: kubectlPath() as string })

  it('builds a tree and agrees with the builtin engine', () => {
    const ref = cli.build(tree, 'app', { reorder: 'legacy' })
    expect(ref.ok).toBe(true)
    const names = ref.objects.map((o) => `${o.kind}/${o.metadata.name}`)
    expect(names[0]).toMatch(/^ConfigMap\/dev-cfg-[a-z0-9]{10}$/)
    expect(names[1]).toBe('Deployment/dev-web')
    const ours = buildKustomization(tree, 'app', { reorder: 'legacy' })
    expect(serializeObjects(ours.objects)).toBe(serializeObjects(ref.objects))
  })

  it('reports a failing build as a diagnostic without temp paths', () => {
    const r = cli.build(tree, 'broken')
    expect(r.ok).toBe(false)
    expect(r.diagnostics[0]?.code).toBe('kustomize/build-failed')
    expect(r.diagnostics[0]?.message).toContain('missing.yaml')
    expect(r.diagnostics[0]?.message).not.toContain('fluxgate-kustomize-')
  })
})
