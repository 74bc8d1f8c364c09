import { formatDiagnostic } from '../../src/core/diagnostics/diagnostic.js'
import { planChange } from '../../src/core/diff/plan-change.js'
import type { FleetRender } from '../../src/core/model/index.js'
import { renderComment, renderJobSummary, renderJson, renderText } from '../../src/report/index.js'
import { CANARIES, b64, leaksIn } from './support/canary.js'
import { cluster, fleet, hr, ks, objs } from './support/fleet.js'

/**
 * A fleet where every place a secret can come from holds a canary, on both sides of the plan,
 * and where head changes each of them (so the masking of changes is exercised too).
 */
function canaryFleet(head: boolean): FleetRender {
  const v = head ? '-v2' : ''
  const entry = ks('flux-system')
  const apps = ks('apps', { parent: entry.ref, secretValues: [CANARIES.substituted + v], spec: { postBuild: { substituteFrom: [{ kind: 'Secret', name: 'cluster-secrets' }] } } })
  const release = hr('web', 'web', { parent: apps.ref, secretValues: [`${CANARIES.helmValues}${v}`] })
  const objects = [
    ...objs(entry, `
apiVersion: v1
kind: Secret
metadata: {name: cluster-secrets, namespace: flux-system}
data: {DB_PASSWORD: ${b64(CANARIES.substituted + v)}}
---
apiVersion: v1
kind: Secret
metadata: {name: web-values, namespace: web}
stringData:
  values.yaml: |
    auth:
      password: ${CANARIES.helmValues}${v}
`),
    ...objs(apps, `
apiVersion: v1
kind: Secret
metadata:
  name: app-credentials
  namespace: apps
  annotations:
    kubectl.kubernetes.io/last-applied-configuration: '{"data":{"token":"${b64(CANARIES.secretData + v)}"}}'
data: {token: ${b64(CANARIES.secretData + v)}, ${head ? 'added' : 'removed'}: ${b64(CANARIES.secretData + '-key' + v)}}
stringData: {api-key: ${CANARIES.secretStringData}${v}}
---
apiVersion: v1
kind: Secret
metadata: {name: sops-secret, namespace: apps}
data: {key: ${b64(CANARIES.sopsLike + v)}}
sops: {mac: ENC[${CANARIES.sopsLike}${v}], version: 3.9.0}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: apps}
spec:
  template:
    spec:
      containers:
        - name: api
          image: api:1
          env:
            - {name: DATABASE_URL, value: "postgres://api:${CANARIES.substituted}${v}@db:5432/api"}
`),
    ...objs(release, `
apiVersion: v1
kind: Secret
metadata: {name: web-auth, namespace: web}
data: {password: ${b64(CANARIES.helmValues + v)}}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: web}
data: {config.yaml: "auth: ${CANARIES.helmValues}${v}"}
`),
  ]
  const c = cluster('staging', [entry, apps, release], objects)
  // A renderer bug that puts a value in a message must not leak either.
  c.diagnostics.push({ code: 'substitute/example', severity: 'error', message: `could not use ${CANARIES.substituted}${v}`, cluster: 'staging' })
  return fleet(head ? 'b'.repeat(40) : 'a'.repeat(40), [c])
}

describe('canary: no secret reaches any output', () => {
  const plan = planChange(canaryFleet(false), canaryFleet(true))
  const removedPlan = planChange(canaryFleet(false), fleet('c'.repeat(40), []))
  const addedPlan = planChange(fleet('c'.repeat(40), []), canaryFleet(true))

  it.each([
    ['changed', plan],
    ['removed', removedPlan],
    ['added', addedPlan],
  ])('%s: markdown, job summary, JSON, text and diagnostics hold no canary in plain or base64 form', (_name, p) => {
    const outputs = [
      ...renderComment(p),
      ...renderComment(p, { maxChars: 3_000 }),
      renderJobSummary(p),
      renderJson(p, { objects: true }),
      renderText(p, { color: false }),
      renderText(p, { color: true }),
      [...p.diagnostics, ...p.clusters.flatMap((c) => c.diagnostics)].map(formatDiagnostic).join('\n'),
      JSON.stringify(p),
    ]

    for (const out of outputs) expect(leaksIn(out)).toEqual([])
  })

  it('still shows that secret-held values changed, by key', () => {
    const changes = plan.clusters[0]!.changes
    const creds = changes.find((c) => c.id.name === 'app-credentials')!
    const api = changes.find((c) => c.id.name === 'api')!

    expect(creds.fields.map((f) => `${f.path} ${f.before ?? ''} → ${f.after ?? ''}`)).toEqual([
      'metadata/annotations/kubectl.kubernetes.io~1last-applied-configuration *** (before) → *** (after)',
      'data/api-key *** (before) → *** (after)',
      'data/removed *** → ',
      'data/token *** (before) → *** (after)',
      'data/added  → ***',
    ])
    expect(api.diff).toContain('-              value: postgres://api:*** (before)@db:5432/api')
    expect(api.diff).toContain('+              value: postgres://api:*** (after)@db:5432/api')
    expect(renderText(plan, { color: false })).toContain('could not use ***')
  })
})
