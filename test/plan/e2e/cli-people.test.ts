/**
 * The CLI as people use it, on the shared example fleets: `get`, `check`, the diff filters and
 * defaults, and the messages for a folder that is not a repository.
 */
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parse as parseYaml } from 'yaml'
import { renderFleet } from '../../../src/core/render/render-fleet.js'
import { DiskTree } from '../../../src/infra/disk-tree.js'
import { describeWith } from '../../support/components.js'
import { commitTree, fluxgate, git, newRepo } from '../support/git-fixture.js'

const SHARED = join(process.cwd(), '..', 'shared', 'examples')
const HELM_EXAMPLE = join(SHARED, 'flux2-kustomize-helm-example')

/** Every `<example>/<label>` tree of ../shared/examples. */
function labels(): string[] {
  if (!existsSync(SHARED)) return []
  return readdirSync(SHARED)
    .filter((ex) => statSync(join(SHARED, ex)).isDirectory())
    .flatMap((ex) => readdirSync(join(SHARED, ex)).map((l) => join(SHARED, ex, l)).filter((d) => statSync(d).isDirectory()))
}

interface KsRow {
  cluster: string
  namespace: string
  name: string
  path: string
  status: string
  file: string
}

describeWith(['git'], 'fluxgate get and check on the shared example fleets', () => {
  const all = labels()

  it('get kustomizations lists every Flux Kustomization the render finds, the root flux-system included', async () => {
    expect(all.length).toBeGreaterThanOrEqual(8)
    for (const dir of all) {
      const fleet = await renderFleet(new DiskTree(dir), { revision: dir }, {})
      const expected = fleet.clusters.flatMap((c) => c.owners.filter((o) => o.ref.kind === 'Kustomization').map((o) => `${c.name} ${o.ref.namespace}/${o.ref.name}`)).sort()

      const r = await fluxgate(['get', 'kustomizations', '--repo', dir, '-o', 'json'])

      const rows = JSON.parse(r.stdout) as KsRow[]
      expect({ dir, listed: rows.map((k) => `${k.cluster} ${k.namespace}/${k.name}`).sort() }).toEqual({ dir, listed: expected })
      for (const c of fleet.clusters) expect({ dir, root: rows.some((k) => k.cluster === c.name && k.name === 'flux-system') }).toEqual({ dir, root: true })
    }
  }, 600_000)

  it('check exits 0 on every example that renders without errors, and 1 on none that does', async () => {
    for (const dir of all) {
      const fleet = await renderFleet(new DiskTree(dir), { revision: dir }, {})
      const errors = [...fleet.diagnostics, ...fleet.clusters.flatMap((c) => c.diagnostics)].filter((d) => d.severity === 'error')

      const r = await fluxgate(['check', '--repo', dir])

      expect({ dir, code: r.code }).toEqual({ dir, code: errors.length ? 1 : 0 })
      expect(r.stdout).toMatch(new RegExp(`Checked ${fleet.clusters.length} clusters?: `))
      for (const c of fleet.clusters) expect(r.stdout).toContain(`${c.name} (${c.path}): `)
    }
  }, 600_000)

  it('check exits 1 on a broken fleet, naming the file and line of the error, and the failing cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxgate-check-broken-'))
    try {
      cpSync(join(HELM_EXAMPLE, 'flux2.3-after'), dir, { recursive: true })
      writeFileSync(join(dir, 'apps/staging/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base/podinfo\n  - missing-values.yaml\n')

      const r = await fluxgate(['check', '--repo', dir])

      expect(r.code).toBe(1)
      expect(r.stdout).toMatch(/^FAIL staging \(clusters\/staging\): 1 error; /m)
      expect(r.stdout).toMatch(/^ok {3}production \(clusters\/production\): /m)
      expect(r.stdout).toMatch(/error \[kustomize\/[a-z-]+\] apps\/staging\/kustomization\.yaml:5: .*missing-values\.yaml/)
      expect(r.stdout).toMatch(/Checked 2 clusters \(1 failing\): .*; 1 error, /)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('get lists HelmReleases with chart and version, sources with their URL, clusters with counts; -o wide, yaml, --cluster', async () => {
    const dir = join(HELM_EXAMPLE, 'head')
    const hr = await fluxgate(['get', 'hr', '--repo', dir, '--cluster', 'staging'])
    const wide = await fluxgate(['get', 'helmreleases', '--repo', dir, '-o', 'wide', '--cluster', 'clusters/production'])
    const sources = await fluxgate(['get', 'sources', '--repo', dir, '-o', 'yaml'])
    const clusters = await fluxgate(['get', 'clusters', '--repo', dir])

    expect(hr.code).toBe(0)
    expect(hr.stdout.split('\n')[0]).toMatch(/^CLUSTER +NAMESPACE +NAME +CHART +VERSION +STATUS +FILE$/)
    expect(hr.stdout).toMatch(/^staging +podinfo +podinfo +podinfo +\S+ +values-only +apps\/base\/podinfo\/release\.yaml:1$/m)
    expect(hr.stdout).not.toContain('production')
    expect(wide.stdout.split('\n')[0]).toContain('PARENT')
    expect(wide.stdout).toMatch(/^production .* Kustomization\/flux-system\/apps /m)
    const listed = parseYaml(sources.stdout) as { kind: string; url: string; cluster: string }[]
    expect(listed).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'HelmRepository', url: 'https://stefanprodan.github.io/podinfo', cluster: 'staging' })]))
    expect(clusters.stdout).toMatch(/^production +clusters\/production +4 +3 +\d+ +0 +\d+$/m)
  })

  it('get refuses an unknown kind, an unknown cluster and an unknown format (exit 2)', async () => {
    const dir = join(HELM_EXAMPLE, 'head')
    const kind = await fluxgate(['get', 'pods', '--repo', dir])
    const cluster = await fluxgate(['get', 'ks', '--repo', dir, '--cluster', 'qa'])
    const format = await fluxgate(['get', 'ks', '--repo', dir, '-o', 'xml'])

    expect([kind.code, cluster.code, format.code]).toEqual([2, 2, 2])
    expect(kind.stderr).toContain("'pods' is not one of clusters, kustomizations, helmreleases, sources")
    expect(cluster.stderr).toContain('no cluster named qa: the render found production, staging')
    expect(format.stderr).toContain('-o must be one of table, wide, json, yaml')
  })
})

