import type { KubeObject } from '../../model/object.js'
import { objectJson, storedAnswer, storedListAnswer } from './stored-answers.js'

const crd = (group: string, versions = ['v1']): KubeObject =>
  ({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: `widgets.${group}` }, spec: { group, versions: versions.map((name) => ({ name, served: true, storage: name === versions[0] })) } }) as KubeObject

describe('storedListAnswer', () => {
  it('is the stored answer of the objects\' JSON, whichever objects hold it, asked again or not', () => {
    const [a, b, c] = [crd('a.example.com'), crd('b.example.com'), crd('c.example.com', ['v1', 'v2'])]
    const lists = [[], [a], [a, b], [b, a], [a, b, c]]
    for (const list of lists) {
      for (let i = 0; i < 2; i++) expect(storedListAnswer(list)).toBe(storedAnswer(list.map(objectJson)))
    }
    expect(new Set(lists.map(storedListAnswer)).size).toBe(lists.length)
    // Equal objects that are other objects: the same answer (a render reused or made anew).
    expect(storedListAnswer([crd('a.example.com'), crd('b.example.com')])).toBe(storedListAnswer([a, b]))
    expect(storedListAnswer([a, crd('b.example.com', ['v2'])])).not.toBe(storedListAnswer([a, b]))
  })
})
