import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

// tsconfig.core.json type-checks src/core with no Node types: the web-standard globals of
// src/core/globals.d.ts are there, Node's are not. Checked on a probe file under the same options.

/** The exit status of tsc and the error codes it gives for the probe. */
function typecheck(source: string): { status: number | null; errors: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'core-types-'))
  try {
    writeFileSync(join(dir, 'probe.ts'), source)
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({ extends: resolve('tsconfig.core.json'), compilerOptions: { rootDir: dir, noUnusedLocals: false }, include: [resolve('src/core/globals.d.ts'), join(dir, 'probe.ts')], exclude: [] }),
    )
    const run = spawnSync(process.execPath, [resolve('node_modules/typescript/bin/tsc'), '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8' })
    return { status: run.status, errors: [...run.stdout.matchAll(/probe\.ts\(\d+,\d+\): error (TS\d+)/g)].map((m) => m[1]!) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

describe('tsconfig.core.json ("types": [])', () => {
  it('knows the pure web globals', () => {
    const ok = [
      "export const a = new TextEncoder().encode('x')",
      'export const b = new TextDecoder().decode(a)',
      "export const c = structuredClone({ x: 1 })",
      "export const d = atob(btoa('x'))",
      "export const e = new URL('a', 'https://example.com/').toString()",
    ].join('\n')
    expect(typecheck(ok)).toEqual({ status: 0, errors: [] })
  })

  // TS2304/TS2591: cannot find name; TS2307: cannot find module
  it.each([
    ['Buffer', "export const x = Buffer.from('a')", 'TS2591'],
    ['process', 'export const x = process.env', 'TS2591'],
    ['setTimeout', 'export const x = setTimeout', 'TS2304'],
    ['node:fs', "import { readFileSync } from 'node:fs'\nexport const x = readFileSync", 'TS2307'],
    ['crypto (Web Crypto)', 'export const x = crypto.randomUUID()', 'TS2304'],
  ])('rejects %s', (_name, source, code) => {
    expect(typecheck(source)).toEqual({ status: 2, errors: [code] })
  })
})
