/**
 * Attack class (low): a Secret's value shown through what the pull request does with it. The
 * substitution operators (`${S^^}`, `${S:0:6}`, `${S/x/}`) printed transformed secrets the
 * masking did not know, and an object named `leak-${S}` put the secret in headings and JSON.
 * Derived expansions of Secret-sourced variables now count as secret values themselves, and
 * every string of what is shown (names, headings, messages, gate findings) is masked, while the
 * gate still reads the names as rendered: a Secret holding a cluster name or a gate word cannot
 * turn a rule off or garble the check. (Known limits, in SECURITY.md.)
 */
import { describeWith } from '../support/components.js'
import { renderJson } from '../../src/report/index.js'
import { chart, fleet, gitRelease, NAMESPACE, review } from './support.js'

const SECRET = 'Sup3rSecretValue-xq7'
/** The forms the ConfigMap below makes of SECRET. */
const DERIVED = [SECRET, SECRET.toUpperCase(), SECRET.toLowerCase(), SECRET.slice(0, 12), SECRET.replace('x', ''), SECRET.replaceAll('e', 'E'), `${SECRET[0]!.toLowerCase()}${SECRET.slice(1)}`]

const secret = (data: Record<string, string>, name = 'creds', namespace = 'flux-system') =>
  `apiVersion: v1\nkind: Secret\nmetadata:\n  name: ${name}\n  namespace: ${namespace}\nstringData:\n${Object.entries(data).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}\n`).join('')}`
const SUBSTITUTE_FROM_CREDS = '  postBuild:\n    substituteFrom:\n      - {kind: Secret, name: creds}\n'

describeWith(['helm'], 'secret values through substitution and values', () => {
  it('operators over a Secret-sourced variable, and the variable in an object name, never reach any output', async () => {
    const app = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak-\${S,,}\n  namespace: apps\ndata:\n  upper: "\${S^^}"\n  lower: "\${S,,}"\n  slice: "\${S:0:12}"\n  replace: "\${S/x/}"\n  all: "\${S//e/E}"\n  first: "\${S,}"\n`
    const creds = { 'clusters/dev/creds.yaml': secret({ S: SECRET }) }
    const base = fleet({ 'namespace.yaml': NAMESPACE }, creds, SUBSTITUTE_FROM_CREDS)
    const head = fleet({ 'namespace.yaml': NAMESPACE, 'app.yaml': app }, creds, SUBSTITUTE_FROM_CREDS)
    const r = await review(base, head)
    // The object rendered with every form (the test would prove nothing otherwise)…
    const rendered = r.planned.headFleet.clusters[0]!.objects.find((o) => o.object.kind === 'ConfigMap' && o.object.metadata.name.startsWith('leak-'))
    expect(rendered).toBeDefined()
    expect(Object.values(rendered!.object['data'] as Record<string, string>).sort()).toEqual(DERIVED.slice(1).sort())
    // …the change is reported, under a masked name…
    expect(r.planned.plan.clusters[0]!.changes.map((c) => `${c.action} ${c.id.kind}/${c.id.name}`)).toEqual(['added ConfigMap/leak-***'])
    expect(r.published).toContain('leak-***')
    // …and no form of the secret is published, in the comment, check run, JSON or text.
    for (const form of DERIVED) expect(r.published).not.toContain(form)
  })

  it('a Secret value used through HelmRelease valuesFrom is masked in object contents and names', async () => {
    const values = secret({ suffix: 'zq9-hidden-suffix', password: 'Pa55-w0rd-from-secret' }, 'web-values', 'apps')
    const templates = {
      'templates/named.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web-{{ .Values.suffix }}\ndata:\n  password: {{ .Values.db.password | quote }}\n',
    }
    const release = gitRelease('  valuesFrom:\n    - {kind: Secret, name: web-values, valuesKey: suffix, targetPath: suffix}\n    - {kind: Secret, name: web-values, valuesKey: password, targetPath: db.password}\n')
    const base = fleet({ 'namespace.yaml': NAMESPACE }, chart(templates))
    const head = fleet({ 'namespace.yaml': NAMESPACE, 'values.yaml': values, 'web.yaml': release }, chart(templates))
    const r = await review(base, head)
    const names = r.planned.headFleet.clusters[0]!.objects.map((o) => o.object.metadata.name)
    expect(names).toContain('web-zq9-hidden-suffix')
    expect(r.published).toContain('web-***')
    expect(r.published).not.toContain('zq9-hidden-suffix')
    expect(r.published).not.toContain('Pa55-w0rd-from-secret')
    expect(r.planned.plan.clusters[0]!.changes.some((c) => c.id.kind === 'ConfigMap' && c.after?.['data'] !== undefined && JSON.stringify(c.after['data']).includes('***'))).toBe(true)
  })

  it('a Secret holding the cluster name or a gate word neither turns a rule off nor garbles the verdict', async () => {
    const gate = { '.github/fluxgate.yml': 'protectedClusters: [dev]\n' }
    const cm = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: apps\ndata:\n  a: "1"\n`
    const base = { ...fleet({ 'namespace.yaml': NAMESPACE }), ...gate }
    const words = secret({ cluster: 'dev', conclusion: 'failure', action: 'added', field: 'changes', kind: 'ConfigMap', rule: 'protected-clusters' }, 'words', 'apps')
    const head = { ...fleet({ 'namespace.yaml': NAMESPACE, 'app.yaml': cm, 'words.yaml': words }), ...gate }
    const r = await review(base, head)
    expect(r.verdict.conclusion).toBe('failure')
    expect(r.verdict.findings.map((f) => f.ruleId)).toContain('protected-clusters')
    // The words are masked where they are names and messages, kept where they are the plan's own.
    expect(r.planned.plan.clusters[0]!.changes.map((c) => c.action).sort()).toEqual(['added', 'added'])
    expect(r.planned.plan.clusters[0]!.name).toBe('***')
    expect(r.planned.workingPlan.clusters[0]!.name).toBe('dev')
    expect(r.planned.plan.clusters[0]!.owners.find((o) => o.ref.name === 'apps')!.counts.added).toBe(2)
    expect(JSON.parse(renderJson(r.planned.plan, { verdict: r.verdict })).gate).toMatchObject({ conclusion: 'failure', findings: [{ rule: 'protected-clusters', level: 'fail' }] })
    expect(r.published).toContain('2 to add')
    expect(r.published).not.toContain('No changes.')
  })
})
