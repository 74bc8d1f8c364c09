import type { KubeObject } from '../../model/object.js'
import { substituteObject } from '../../substitute/index.js'
import { substituteObjectMemo } from './substitute-memo.js'

function deployment(extra: Record<string, unknown> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'apps', annotations: { cluster: '${cluster:=none}', replicas: '${replicas}' } },
    spec: { replicas: 1, paused: 'yes', ...extra },
  } as unknown as KubeObject
}

describe('substituteObjectMemo', () => {
  it('gives what substituteObject gives, first time and from the memo', () => {
    const vars = { cluster: 'prod-eu', replicas: '3' }
    const expected = substituteObject(deployment(), vars, { strict: true })
    expect(substituteObjectMemo(deployment(), vars, { strict: true }, false)).toEqual(expected)
    expect(substituteObjectMemo(deployment(), vars, { strict: true }, false)).toEqual(expected)
    expect(expected).toMatchObject({ ok: true, object: { metadata: { annotations: { cluster: 'prod-eu', replicas: 3 } } } }) // S-3: re-read as YAML, so "3" is a number
  })

  it('keeps different variables and options apart, failures included', () => {
    const a = substituteObjectMemo(deployment(), { cluster: 'a', replicas: '1' }, { strict: true }, false)
    const b = substituteObjectMemo(deployment(), { cluster: 'b', replicas: '1' }, { strict: true }, false)
    expect(a).toMatchObject({ ok: true, object: { metadata: { annotations: { cluster: 'a' } } } })
    expect(b).toMatchObject({ ok: true, object: { metadata: { annotations: { cluster: 'b' } } } })
    const strict = substituteObjectMemo(deployment(), { cluster: 'a' }, { strict: true }, false)
    expect(strict).toEqual(substituteObject(deployment(), { cluster: 'a' }, { strict: true }))
    expect(strict.ok).toBe(false)
    expect(substituteObjectMemo(deployment(), { cluster: 'a' }, { strict: false }, false)).toEqual(substituteObject(deployment(), { cluster: 'a' }, { strict: false }))
  })

  it('hands out copies, and substitutes objects JSON cannot key without the memo', () => {
    const vars = { cluster: 'c1', replicas: '2' }
    const first = substituteObjectMemo(deployment(), vars, { strict: true }, false)
    if (!first.ok) throw new Error(first.error)
    first.object.metadata.name = 'changed'
    const again = substituteObjectMemo(deployment(), vars, { strict: true }, false)
    expect(again.ok && again.object.metadata.name).toBe('web')
    const odd = deployment({ ratio: Number.NaN })
    expect(substituteObjectMemo(odd, vars, { strict: true }, false)).toEqual(substituteObject(odd, vars, { strict: true }))
    expect(substituteObjectMemo(deployment(), vars, { strict: true }, true)).toEqual(substituteObject(deployment(), vars, { strict: true }))
  })
})
