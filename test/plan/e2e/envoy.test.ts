import { join } from 'node:path'
import { rmSync, writeFileSync, appendFileSync } from 'node:fs'
import { describeWith } from '../../support/components.js'
import { commitTree, fluxgate, git, newRepo, type CliRun } from '../support/git-fixture.js'

const EXAMPLE = join(process.cwd(), '../shared/examples/flux2-kustomize-helm-example')

interface JsonChange {
  action: string
  kind: string
  namespace: string | null
  name: string
  owner: string
  prune: string | null
  fields: { path: string; before?: unknown; after?: unknown }[]
  diff: string
}
interface JsonReport {
  clusters: { name: string; path: string; changes: JsonChange[] }[]
}

function find(c: JsonReport['clusters'][number], kind: string, name: string): JsonChange | undefined {
  return c.changes.find((x) => x.kind === kind && x.name === name)
}

describeWith(['git'], 'fluxgate diff: flux2-kustomize-helm-example envoy-before → envoy-after', () => {
  let dir = ''
  let json: CliRun

  beforeAll(async () => {
    dir = newRepo()
    commitTree(dir, join(EXAMPLE, 'envoy-before'), 'ingress-nginx')
    git(dir, 'checkout', '-q', '-b', 'envoy')
    commitTree(dir, join(EXAMPLE, 'envoy-after'), 'Migrate ingress to Envoy Gateway')
    // Drift on main after the branch point must not show up: the head is compared to the merge base.
    git(dir, 'checkout', '-q', 'main')
    appendFileSync(join(dir, 'apps/base/podinfo/namespace.yaml'), '  annotations:\n    drift.example.com/on-main: "true"\n')
    writeFileSync(join(dir, 'infrastructure/configs/drift.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: drift-only-on-main, namespace: default}\n')
    git(dir, 'add', '-A')
    git(dir, 'commit', '-q', '-m', 'drift on main')
    json = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'envoy', '--format', 'json', '--offline'])
  }, 180_000)

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('plans both clusters and exits 0', () => {
    expect(json.stderr).not.toMatch(/^error /m)
    expect(json.code).toBe(0)
    const report = JSON.parse(json.stdout) as JsonReport
    expect(report.clusters.map((c) => c.name).sort()).toEqual(['production', 'staging'])
  })

  it('puts the ingress-nginx Namespace, HelmRepository and HelmRelease in the prune plan as deletions', () => {
    const report = JSON.parse(json.stdout) as JsonReport
    for (const c of report.clusters) {
      expect(find(c, 'Namespace', 'ingress-nginx')).toMatchObject({ action: 'removed', prune: 'delete' })
      expect(find(c, 'HelmRepository', 'ingress-nginx')).toMatchObject({ action: 'removed', prune: 'delete', namespace: 'ingress-nginx' })
      expect(find(c, 'HelmRelease', 'ingress-nginx')).toMatchObject({ action: 'removed', prune: 'delete', namespace: 'ingress-nginx' })
    }
  })

  it('shows the letsencrypt ClusterIssuer as a change, with the production ACME server patch still applied', () => {
    const report = JSON.parse(json.stdout) as JsonReport
    for (const c of report.clusters) {
      const issuer = find(c, 'ClusterIssuer', 'letsencrypt')!
      expect(issuer.action).toBe('changed')
      expect(issuer.diff).toMatch(/\+\s+gatewayHTTPRoute:/)
      expect(issuer.fields.some((f) => f.path.startsWith('spec/acme/server'))).toBe(false)
      const server = c.name === 'production' ? 'https://acme-v02.api.letsencrypt.org/directory' : 'https://acme-staging-v02.api.letsencrypt.org/directory'
      expect(issuer.diff).toContain(`server: ${server}`)
    }
  })

  it('shows the podinfo HelmRelease values change', () => {
    const report = JSON.parse(json.stdout) as JsonReport
    for (const c of report.clusters) {
      const podinfo = find(c, 'HelmRelease', 'podinfo')!
      expect(podinfo.action).toBe('changed')
      expect(podinfo.fields.some((f) => f.path.startsWith('spec/values/httpRoute'))).toBe(true)
      expect(podinfo.diff).toContain('+    httpRoute:')
    }
  })

  it('lists the added Envoy Gateway objects and ignores drift on the base branch', () => {
    const report = JSON.parse(json.stdout) as JsonReport
    for (const c of report.clusters) {
      expect(find(c, 'Namespace', 'envoy-gateway-system')?.action).toBe('added')
      expect(find(c, 'HelmRelease', 'envoy-gateway')?.action).toBe('added')
      expect(find(c, 'ConfigMap', 'drift-only-on-main')).toBeUndefined()
      expect(c.changes.some((x) => x.diff.includes('drift.example.com'))).toBe(false)
    }
  })

  it('renders the PR comment, the full markdown and coloured text', async () => {
    const comment = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'envoy', '--format', 'comment', '--offline'])
    const text = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'envoy', '--format', 'text', '--offline'], {}, true)
    const plain = await fluxgate(['diff', '--repo', dir, '--base', 'main', '--head', 'envoy', '--format', 'text', '--offline'], { NO_COLOR: '1' }, true)

    expect(comment.stdout.startsWith('<!-- fluxgate:plan -->')).toBe(true)
    expect(comment.stdout).toContain('### 🗑️ Prune plan')
    expect(comment.stdout).toMatch(/`Namespace\/ingress-nginx`/)
    expect(text.stdout).toContain('\u001b[')
    expect(plain.stdout).not.toContain('\u001b[')
    expect(plain.stdout).toMatch(/- Namespace\/ingress-nginx \(delete\)/)
  })
})

describe('fluxgate diff usage', () => {
  it('exits 2 without --base or with an unknown format', async () => {
    const noBase = await fluxgate(['diff', '--repo', '.'])
    const badFormat = await fluxgate(['diff', '--base', 'main', '--format', 'yaml'])

    expect(noBase.code).toBe(2)
    expect(noBase.stderr).toContain('--base REF is required')
    expect(badFormat.code).toBe(2)
    expect(badFormat.stderr).toContain('--format must be one of')
  })

  it('prints its help', async () => {
    const help = await fluxgate(['diff', '--help'])

    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Usage: fluxgate diff')
  })
})
