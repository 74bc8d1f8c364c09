// JSON patch cases: results and error texts recorded from kustomize v5.5.0 (`patches:` with a
// JSON patch on CM); kustomize-oracle.test.ts re-checks every row against a real kustomize.
import type { JsonObject, JsonValue } from '../../../../model/object.js'

export const CM: JsonObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' }, list: [1, 2] }
const withCm = (extra: JsonObject): JsonObject => ({ ...structuredClone(CM), ...extra })

export const OK: [string, JsonValue[], JsonObject][] = [
  ['add to a map', [{ op: 'add', path: '/data/b', value: '2' }], withCm({ data: { a: '1', b: '2' } })],
  ['add replaces an existing key', [{ op: 'add', path: '/data', value: { z: '1' } }], withCm({ data: { z: '1' } })],
  ['append with -', [{ op: 'add', path: '/list/-', value: 3 }], withCm({ list: [1, 2, 3] })],
  ['insert at an index', [{ op: 'add', path: '/list/01', value: 9 }], withCm({ list: [1, 9, 2] })],
  ['negative index counts from the end', [{ op: 'add', path: '/list/-1', value: 9 }], withCm({ list: [1, 2, 9] })],
  ['escaped pointer tokens', [{ op: 'add', path: '/data/x~1y~0z', value: 'q' }], withCm({ data: { a: '1', 'x/y~z': 'q' } })],
  ['replace of a missing key adds it', [{ op: 'replace', path: '/data/zz', value: 1 }], withCm({ data: { a: '1', zz: 1 } })],
  ['replace without value sets null', [{ op: 'replace', path: '/list/1' }], withCm({ list: [1, null] })],
  ['remove', [{ op: 'remove', path: '/data/a' }], withCm({ data: {} })],
  ['move', [{ op: 'move', from: '/data/a', path: '/data/b' }], withCm({ data: { b: '1' } })],
  ['copy', [{ op: 'copy', from: '/list', path: '/data/l' }], withCm({ data: { a: '1', l: [1, 2] } })],
  ['copy from a missing path copies null', [{ op: 'copy', from: '/data/zz', path: '/data/b' }], withCm({ data: { a: '1', b: null } })],
  ['test passes', [{ op: 'test', path: '/list', value: [1, 2] }, { op: 'test', path: '/data/zz', value: null }], withCm({})],
  ['path without leading slash', [{ op: 'add', path: 'data/q', value: 1 }], withCm({ q: 1 })],
  [
    'replace the whole document',
    [{ op: 'replace', path: '', value: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } } }],
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } },
  ],
]

export const FAIL: [string, JsonValue[], string][] = [
  ['remove a missing key', [{ op: 'remove', path: '/data/zz' }], "error in remove for path: '/data/zz': Unable to remove nonexistent key: zz: missing value"],
  ['remove under a missing parent', [{ op: 'remove', path: '/data/a/b' }], 'remove operation does not apply: doc is missing path: "/data/a/b": missing value'],
  ['remove past the end', [{ op: 'remove', path: '/list/9' }], "error in remove for path: '/list/9': Unable to access invalid index: 9: invalid index referenced"],
  ['remove -', [{ op: 'remove', path: '/list/-' }], `error in remove for path: '/list/-': strconv.Atoi: parsing "-": invalid syntax`],
  ['add under a missing parent', [{ op: 'add', path: '/nope/x', value: 1 }], 'add operation does not apply: doc is missing path: "/nope/x": missing value'],
  ['add past the end', [{ op: 'add', path: '/list/5', value: 1 }], "error in add for path: '/list/5': Unable to access invalid index: 5: invalid index referenced"],
  ['replace past the end', [{ op: 'replace', path: '/list/5', value: 9 }], 'replace operation does not apply: doc is missing key: /list/5: missing value'],
  ['failed test', [{ op: 'test', path: '/data/a', value: '2' }], 'testing value /data/a failed: test failed'],
  ['move from a missing key', [{ op: 'move', from: '/data/zz', path: '/data/b' }], "error in move for path: 'zz': Unable to remove nonexistent key: zz: missing value"],
  ['move into itself', [{ op: 'move', from: '/data', path: '/data/x' }], 'move operation does not apply: doc is missing destination path: /data/x: missing value'],
  ['unknown op', [{ op: 'bogus', path: '/data' }], 'Unexpected kind: bogus'],
  ['missing op', [{ path: '/data/q', value: 1 }], 'Unexpected kind: unknown'],
]
