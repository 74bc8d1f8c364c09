import { rmSync } from 'node:fs'
import type { Diagnostic } from '../../src/core/diagnostics/diagnostic.js'
import { describeWith } from '../support/components.js'
import { CASES } from './cases.js'
import { allDiagnostics, broken, buildCli, cli, commit, leaks, newFleetRepo, renderCommit, rendered } from './support.js'

/** What breaking one thing must produce. */
interface Expectation {
  code: string
  severity: Diagnostic['severity']
  file: string
  /** 1-based line; undefined where the engine gives none (see the report). */
  line?: number
  /** Text the message must hold (a variable name, a chain), never a value. */
  says?: string[]
  /** Objects of the staging cluster that still render (`Owner/name Kind/name`). */
  kept: string[]
  /** Objects of the staging cluster that must not be there. */
  gone?: string[]
}

const INFRA = 'Kustomization/infra Namespace/apps'
const APP = 'Kustomization/apps ConfigMap/app-config'
const WEB = 'HelmRelease/web ConfigMap/web-config'

const EXPECT: Record<keyof typeof CASES, Expectation> = {
  yamlSyntax: { code: 'kustomize/not-kubernetes-yaml', severity: 'error', file: 'apps/staging/extra.yaml', line: 8, kept: [INFRA], gone: [APP] },
  noKind: { code: 'kustomize/not-kubernetes-yaml', severity: 'error', file: 'apps/staging/extra.yaml', line: 1, says: ["'kind' is required"], kept: [INFRA], gone: [APP] },
  noName: { code: 'kustomize/not-kubernetes-yaml', severity: 'error', file: 'apps/staging/extra.yaml', line: 2, says: ['metadata.name'], kept: [INFRA], gone: [APP] },
  valuesYaml: { code: 'kustomize/not-kubernetes-yaml', severity: 'error', file: 'apps/staging/values.yaml', line: 1, says: ['K-4'], kept: [INFRA], gone: [APP] },
  missingResource: { code: 'kustomize/missing-resource', severity: 'error', file: 'apps/staging/kustomization.yaml', line: 6, says: ['missing.yaml'], kept: [INFRA], gone: [APP] },
  escapeDotDot: { code: 'kustomize/outside-root', severity: 'error', file: 'apps/staging/kustomization.yaml', line: 6, says: ['leaves the repository root'], kept: [INFRA], gone: [APP] },
  escapeSymlink: { code: 'kustomize/missing-resource', severity: 'error', file: 'apps/staging/kustomization.yaml', line: 6, says: ['apps/staging/link.yaml is a symlink', 'G-3'], kept: [INFRA], gone: [APP] },
  dependsOnCycle: {
    code: 'render/dependency-cycle',
    severity: 'error',
    file: 'clusters/staging/apps.yaml',
    line: 1,
    says: ['Kustomization/flux-system/apps → Kustomization/flux-system/infra → Kustomization/flux-system/apps'],
    kept: [INFRA, APP, WEB],
  },
  // Applying itself is legal (issue 21): no cycle; but `loop` now applies what `apps` applies, and the two fight over it.
  selfCycle: { code: 'render/duplicate-object', severity: 'warning', file: 'apps/staging/app.yaml', line: 1, says: ['is applied by both Kustomization/flux-system/apps and Kustomization/flux-system/loop'], kept: [INFRA, APP, WEB] },
  missingSource: { code: 'render/source-unavailable', severity: 'error', file: 'clusters/staging/apps.yaml', line: 1, says: ['nowhere'], kept: [INFRA], gone: [APP] },
  // An invalid Flux object fails the Kustomization that applies it (the API server rejects it): here the cluster's entry.
  dependsOnNotList: { code: 'render/invalid-flux-object', severity: 'error', file: 'clusters/staging/apps.yaml', line: 1, says: ['spec.dependsOn', 'must be of type array'], kept: [], gone: [INFRA, APP] },
  pathNotString: { code: 'render/invalid-flux-object', severity: 'error', file: 'clusters/staging/apps.yaml', line: 1, says: ['spec.path', 'must be of type string'], kept: [], gone: [INFRA, APP] },
  missingPath: { code: 'render/path-not-found', severity: 'error', file: 'clusters/staging/apps.yaml', line: 1, says: ['kustomization path not found', './apps/nowhere'], kept: [INFRA], gone: [APP] },
  hugeFile: { code: 'kustomize/not-kubernetes-yaml', severity: 'error', file: 'apps/staging/huge.yaml', says: ['larger than'], kept: [INFRA], gone: [APP] },
  aliasBomb: { code: 'kustomize/not-kubernetes-yaml', severity: 'error', file: 'apps/staging/bomb.yaml', line: 13, says: ['alias'], kept: [INFRA], gone: [APP] },
  sopsNoDecryption: { code: 'render/sops-not-decrypted', severity: 'error', file: 'apps/staging/db.sops.yaml', line: 1, says: ['Secret/apps/db is SOPS encrypted', 'no decryption'], kept: [INFRA], gone: [APP] },
  sopsWithDecryption: { code: 'render/sops-encrypted', severity: 'info', file: 'apps/staging/db.sops.yaml', line: 1, says: ['never decrypted'], kept: [INFRA, APP, WEB, 'Kustomization/apps Secret/db'] },
  strictMissingVar: { code: 'substitute/failed', severity: 'error', file: 'apps/staging/extra.yaml', line: 1, says: ['undefined_var'], kept: [INFRA], gone: [APP] },
  badVarKey: { code: 'substitute/failed', severity: 'error', file: 'apps/staging/app.yaml', line: 1, says: ["'app.name'"], kept: [INFRA], gone: [APP] },
  missingChart: { code: 'helm/chart-unavailable', severity: 'error', file: 'apps/staging/broken-hr.yaml', line: 1, says: ['./charts/nope'], kept: [INFRA, APP, WEB] },
  helmFails: { code: 'helm/template-failed', severity: 'error', file: 'apps/staging/broken-hr.yaml', line: 1, says: ['execution error', 'is not allowed'], kept: [INFRA, APP, WEB] },
  helmFailsOnSubstitutedSecret: { code: 'helm/template-failed', severity: 'error', file: 'apps/staging/broken-hr.yaml', line: 1, says: ['execution error', 'is not allowed'], kept: [INFRA, APP, WEB] },
  namespaceMissing: { code: 'render/namespace-missing', severity: 'error', file: 'apps/staging/extra.yaml', line: 1, says: ['ConfigMap extra', 'namespace not specified', 'K-16a'], kept: [INFRA], gone: [APP] },
  unknownApiVersion: { code: 'render/unknown-api-version', severity: 'error', file: 'clusters/staging/future.yaml', line: 1, says: ['kustomize.toolkit.fluxcd.io/v9'], kept: [], gone: [INFRA, APP, WEB, 'Kustomization/future Namespace/apps'] },
  secretSyntax: { code: 'kustomize/invalid-yaml', severity: 'error', file: 'apps/staging/creds.yaml', line: 7, kept: [INFRA], gone: [APP] },
  badEnvFile: { code: 'kustomize/invalid-env', severity: 'error', file: 'db.env', says: ['line 2 of db.env'], kept: [INFRA], gone: [APP] },
  badSecretPatch: { code: 'kustomize/invalid-patch', severity: 'error', file: 'apps/staging/kustomization.yaml', says: ['unable to parse SM or JSON patch'], kept: [INFRA], gone: [APP] },
  bomCrlf: { code: '', severity: 'info', file: '', kept: [INFRA, APP, WEB, 'Kustomization/apps ConfigMap/extra'] },
}

