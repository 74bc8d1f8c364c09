import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { findMarkedFiles } from '../../src/core/images/marked-files.js'
import type { LatestRef } from '../../src/core/images/marker.js'
import { applySetters } from '../../src/core/images/setters.js'
import { DiskTree } from '../../src/infra/disk-tree.js'

const GOLDEN = join(import.meta.dirname, 'golden')
const DIGEST = `sha256:${'ab'.repeat(32)}`

/** The latest refs every golden case is rewritten with. */
const SETTERS = new Map<string, LatestRef>([
  ['flux-system:web', { name: 'ghcr.io/org/web', tag: '1.5.0' }],
  ['flux-system:api', { name: 'registry.example.com/team/api', tag: '2.10', digest: DIGEST }],
  ['flux-system:num', { name: 'ghcr.io/org/num', tag: '20231201' }],
])

function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : [join(prefix, e.name)],
  )
}

describe('setter rewriting, golden directories (original → expected, byte for byte)', () => {
  it.each(readdirSync(GOLDEN))('%s', (name) => {
    const original = join(GOLDEN, name, 'original')
    const expectedDir = join(GOLDEN, name, 'expected')
    const written = new Map<string, string>()

    for (const file of findMarkedFiles(new DiskTree(original), '')) {
      const res = applySetters(file.text, file.path, SETTERS)
      if (res.changes.length > 0) written.set(file.path, res.text)
    }

    expect(filesUnder(original).sort()).toEqual(filesUnder(expectedDir).sort())
    for (const path of filesUnder(expectedDir)) {
      const want = readFileSync(join(expectedDir, path), 'utf8')
      const got = written.get(path) ?? readFileSync(join(original, path), 'utf8')
      expect({ path, text: got }).toEqual({ path, text: want })
    }
  })
})
