import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { parseYamlDocs } from '../../src/core/load/yaml-docs.js'
import { isJsonObject, type KubeObject } from '../../src/core/model/object.js'
import type { RenderedObject } from '../../src/core/model/render-result.js'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { DiskTree } from '../../src/infra/disk-tree.js'

const shared = join(process.cwd(), '..', 'shared', 'examples')

/** Every `<example>/<label>` tree of the shared example fleets. */
function labels(): { name: string; dir: string }[] {
  if (!existsSync(shared)) return []
  return readdirSync(shared)
    .filter((ex) => statSync(join(shared, ex)).isDirectory())
    .flatMap((ex) => readdirSync(join(shared, ex)).map((label) => ({ name: `${ex}/${label}`, dir: join(shared, ex, label) })))
    .filter((l) => statSync(l.dir).isDirectory())
}

/**
 * Why the file:line of a rendered object is not where it comes from, or undefined when it is:
 * a plain object points at a document of its kind; a generated one at its generator entry
 * (`- name: <generator name>`, the prefix of its hashed name); a chart object at its HelmRelease.
 */
function wrongSource(tree: DiskTree, r: RenderedObject): string | undefined {
  const s = r.source
  if (!s?.file || !s.line) return 'no file:line'
  const bytes = tree.readFile(s.file)
  if (!bytes) return `${s.file} is not in the repository`
  const text = new TextDecoder().decode(bytes)
  const line = text.split('\n')[s.line - 1] ?? ''
  if (s.via === 'configMapGenerator' || s.via === 'secretGenerator') {
    const entry = /^\s*-\s*name:\s*(\S+)/.exec(line)?.[1]
    return entry && r.object.metadata.name.includes(entry) ? undefined : `${s.file}:${s.line} is not its generator entry: ${line}`
  }
  const doc = parseYamlDocs(bytes, s.file).docs.find((d) => d.line === s.line)?.value
  const kind = isJsonObject(doc as never) ? (doc as KubeObject).kind : undefined
  const expected = s.via?.startsWith('chart ') ? 'HelmRelease' : r.object.kind
  return kind === expected ? undefined : `${s.file}:${s.line} starts ${kind ?? 'no document'}, not a ${expected}`
}

describe('provenance of every object of the shared example fleets', () => {
  const all = labels()

  it('has example fleets to measure', () => {
    expect(all.length).toBeGreaterThanOrEqual(8)
  })

  it.each(all.map((l) => [l.name, l.dir]))('%s: every object carries the file:line that produced it', async (_name, dir) => {
    const tree = new DiskTree(dir)
    const fleet = await renderFleet(tree, { revision: 'head' }, {})
    const objects = fleet.clusters.flatMap((c) => c.objects)
    expect(objects.length).toBeGreaterThan(0)
    const wrong = objects.map((o) => [`${o.object.kind}/${o.object.metadata.namespace ?? ''}/${o.object.metadata.name}`, wrongSource(tree, o)]).filter(([, why]) => why !== undefined)
    // The located share is 100%: the list of objects without a right file:line is empty.
    expect({ located: objects.length - wrong.length, of: objects.length, wrong }).toEqual({ located: objects.length, of: objects.length, wrong: [] })
  })
})