const PRODUCTION = ['Kustomization/infra Namespace/apps', 'Kustomization/apps ConfigMap/app-config', 'Kustomization/apps HelmRelease/web', 'HelmRelease/web ConfigMap/web-config']

describeWith(['git', 'helm'], 'breaking one thing in the staging cluster', () => {
  let dir = ''
  let base = ''
  beforeAll(() => {
    buildCli()
    ;({ dir, base } = newFleetRepo())
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('the unbroken fleet renders both clusters without diagnostics', async () => {
    const fleet = await renderCommit(dir, base)
    expect(allDiagnostics(fleet)).toEqual([])
    for (const c of ['staging', 'production']) expect(rendered(fleet, c)).toEqual(expect.arrayContaining(PRODUCTION))
  })

  it.each(Object.keys(EXPECT) as (keyof typeof CASES)[])('%s: located diagnostic, the rest still renders, no Secret leaks', async (key) => {
    const want = EXPECT[key]
    const head = commit(dir, broken(CASES[key].changes), key)
    const fleet = await renderCommit(dir, head)
    const diags = allDiagnostics(fleet)
    const failing = want.severity === 'error'

    // renderFleet: the diagnostic, where it points, what it says.
    if (want.code) {
      const d = diags.find((x) => x.code === want.code)
      expect(d).toMatchObject({ severity: want.severity, cluster: 'staging', location: { file: want.file, ...(want.line ? { line: want.line } : {}) } })
      for (const s of want.says ?? []) expect(d!.message).toContain(s)
    } else {
      expect(diags).toEqual([])
    }
    expect(diags.filter((x) => x.cluster === 'production')).toEqual([])
    expect(rendered(fleet, 'production')).toEqual(expect.arrayContaining(PRODUCTION))
    expect(rendered(fleet, 'staging')).toEqual(expect.arrayContaining(want.kept))
    for (const g of want.gone ?? []) expect(rendered(fleet, 'staging')).not.toContain(g)
    expect(leaks(JSON.stringify(diags))).toEqual([])

    // fluxgate render: exit code, the located line on stderr, both clusters on stdout.
    const r = cli(['render', '--repo', dir, '--ref', head])
    expect(r.code).toBe(failing ? 1 : 0)
    if (want.code) expect(r.stderr).toContain(`[${want.code}] ${want.file}${want.line ? `:${want.line}` : ''}: `)
    expect(r.stdout).toContain('# cluster: production\n# owner: HelmRelease/apps/web')
    // When the break fails the cluster's entry Kustomization, Flux applies nothing of that cluster.
    if (want.kept.includes(INFRA)) expect(r.stdout).toContain('# cluster: staging\n# owner: Kustomization/flux-system/infra')
    else expect(r.stdout).not.toContain('# cluster: staging')
    expect(leaks(r.stdout + r.stderr)).toEqual([])

    // fluxgate diff: the plan of the break, in JSON and markdown.
    const j = cli(['diff', '--repo', dir, '--base', base, '--head', head, '--format', 'json'])
    expect(j.code).toBe(failing ? 1 : 0)
    const plan = JSON.parse(j.stdout) as { clusters: { name: string }[]; diagnostics: unknown[] }
    expect(plan.clusters.map((c) => c.name).sort()).toEqual(['production', 'staging'])
    if (want.code) expect(j.stdout).toContain(`"code": "${want.code}"`)
    const m = cli(['diff', '--repo', dir, '--base', base, '--head', head, '--format', 'markdown'])
    expect(m.code).toBe(j.code)
    expect(m.stdout).toContain('### Cluster `production`')
    // Info findings are in the JSON only; errors and warnings are in the markdown too.
    if (want.code && failing) expect(m.stdout).toContain(want.code)
    expect(leaks(j.stdout + j.stderr + m.stdout + m.stderr)).toEqual([])
  })
})
