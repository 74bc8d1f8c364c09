import { MemoryTree } from '../tree/memory-tree.js'
import { bootstrapKustomization, clusterEntries, clusterEntry, discoverClusters, findFluxObjects } from './clusters.js'
import { normalizeGitUrl, sameRepository } from './repo-url.js'
import { MAX_YAML_BYTES, parseYamlDocs } from './yaml-docs.js'

const ks = (name: string): string => `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  prune: true\n`

describe('cluster discovery', () => {
  it('takes each folder under clusters/ that holds a Flux object, in any served version', () => {
    const t = MemoryTree.fromRecord({
      'clusters/prod/apps.yaml': ks('apps'),
      'clusters/old/apps.yaml': ks('apps').replace('/v1', '/v1beta2'),
      'clusters/notes/readme.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      'clusters/empty.yaml': ks('x'),
    })
    expect(discoverClusters(t).entries).toEqual([
      { name: 'old', path: 'clusters/old' },
      { name: 'prod', path: 'clusters/prod' },
    ])
  })

  it('finds nested bootstrap folders (clusters/<env>/<region>) and names them by their path', () => {
    const t = MemoryTree.fromRecord({
      'clusters/production/eu-west-1/flux-system/gotk-sync.yaml': ks('flux-system'),
      'clusters/production/eu-west-1/apps.yaml': ks('apps'),
      'clusters/production/us-east-1/flux-system/gotk-sync.yaml': ks('flux-system'),
      'clusters/staging/flux-system/gotk-sync.yaml': ks('flux-system'),
      'clusters/staging/sub/infra.yaml': ks('infra'),
      'clusters/shared/deep/apps.yaml': ks('apps'),
    })

    expect(discoverClusters(t).entries).toEqual([
      { name: 'production/eu-west-1', path: 'clusters/production/eu-west-1' },
      { name: 'production/us-east-1', path: 'clusters/production/us-east-1' },
      { name: 'shared/deep', path: 'clusters/shared/deep' },
      { name: 'staging', path: 'clusters/staging' },
    ])
  })

  it('names explicit paths by base name, or by whole path where base names collide', () => {
    expect(clusterEntries(['clusters/staging', 'eu/prod', 'us/prod'])).toEqual([
      { name: 'staging', path: 'clusters/staging' },
      { name: 'eu/prod', path: 'eu/prod' },
      { name: 'us/prod', path: 'us/prod' },
    ])
  })

  it('builds the bootstrap Kustomization for an entry path (G-9)', () => {
    const k = bootstrapKustomization(clusterEntry('./clusters/staging/'))
    expect(k.metadata).toEqual({ name: 'flux-system', namespace: 'flux-system' })
    expect(k['spec']).toMatchObject({ path: './clusters/staging', prune: true, sourceRef: { kind: 'GitRepository', name: 'flux-system' } })
  })

  it('keeps file and line of every Flux object and reports broken YAML with its line', () => {
    const t = MemoryTree.fromRecord({ 'c/a.yaml': `${ks('one')}---\n${ks('two')}`, 'c/bad.yaml': 'a: [1,\nb: }\n' })
    const r = findFluxObjects(t, 'c')
    expect(r.objects.map((o) => [o.object.metadata.name, o.file, o.line])).toEqual([
      ['one', 'c/a.yaml', 1],
      ['two', 'c/a.yaml', 9],
    ])
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml/syntax', severity: 'error', location: { file: 'c/bad.yaml' } })
  })

  it('refuses huge files with a located diagnostic', () => {
    const r = parseYamlDocs(new Uint8Array(MAX_YAML_BYTES + 1), 'big.yaml')
    expect(r.diagnostics[0]).toMatchObject({ code: 'yaml/too-large', location: { file: 'big.yaml' } })
  })
})

describe('repository URL matching (G-1)', () => {
  it('normalises host case, user info, .git and scp style', () => {
    expect(normalizeGitUrl('https://GitHub.com/fluxcd/flux2-kustomize-helm-example.git/')).toBe('github.com/fluxcd/flux2-kustomize-helm-example')
    expect(sameRepository('ssh://git@github.com/org/repo', 'https://github.com/org/repo.git')).toBe(true)
    expect(sameRepository('git@github.com:org/repo.git', 'https://github.com/org/repo')).toBe(true)
    expect(sameRepository('https://github.com/org/repo', 'https://github.com/org/other')).toBe(false)
  })
})
