import fc from 'fast-check'
import type { JsonValue } from '../model/object.js'
import { cluster, fleet, ks, objs } from '../diff/__fixtures__/fleet.js'
import { planChange } from '../diff/plan-change.js'
import { MASK, MASK_AFTER, MASK_BEFORE } from './markers.js'
import { maskChange } from './mask-change.js'
import { maskShown } from './mask-plan.js'
import { Redactor } from './redactor.js'
import { decodeBase64Text } from './policy.js'

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
      { path: 'data/old', before: '***' },
      { path: 'data/rotated', before: '*** (before)', after: '*** (after)' },
      { path: 'data/fresh', after: '***' },
    ])
    expect(change.diff).toContain('-  old: "***"')
    expect(change.diff).toContain('-  rotated: "*** (before)"')
    expect(change.diff).toContain('+  rotated: "*** (after)"')
    expect(change.diff).toContain('+  fresh: "***"')
    expect(change.diff).toContain('   same: "***"')
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
    expect(change.fields).toEqual([{ path: 'data/url', before: 'postgres://u:*** (before)@db', after: 'postgres://u:*** (after)@db' }])
    expect(change.diff).toContain('+  url: postgres://u:*** (after)@db')
    expect(JSON.stringify(plan)).not.toMatch(/hunter2-(old|new)-pass/)
  })
})

describe('Redactor', () => {
  it('removes values of four characters or more anywhere, shorter ones only whole, and leaves common words', () => {
    const r = new Redactor(['a-long-secret', 'abc', 'pin1', 'true'])

    expect(r.text('x=a-long-secret;y')).toBe(`x=${MASK};y`)
    expect(r.text('code pin1 here')).toBe(`code ${MASK} here`)
    expect(r.text('abc')).toBe(MASK)
    expect(r.text('abcdef')).toBe('abcdef')
    expect(r.text('true')).toBe('true')
    expect(r.json({ k: ['a-long-secret'] })).toEqual({ k: [MASK] })
  })

  it('keeps __proto__ an ordinary key and never touches Object.prototype', () => {
    const r = new Redactor(['a-long-secret'])
    const input = JSON.parse('{"__proto__": {"polluted": "a-long-secret"}, "k": "v"}') as Record<string, unknown>

    const out = r.json(input as never) as Record<string, unknown>

    expect(Object.hasOwn(out, '__proto__')).toBe(true)
    expect(JSON.stringify(out)).toBe('{"__proto__":{"polluted":"***"},"k":"v"}')
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
  })

  it('copies only the lists and maps that hold a secret value, and leaves the input as it was', () => {
    const r = new Redactor(['a-long-secret'])
    const clean = { labels: { app: 'web' }, ports: [80, 443], ratio: Number.NaN }
    const input = { spec: clean, env: [{ name: 'A', value: 'x' }, { name: 'B', value: 'url://a-long-secret@host' }], 'key-a-long-secret': 1 }
    const before = JSON.stringify(input)
    const out = r.json(input as never) as typeof input & Record<string, unknown>
    expect(JSON.stringify(out)).toBe(JSON.stringify({ spec: clean, env: [{ name: 'A', value: 'x' }, { name: 'B', value: `url://${MASK}@host` }], [`key-${MASK}`]: 1 }))
    expect(JSON.stringify(input)).toBe(before)
    expect(out.spec).toBe(clean)
    expect(out.env[0]).toBe(input.env[0])
    expect(out.env).not.toBe(input.env)
    expect(r.json(clean as never)).toBe(clean)
  })

  it('masks any JSON as masking each key and each string alone would, keeping key order and a __proto__ key', () => {
    const secrets = ['s3cr3t-value', 'hunter22', '__proto__x']
    const r = new Redactor(secrets)
    const text = (s: string): string => secrets.reduce((out, v) => out.replaceAll(v, MASK), s)
    // What the walk must give: every key and string masked alone, every map and list in order.
    const expected = (v: unknown): unknown => {
      if (typeof v === 'string') return text(v)
      if (Array.isArray(v)) return v.map(expected)
      if (v === null || typeof v !== 'object') return v
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.length < 8 ? k : text(k), expected(x)]))
    }
    const word = fc.constantFrom('a', 'name', '__proto__', 's3cr3t-value', 'x-hunter22-y', 'plain-long-text', '__proto__x')
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.dictionary(word, fc.oneof(word, fc.integer())), (json, extra) => {
        const input = JSON.parse(JSON.stringify([json, extra])) as JsonValue
        const before = JSON.stringify(input)
        const out = r.json(input)
        expect(JSON.stringify(out)).toBe(JSON.stringify(expected(input)))
        expect(JSON.stringify(input)).toBe(before)
      }),
      { numRuns: 300, seed: 17 },
    )
  })

  it('marks a change that only a secret value made on copies, never on the rendered objects', () => {
    const r = new Redactor(['old-password', 'new-password'])
    const before = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'db' }, data: { url: 'postgres://old-password@db', port: '5432' } } as const
    const after = { ...before, data: { ...before.data, url: 'postgres://new-password@db' } }
    const frozen = JSON.stringify([before, after])
    const masked = maskChange(before as never, after as never, [{ path: 'data/url', before: before.data.url, after: after.data.url }], r)
    expect((masked.before as never as { data: { url: string } }).data.url).toBe(`postgres://${MASK_BEFORE}@db`)
    expect((masked.after as never as { data: { url: string } }).data.url).toBe(`postgres://${MASK_AFTER}@db`)
    expect(JSON.stringify([before, after])).toBe(frozen)
    // A change JSON cannot show (-0 and 0) holds no secret, and still leaves the inputs alone.
    const a = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' }, data: { n: -0 } }
    const b = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'n' }, data: { n: 0 } }
    maskChange(a as never, b as never, [{ path: 'data/n', before: -0, after: 0 }], r)
    expect(Object.is(a.data.n, -0) && b.data.n === 0).toBe(true)
  })

  it('decodes base64 text and refuses binary', () => {
    expect(decodeBase64Text('aGVsbG8=')).toBe('hello')
    expect(decodeBase64Text('/w==')).toBeUndefined()
  })
})

