import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'
import type { JsonObject } from '../../../model/object.js'
import { registryFromOpenApi, schemaFor } from './schema.js'
import { StrategicMergeError, strategicMerge, tryStrategicMerge } from './strategic-merge.js'

interface SmpCase {
  name: string
  target: JsonObject
  patch: JsonObject
  expected?: JsonObject | null
  error?: string
}

const CASES: SmpCase[] = parse(readFileSync(join(import.meta.dirname, '__fixtures__/smp-cases.yaml'), 'utf8'))

function merge(c: SmpCase): JsonObject | null {
  const t = c.target
  return strategicMerge(t, c.patch, schemaFor(String(t['apiVersion']), String(t['kind'])))
}

describe('strategicMerge matches kustomize v5.5.0', () => {
  it.each(CASES.filter((c) => c.error === undefined).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // toStrictEqual ignores key order but not list order, which is what kustomize decides.
    expect(merge(c)).toStrictEqual(c.expected ?? null)
  })

  it.each(CASES.filter((c) => c.error !== undefined).map((c) => [c.name, c] as const))('%s fails like kustomize', (_name, c) => {
    expect(() => merge(c)).toThrow(StrategicMergeError)
    expect(() => merge(c)).toThrow(c.error)
  })
})

describe('strategicMerge', () => {
  const dep: JsonObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { template: { spec: { containers: [{ name: 'a', image: 'a:1' }, { name: 'b', image: 'b:1' }] } } },
  }

  it('does not mutate its inputs', () => {
    const target = structuredClone(dep)
    const patch: JsonObject = { spec: { template: { spec: { $patch: 'replace', containers: [{ name: 'c', $patch: 'delete' }] } } } }
    const before = [JSON.stringify(target), JSON.stringify(patch)]
    strategicMerge(target, patch, schemaFor('apps/v1', 'Deployment'))
    expect([JSON.stringify(target), JSON.stringify(patch)]).toEqual(before)
  })

  it('returns null when the patch deletes the object', () => {
    expect(strategicMerge(dep, { $patch: 'delete' }, schemaFor('apps/v1', 'Deployment'))).toBeNull()
  })

  it('keeps existing keys in place and appends new ones', () => {
    const out = strategicMerge({ b: 1, a: 2 }, { c: 3, a: 4 }, undefined)
    expect(Object.keys(out ?? {})).toEqual(['b', 'a', 'c'])
  })

  it('replaces lists when the kind has no schema, but merges maps', () => {
    const crd: JsonObject = { apiVersion: 'ex.com/v1', kind: 'Foo', metadata: { name: 'f' }, spec: { l: [{ name: 'a' }], m: { x: 1 } } }
    const out = strategicMerge(crd, { spec: { l: [{ name: 'b' }], m: { y: 2 } } }, schemaFor('ex.com/v1', 'Foo'))
    expect(out?.['spec']).toStrictEqual({ l: [{ name: 'b' }], m: { x: 1, y: 2 } })
  })

  it('uses an openapi: document instead of the built-in table', () => {
    const reg = registryFromOpenApi({
      definitions: {
        'ex.Foo': {
          'x-kubernetes-group-version-kind': [{ group: 'ex.com', version: 'v1', kind: 'Foo' }],
          properties: { spec: { properties: { l: { type: 'array', items: { type: 'object' }, 'x-kubernetes-patch-strategy': 'merge', 'x-kubernetes-patch-merge-key': 'name' } } } },
        },
      },
    })
    const foo: JsonObject = { apiVersion: 'ex.com/v1', kind: 'Foo', metadata: { name: 'f' }, spec: { l: [{ name: 'a', v: 1 }] } }
    expect(strategicMerge(foo, { spec: { l: [{ name: 'b' }] } }, schemaFor('ex.com/v1', 'Foo', reg))?.['spec']).toStrictEqual({
      l: [{ name: 'b' }, { name: 'a', v: 1 }],
    })
    // kustomize drops the built-in schema when a custom one is given.
    expect(schemaFor('apps/v1', 'Deployment', reg)).toBeUndefined()
  })

  it('reports kustomize errors as values from tryStrategicMerge', () => {
    expect(tryStrategicMerge(dep, { spec: { $patch: 'bogus' } }, undefined)).toEqual({ ok: false, error: "unknown patch strategy 'bogus'" })
  })
})
