import { planChange } from '../../src/core/diff/plan-change.js'
import { defaultGateConfig, evaluateGate, GATE_RULES, type Approval } from '../../src/core/gate/index.js'
import type { Diagnostic } from '../../src/core/diagnostics/index.js'
import type { FleetRender, Plan } from '../../src/core/model/index.js'
import { renderComment, renderNoChange, type ReviewView } from '../../src/report/index.js'
import { demoFleets } from './support/demo-fleet.js'
import { cluster, fleet, ks, objs } from './support/fleet.js'
import { expectGolden as golden } from './support/golden.js'

// The sticky comment as reviewers read it, verdict first. Golden files: regenerate with
// `npm run test:update-goldens` and review the diff before committing.

const BASE = '1556b4265c9d0f0d3c05bb4e64d530af719892af'
const HEAD = '7c6e245ac4e2498361cb6f9ad0f8b616c617bdc4'

function review(plan: Plan, approvals: Approval[] = []): ReviewView {
  // The hand-built demo objects are abbreviated (a Deployment without a selector): schema
  // validation is not what these files show.
  const config = { ...defaultGateConfig(), policies: { 'invalid-object': 'off' as const } }
  const verdict = evaluateGate({ plan, config, approvals, headSha: plan.head.sha, changedFiles: [] })
  return { verdict, approvals, approveLabel: 'fluxgate/approved', rules: GATE_RULES }
}

function comment(plan: Plan, view: ReviewView): string {
  const parts = renderComment(plan, { review: view, commands: true, fullReport: 'the [job summary](https://github.com/acme/fleet/actions/runs/4242)' })
  expect(parts).toHaveLength(1)
  return parts[0]!
}

/** Clusters whose apps Kustomization runs podinfo at `tag`; `failing` adds a Kustomization that fails in staging, `diagnostics` are staging's. */
function podinfoFleet(revision: string, tag: string, opts: { clusters?: string[]; failing?: boolean; diagnostics?: Diagnostic[] } = {}): FleetRender {
  const clusters = (opts.clusters ?? ['staging', 'production']).map((name) => {
    const entry = ks('flux-system')
    const apps = ks('apps', { parent: entry.ref })
    const owners = [entry, apps]
    const objects = objs(apps, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: podinfo, namespace: podinfo}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: podinfo
          image: ghcr.io/stefanprodan/podinfo:${tag}
`)
    if (opts.failing && name === 'staging') owners.push(ks('monitoring', { parent: entry.ref, status: 'failed', note: 'kustomize build failed' }))
    const c = cluster(name, owners, objects)
    return name === 'staging' && opts.diagnostics ? { ...c, diagnostics: opts.diagnostics } : c
  })
  return fleet(revision, clusters, 2140)
}

describe('the sticky comment, verdict first (golden files)', () => {
  it('blocked: the blocking rule linked with its meaning, who may approve and the exact command with the full head SHA', () => {
    const { base, head } = demoFleets()
    const plan = planChange(base, head, { baseRef: 'main', headRef: 'envoy-gateway' })
    const text = comment(plan, review(plan))

    expect(text.split('\n')[1]).toBe('## ❌ Fluxgate: merge blocked · 8 to add, 8 to change, 8 to delete, 2 to orphan')
    expect(text).toContain(`/fluxgate approve ${HEAD}\n`)
    golden('review-blocked.md', text)
  })

  it('approved: who approved which commit', () => {
    const { base, head } = demoFleets()
    const plan = planChange(base, head, { baseRef: 'main', headRef: 'envoy-gateway' })
    const text = comment(plan, review(plan, [{ sha: HEAD, by: 'alice', via: 'comment' }]))

    expect(text.split('\n')[1]).toBe('## ✅ Fluxgate: approved · 8 to add, 8 to change, 8 to delete, 2 to orphan')
    expect(text).toContain(`**Approval**: \`alice\` (\`/fluxgate approve\`, for \`${HEAD}\`).`)
    golden('review-approved.md', text)
  })

  it('passing: one change in one cluster', () => {
    const plan = planChange(podinfoFleet(BASE, '6.9.1', { clusters: ['production'] }), podinfoFleet(HEAD, '6.9.2', { clusters: ['production'] }), { baseRef: 'main', headRef: 'bump-podinfo' })
    const text = comment(plan, review(plan))

    expect(text.split('\n')[1]).toBe('## ✅ Fluxgate: passes · 1 to change')
    golden('review-passing.md', text)
  })

  it('head failing to render: the headline says so, never "no changes", and repeated warnings share one line', () => {
    const warnings: Diagnostic[] = ['podinfo', 'grafana', 'loki', 'tempo', 'mimir'].map((name, i) => ({
      code: 'helm/values-only',
      severity: 'warning',
      message: `remote chart oci://ghcr.io/charts/${name} not fetched (remote charts are not allowed); comparing values and chart version only`,
      location: { file: `apps/${name}/release.yaml`, line: 1 + i },
      cluster: 'staging',
      owner: `HelmRelease/${name}/${name}`,
    }))
    const error: Diagnostic = {
      code: 'kustomize/missing-resource',
      severity: 'error',
      message: "resource 'dashboards.yaml' not found",
      location: { file: 'monitoring/kustomization.yaml', line: 4 },
      cluster: 'staging',
      owner: 'Kustomization/flux-system/monitoring',
    }
    const plan = planChange(podinfoFleet(BASE, '6.9.1', { diagnostics: warnings }), podinfoFleet(HEAD, '6.9.1', { failing: true, diagnostics: [error, ...warnings] }), { baseRef: 'main', headRef: 'monitoring' })
    const text = comment(plan, review(plan))

    expect(text.split('\n')[1]).toBe('## ❌ Fluxgate: merge blocked · head does not render: 1 error; 1 to add where it renders')
    expect(text).not.toContain('no changes')
    expect(text).toContain('(and 4 like it: `apps/podinfo/release.yaml:1`, `apps/grafana/release.yaml:2`, `apps/loki/release.yaml:3` and 2 more)')
    golden('review-head-fails.md', text)
  })

  it('no rendered change: the note an existing comment is edited to (no new comment is posted)', () => {
    const plan = planChange(podinfoFleet(BASE, '6.9.1'), podinfoFleet(HEAD, '6.9.1'), { baseRef: 'main', headRef: 'docs-only' })
    const text = renderNoChange(plan, review(plan), { commands: true })

    expect(text.split('\n')[1]).toBe('## ✅ Fluxgate: passes · no rendered change')
    golden('review-no-change.md', text)
  })

  it('identical change in two clusters: shown once, naming both', () => {
    const plan = planChange(podinfoFleet(BASE, '6.9.1'), podinfoFleet(HEAD, '6.9.2'), { baseRef: 'main', headRef: 'bump-podinfo' })
    const text = comment(plan, review(plan))

    expect(text.match(/image: ghcr.io\/stefanprodan\/podinfo:6.9.2/g)).toHaveLength(1)
    expect(text).toContain('### Clusters `staging`, `production` · the same in each')
    expect(text).toContain('<summary><b>Kustomization flux-system/apps</b> · clusters staging, production · 1 to change</summary>')
    golden('review-identical-clusters.md', text)
  })
})