describe('maskShown', () => {
  it('masks every string value of what is shown, but not its keys or its own vocabulary', () => {
    const shown = { name: 'leak-hunter22', action: 'changed', counts: { changed: 1 }, note: 'changed by hunter22', items: ['hunter22'] }
    expect(maskShown(shown, new Redactor(['hunter22', 'changed']))).toEqual({ name: `leak-${MASK}`, action: 'changed', counts: { changed: 1 }, note: `${MASK} by ${MASK}`, items: [MASK] })
    const same = maskShown(shown, new Redactor([]))
    expect(same).toBe(shown)
  })

  it('masks a frozen part once for the same values, and again for other values', () => {
    // A cluster's plan is frozen and the same from push to push; the plan around it is not.
    const clusterPlan = Object.freeze({ name: 'prod', note: Object.freeze(['leak-hunter22']) })
    const first = maskShown({ clusters: [clusterPlan] }, new Redactor(['hunter22']))
    const again = maskShown({ clusters: [clusterPlan] }, new Redactor(['hunter22']))
    expect(first.clusters[0]).toEqual({ name: 'prod', note: [`leak-${MASK}`] })
    expect(again.clusters[0]).toBe(first.clusters[0])
    expect(Object.isFrozen(first.clusters[0])).toBe(true)
    const other = maskShown({ clusters: [clusterPlan] }, new Redactor(['prod']))
    expect(other.clusters[0]).toEqual({ name: MASK, note: ['leak-hunter22'] })
  })

  it('masks any plan-shaped value as a full copy would, sharing only what holds nothing masked, and leaves the input as it was', () => {
    const r = new Redactor(['hunter22', 'failure'])
    const vocabulary = new Set(['action', 'state', 'conclusion', 'severity', 'code'])
    // What the masking must give: every string masked except the vocabulary's, every map and list in order.
    const expected = (v: unknown, key = ''): unknown => {
      if (typeof v === 'string') return vocabulary.has(key) ? v : v.replaceAll('hunter22', MASK).replaceAll('failure', MASK)
      if (Array.isArray(v)) return v.map((x) => expected(x))
      if (v === null || typeof v !== 'object') return v
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, expected(x, k)]))
    }
    const holds = (v: unknown): boolean => JSON.stringify(v).includes('hunter22') || JSON.stringify(v).includes('failure')
    const key = fc.constantFrom('name', 'action', 'state', 'conclusion', 'note', '__proto__', 'hunter22')
    const text = fc.constantFrom('web', 'leak-hunter22', 'failure', 'changed', 'ok')
    const tree = fc.letrec((tie) => ({
      value: fc.oneof({ maxDepth: 4 }, text, fc.integer(), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(key, tie('value'), { maxKeys: 4 })),
    })).value
    fc.assert(
      fc.property(tree, (generated) => {
        const input = JSON.parse(JSON.stringify({ plan: generated, clean: { owners: [{ name: 'web', state: 'changed' }] } })) as { plan: unknown; clean: unknown }
        const before = JSON.stringify(input)
        const out = maskShown(input, r)
        expect(JSON.stringify(out)).toBe(JSON.stringify(expected(input)))
        expect(JSON.stringify(input)).toBe(before)
        // A part with nothing masked is the input's own; a part with something masked is a copy.
        expect(out.clean).toBe(input.clean)
        if (holds(expected(input.plan)) !== holds(input.plan) || JSON.stringify(expected(input.plan)) !== JSON.stringify(input.plan)) expect(out.plan).not.toBe(input.plan)
      }),
      { numRuns: 300, seed: 7 },
    )
  })
})
