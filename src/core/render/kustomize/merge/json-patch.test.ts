import { CM, FAIL, OK } from './__fixtures__/json-patch-cases.js'
import { applyJsonPatch, parseJsonPatchText } from './json-patch.js'

describe('applyJsonPatch', () => {
  it.each(OK)('%s', (_name, ops, expected) => {
    expect(applyJsonPatch(CM, ops)).toStrictEqual({ ok: true, value: expected })
  })

  it.each(FAIL)('%s fails', (_name, ops, error) => {
    expect(applyJsonPatch(CM, ops)).toStrictEqual({ ok: false, error })
  })

  it('does not mutate the document', () => {
    const doc = structuredClone(CM)
    applyJsonPatch(doc, [{ op: 'remove', path: '/data/a' }, { op: 'add', path: '/list/-', value: 3 }])
    expect(doc).toStrictEqual(CM)
  })
})

describe('parseJsonPatchText', () => {
  it.each([
    ['JSON', '[{"op": "add", "path": "/a", "value": 1}]', [{ op: 'add', path: '/a', value: 1 }]],
    ['YAML', '- op: replace\n  path: /spec/replicas\n  value: 3\n- op: remove\n  path: /b\n', [{ op: 'replace', path: '/spec/replicas', value: 3 }, { op: 'remove', path: '/b' }]],
    ['YAML with from', '- {op: move, from: /a, path: /b}\n', [{ op: 'move', from: '/a', path: '/b' }]],
  ])('reads %s', (_name, text, ops) => {
    expect(parseJsonPatchText(text)).toStrictEqual({ ok: true, ops })
  })

  it.each([
    ['a string', 'thisIsNotAPatch', 'json: cannot unmarshal string into Go value of type jsonpatch.Patch'],
    ['a map', 'op: add\npath: /a\n', 'json: cannot unmarshal object into Go value of type jsonpatch.Patch'],
  ])('rejects %s', (_name, text, error) => {
    expect(parseJsonPatchText(text)).toStrictEqual({ ok: false, error })
  })
})
