import { MemoryTree } from '../../tree/memory-tree.js'
import { findOrGenerateKustomization } from './generate.js'
import { applyFluxOverlay, mergeImages } from './overlay.js'

const cm = (name: string): string => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`

describe('generated kustomization (K-3 … K-5)', () => {
  it('lists files in walk order, keeps sub-kustomizations whole, skips other extensions (spec example)', () => {
    const t = MemoryTree.fromRecord({
      'apps/web/deploy.yaml': cm('d'),
      'apps/web/svc.yml': cm('s'),
      'apps/web/notes.md': '# no',
      'apps/web/base/kustomization.yaml': 'resources: [x.yaml]',
      'apps/web/base/x.yaml': cm('x'),
      'apps/web/extra/cm.yaml': cm('c'),
      'apps/web/cfg.json': '{}',
      'apps/web/.hidden.yaml': cm('h'),
    })
    const r = findOrGenerateKustomization(t, 'apps/web')
    expect(r).toEqual({
      ok: true,
      generated: true,
      file: 'apps/web/kustomization.yaml',
      content: { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', resources: ['./.hidden.yaml', './base', './deploy.yaml', './extra/cm.yaml', './svc.yml'] },
    })
  })

  it('uses the placeholder namespace when nothing is found (K-5)', () => {
    const r = findOrGenerateKustomization(MemoryTree.fromRecord({ 'e/readme.md': 'x' }), 'e')
    expect(r.ok && r.content).toEqual({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', namespace: '_placeholder' })
  })

  it('fails the whole Kustomization on non-Kubernetes YAML such as a values file (K-4)', () => {
    const r = findOrGenerateKustomization(MemoryTree.fromRecord({ 'p/a.yaml': cm('a'), 'p/values.yaml': 'replicas: 2\n' }), 'p')
    expect(r.ok).toBe(false)
    expect(!r.ok && r.diagnostic).toMatchObject({ code: 'kustomize/not-kubernetes-yaml', location: { file: 'p/values.yaml', line: 1 } })
  })

  it('prefers kustomization.yaml over .yml over Kustomization (K-3)', () => {
    const t = MemoryTree.fromRecord({ 'd/Kustomization': 'namePrefix: c-', 'd/kustomization.yml': 'namePrefix: b-' })
    const r = findOrGenerateKustomization(t, 'd')
    expect(r.ok && [r.file, r.generated]).toEqual(['d/kustomization.yml', false])
  })
})

describe('Flux overlay (K-7 … K-10)', () => {
  const t = MemoryTree.fromRecord({ 'app/kustomization.yaml': '', 'app/comp/kustomization.yaml': '' })

  it('replaces namespace/prefix/suffix, appends patches and components in order', () => {
    const r = applyFluxOverlay(
      { resources: ['a.yaml'], namespace: 'user', namePrefix: 'u-', patches: [{ path: 'p.yaml' }], components: ['./mine'] },
      false,
      { targetNamespace: 'prod', namePrefix: 'f-', nameSuffix: '-x', patches: [{ patch: 'op', target: { kind: 'Deployment' } }], components: ['./comp'] },
      t,
      'app',
    )
    expect(r).toEqual({
      ok: true,
      content: {
        resources: ['a.yaml'],
        namespace: 'prod',
        namePrefix: 'f-',
        nameSuffix: '-x',
        patches: [{ path: 'p.yaml' }, { patch: 'op', target: { kind: 'Deployment' } }],
        components: ['./mine', './comp'],
      },
    })
  })

  it('sets originAnnotations on a user file without resources, not on a generated one (K-7)', () => {
    expect(applyFluxOverlay({ components: ['./c'] }, false, {}, t, 'app')).toEqual({ ok: true, content: { components: ['./c'], buildMetadata: ['originAnnotations'] } })
    expect(applyFluxOverlay({ namespace: '_placeholder' }, true, {}, t, 'app')).toEqual({ ok: true, content: { namespace: '_placeholder' } })
  })

  it('rejects remote components and drops missing ones only with ignoreMissingComponents (K-10)', () => {
    expect(applyFluxOverlay({}, true, { components: ['https://github.com/x/y'] }, t, 'app')).toMatchObject({ ok: false })
    expect(applyFluxOverlay({}, true, { components: ['./gone', './comp'], ignoreMissingComponents: true }, t, 'app')).toEqual({ ok: true, content: { components: ['./comp'] } })
    expect(applyFluxOverlay({}, true, { components: ['./gone'] }, t, 'app')).toEqual({ ok: true, content: { components: ['./gone'] } })
  })

  it('merges images by name: newTag and digest replace as a pair (K-9, kc >= 1.9.4)', () => {
    expect(mergeImages([{ name: 'web', newName: 'reg.example/web', digest: 'sha256:aaa' }], [{ name: 'web', newTag: '2.0' }, { name: 'db', newTag: '1' }])).toEqual([
      { name: 'web', newName: 'reg.example/web', newTag: '2.0' },
      { name: 'db', newTag: '1' },
    ])
  })
})
