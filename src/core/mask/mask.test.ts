import { cluster, fleet, ks, objs } from '../diff/__fixtures__/fleet.js'
import { planChange } from '../diff/plan-change.js'
import { Redactor, SECRET_MARKER } from './redactor.js'
import { decodeBase64Text } from './secret-values.js'

const entry = ks('flux-system')

describe('Secret masking', () => {
  it('names added, removed and changed keys of a Secret and never its values', () => {
    const app = ks('app', { parent: entry.ref })
    const base = fleet('a', [
      cluster('c', [entry, app], objs(app, `
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: app}
data: {same: c2FtZS12YWx1ZQ==, old: b2xkLXZhbHVl, rotated: Zmlyc3QtcGFzc3dvcmQ=}
`)),
    ])
    const head = fleet('b', [
      cluster('c', [entry, app], objs(app, `
apiVersion: v1
kind: Secret
metadata: {name: creds, namespace: app}
data: {same: c2FtZS12YWx1ZQ==, rotated: c2Vjb25kLXBhc3N3b3Jk}
stringData: {fresh: brand-new-token}
`)),
    ])

    const plan = planChange(base, head)

    const change = plan.clusters[0]!.changes[0]!
    expect(change.fields).toEqual([
      { path: 'data/old', before: '<secret>' },
      { path: 'data/rotated', before: '<secret>', after: '<secret: changed>' },
      { path: 'data/fresh', after: '<secret: added>' },
    ])
    expect(change.diff).toContain('-  old: <secret>')
    expect(change.diff).toContain('+  rotated: "<secret: changed>"')
    expect(change.diff).toContain('+  fresh: "<secret: added>"')
    const text = JSON.stringify(plan)
    for (const leak of ['same-value', 'c2FtZS12YWx1ZQ==', 'first-password', 'second-password', 'brand-new-token', 'old-value']) {
      expect(text).not.toContain(leak)
    }
  })

  it('strips values substituted from Secrets and marks a change that only touched them', () => {
    const app = (v: string): ReturnType<typeof ks> => ks('app', { parent: entry.ref, secretValues: [v] })
    const base = fleet('a', [cluster('c', [entry, app('hunter2-old-pass')], (objs(app('x').ref, `{apiVersion: v1, kind: ConfigMap, metadata: {name: cfg, namespace: a}, data: {url: "postgres://u:hunter2-old-pass@db"}}`)))])
    const head = fleet('b', [cluster('c', [entry, app('hunter2-new-pass')], objs(app('x').ref, `{apiVersion: v1, kind: ConfigMap, metadata: {name: cfg, namespace: a}, data: {url: "postgres://u:hunter2-new-pass@db"}}`))])

    const plan = planChange(base, head)

    const change = plan.clusters[0]!.changes.find((c) => c.id.kind === 'ConfigMap')!
    expect(change.fields).toEqual([{ path: 'data/url', before: 'postgres://u:<secret>@db', after: 'postgres://u:<secret: changed>@db' }])
    expect(change.diff).toContain('+  url: "postgres://u:<secret: changed>@db"')
    expect(JSON.stringify(plan)).not.toMatch(/hunter2-(old|new)-pass/)
  })
})

describe('Redactor', () => {
  it('removes long values anywhere, short ones only whole, and leaves common words', () => {
    const r = new Redactor(['a-long-secret', 'abc', 'true'])

    expect(r.text('x=a-long-secret;y')).toBe(`x=${SECRET_MARKER};y`)
    expect(r.text('abc')).toBe(SECRET_MARKER)
    expect(r.text('abcdef')).toBe('abcdef')
    expect(r.text('true')).toBe('true')
    expect(r.json({ k: ['a-long-secret'] })).toEqual({ k: [SECRET_MARKER] })
  })

  it('decodes base64 text and refuses binary', () => {
    expect(decodeBase64Text('aGVsbG8=')).toBe('hello')
    expect(decodeBase64Text('/w==')).toBeUndefined()
  })
})