describeWith(['git'], 'fluxgate diff for people: text by default, filters, a folder that is not a repository', () => {
  let dir = ''

  beforeAll(() => {
    dir = newRepo()
    commitTree(dir, join(HELM_EXAMPLE, 'envoy-before'), 'ingress-nginx')
    git(dir, 'checkout', '-q', '-b', 'envoy')
    commitTree(dir, join(HELM_EXAMPLE, 'envoy-after'), 'Migrate ingress to Envoy Gateway')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  const diff = (...args: string[]) => fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'envoy', ...args], {}, true)

  it('prints text by default, coloured on a terminal, plain with --no-color or NO_COLOR; markdown only when asked, verdict first', async () => {
    const text = await diff()
    const plain = await diff('--no-color')
    const noColorEnv = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'envoy'], { NO_COLOR: '1' }, true)
    const markdown = await diff('--format', 'markdown')

    expect(text.stdout).toContain('\u001b[')
    expect(text.stdout).toContain('Cluster production (clusters/production)')
    expect(plain.stdout).not.toContain('\u001b[')
    const timeless = (t: string): string => t.replace(/^Rendered .* in .*$/m, 'Rendered')
    expect(timeless(noColorEnv.stdout)).toBe(timeless(plain.stdout))
    expect(plain.stdout).toMatch(/^Gate: failure \(Blocked: /m)
    expect(markdown.stdout.split('\n')[0]).toMatch(/^## ❌ Fluxgate: merge blocked · \d+ to add, \d+ to change, 6 to delete$/)
    expect(markdown.stdout).toMatch(/\/fluxgate approve [0-9a-f]{40}\n/)
  })

  it('--kind HelmRelease shows only HelmReleases; --cluster, --namespace, --name and --owner narrow the same way', async () => {
    type Report = { clusters: { name: string; changes: { kind: string; namespace: string | null; name: string; owner: string }[] }[]; gate: { conclusion: string } }
    const all = JSON.parse((await diff('--format', 'json')).stdout) as Report
    const hr = JSON.parse((await diff('--format', 'json', '--kind', 'helmrelease')).stdout) as Report
    const staging = JSON.parse((await diff('--format', 'json', '--cluster', 'staging', '--namespace', 'ingress-nginx')).stdout) as Report
    const owned = JSON.parse((await diff('--format', 'json', '--owner', 'flux-system/infra-configs', '--name', 'letsencrypt')).stdout) as Report
    const text = await diff('--no-color', '--kind', 'HelmRelease')

    const kinds = hr.clusters.flatMap((c) => c.changes.map((ch) => ch.kind))
    expect(kinds.length).toBeGreaterThan(0)
    expect(new Set(kinds)).toEqual(new Set(['HelmRelease']))
    expect(hr.clusters.flatMap((c) => c.changes)).toHaveLength(all.clusters.flatMap((c) => c.changes.filter((ch) => ch.kind === 'HelmRelease')).length)
    expect(staging.clusters.map((c) => c.name)).toEqual(['staging'])
    expect(staging.clusters[0]!.changes.length).toBeGreaterThan(0)
    expect(staging.clusters[0]!.changes.every((ch) => ch.namespace === 'ingress-nginx')).toBe(true)
    expect(owned.clusters.flatMap((c) => c.changes.map((ch) => `${ch.owner} ${ch.name}`))).toEqual(['Kustomization/flux-system/infra-configs letsencrypt', 'Kustomization/flux-system/infra-configs letsencrypt'])
    // The gate judges the whole change, whatever is shown.
    expect(hr.gate.conclusion).toBe(all.gate.conclusion)
    expect(text.stderr).toMatch(/^fluxgate diff: showing \d+ of \d+ object changes \(filtered\)$/m)
    expect(text.stdout.split('\n').filter((l) => /^ {4}[+~\->] /.test(l)).every((l) => / HelmRelease\//.test(l))).toBe(true)
  })

  it('says a folder is not a Git repository instead of "no such commit"', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'fluxgate-not-a-repo-'))
    try {
      cpSync(join(HELM_EXAMPLE, 'head'), plain, { recursive: true })
      const d = await fluxgate(['diff', '--repo', plain, '--base', 'main'])
      const r = await fluxgate(['render', '--repo', plain, '--ref', 'main'])
      const missing = await fluxgate(['render', '--repo', join(plain, 'nowhere')])

      expect(d.code).toBe(2)
      expect(d.stderr).toContain(`${plain} is not a Git repository: diff compares two commits`)
      expect(d.stderr).not.toContain('no such commit')
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`${plain} is not a Git repository: --ref reads a commit from git`)
      expect(missing.code).toBe(2)
      expect(missing.stderr).toContain('nowhere: no such folder')
      // Without --ref the files on disk render, repository or not.
      expect((await fluxgate(['render', '--repo', plain])).code).toBe(0)
    } finally {
      rmSync(plain, { recursive: true, force: true })
    }
  })
})
