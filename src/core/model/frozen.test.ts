import { frozen } from './frozen.js'

/** Every object and array reached from `v` (through Maps too), byte arrays aside. */
function reached(v: unknown, out: object[] = []): object[] {
  if (typeof v !== 'object' || v === null || ArrayBuffer.isView(v)) return out
  out.push(v)
  if (v instanceof Map) for (const [k, x] of v) reached(k, reached(x, out))
  else for (const x of Object.values(v)) reached(x, out)
  return out
}

describe('frozen (a value shared by every use: a unit result, a warm worker record)', () => {
  it('freezes every object and array of a result, through its provenance Maps and a __proto__ key', () => {
    const object = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { app: 'a' } }, data: { list: [{ x: [1, 2] }] } }
    const withProto = JSON.parse('{"__proto__": {"polluted": {"deep": true}}}') as object
    const result = { status: 'ready', objects: [{ object, built: object }], extra: withProto, sources: new Map([[object, { file: 'a.yaml', path: ['data'] }]]), bytes: new Uint8Array([1, 2]) }
    const all = reached(frozen(result))
    expect(all.length).toBeGreaterThan(10)
    expect(all.filter((o) => !(o instanceof Map) && !Object.isFrozen(o))).toEqual([])
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(() => {
      ;(object.data.list[0]!.x as number[]).push(3)
    }).toThrow(TypeError)
  })
})
