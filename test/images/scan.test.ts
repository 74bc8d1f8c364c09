import { findImageObjects } from '../../src/core/images/objects.js'
import { fluxPolicyEngine } from '../../src/core/images/policy-engine.js'
import { scanImages } from '../../src/core/images/scan.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { HttpRegistryClient } from '../../src/infra/registry/index.js'
import { describeWith } from '../support/components.js'
import { pushTags } from '../support/push-image.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'

function repoYaml(name: string, image: string, extra = ''): string {
  return `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: ${name}, namespace: flux-system}\nspec:\n  image: ${image}\n  insecure: true\n${extra}`
}
function policyYaml(name: string, repo: string, policy: string): string {
  return `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: ${name}, namespace: flux-system}\nspec:\n  imageRepositoryRef: {name: ${repo}}\n  policy: ${policy}\n`
}

describeWith(['docker-registry'], 'scanImages against a real registry', () => {
  let reg: TestRegistry
  beforeAll(async () => {
    reg = await startRegistry('none')
    await pushTags(reg.url, 'team/app', ['1.0.0', '1.1.0', '1.1.0.sig', '2.0.0-rc.1', 'debug-1.5.0'])
  })
  afterAll(() => reg.stop())

  it('applies the default and a custom exclusion list before the policy (I-2)', async () => {
    const tree = MemoryTree.fromRecord({
      'images.yaml': [
        repoYaml('default', `${reg.host}/team/app`),
        repoYaml('custom', `${reg.host}/team/app`, '  exclusionList: ["^1\\\\.1"]\n'),
        policyYaml('alpha-default', 'default', '{alphabetical: {order: asc}}'),
        policyYaml('semver-custom', 'custom', '{semver: {range: ">=1.0.0"}}'),
      ].join(''),
    })

    const scan = await scanImages(findImageObjects(tree), { registry: new HttpRegistryClient({ allowInsecure: true }), engine: fluxPolicyEngine })

    expect(scan.policies.map((p) => [p.key, p.latest?.tag, p.candidates])).toEqual([
      ['flux-system:alpha-default', 'debug-1.5.0', 4],
      ['flux-system:semver-custom', '1.0.0', 3],
    ])
  })

  it('reports each problem once with a stable code, and carries on with the other policies', async () => {
    const tree = MemoryTree.fromRecord({
      'images.yaml': [
        repoYaml('app', `${reg.host}/team/app`),
        repoYaml('gone', `${reg.host}/team/gone`),
        policyYaml('ok', 'app', '{semver: {range: "~1.0"}}'),
        policyYaml('none', 'app', '{semver: {range: ">=9.0.0"}}'),
        policyYaml('dangling', 'missing', '{semver: {range: "*"}}'),
        policyYaml('gone-1', 'gone', '{semver: {range: "*"}}'),
        policyYaml('gone-2', 'gone', '{semver: {range: "*"}}'),
      ].join(''),
    })

    const scan = await scanImages(findImageObjects(tree), { registry: new HttpRegistryClient({ allowInsecure: true }), engine: fluxPolicyEngine })

    expect(scan.policies.find((p) => p.key === 'flux-system:ok')?.latest?.tag).toBe('1.0.0')
    expect(scan.diagnostics.map((d) => d.code).sort()).toEqual(['images/no-tag-selected', 'images/registry-not-found', 'images/repository-not-found'])
  })
})
