import type { KubeObject } from '../core/model/object.js'
import { renderObjectsYaml, type PrintableObject } from './render-yaml.js'

const owner = { kind: 'Kustomization' as const, namespace: 'flux-system', name: 'apps' }
const cm = (i: number, data: string): PrintableObject => ({
  cluster: 'prod',
  owner,
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `cm-${i}`, namespace: 'apps' }, data: { blob: data } } as unknown as KubeObject,
})

describe('renderObjectsYaml', () => {
  it('writes a large render in pieces of about 1 MiB that join to the documents in order', () => {
    const objects = Array.from({ length: 40 }, (_, i) => cm(i, `x${i}-`.repeat(20_000)))
    const pieces = [...renderObjectsYaml(objects)]
    expect(pieces.length).toBeGreaterThan(1)
    for (const p of pieces.slice(0, -1)) expect(p.length).toBeGreaterThanOrEqual(1 << 20)
    const whole = pieces.join('')
    expect(whole.split('---\n# cluster: prod\n').length - 1).toBe(40)
    expect(whole.indexOf('name: cm-0\n')).toBeLessThan(whole.indexOf('name: cm-39\n'))
    expect(whole.startsWith('---\n# cluster: prod\n# owner: Kustomization/flux-system/apps\napiVersion: v1\n')).toBe(true)
  })

  it('writes a small render as one piece, and nothing for no objects', () => {
    expect([...renderObjectsYaml([cm(1, 'v')])]).toEqual(['---\n# cluster: prod\n# owner: Kustomization/flux-system/apps\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-1\n  namespace: apps\ndata:\n  blob: v\n'])
    expect([...renderObjectsYaml([])]).toEqual([])
  })
})
