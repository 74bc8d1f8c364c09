/**
 * bin/fluxgate.js keeps the code Node compiles from lib/ in the user's cache folder between
 * runs, on a Node that can (22.1 and later; the Action's Node 24 here), and runs the same
 * without it (Node 20, or turned off).
 */
import { execFileSync } from 'node:child_process'
import module from 'node:module'
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { describeWith, node24Path } from '../support/components.js'

const BIN = resolve('bin/fluxgate.js')

describeWith(['node24'], 'the CLI compile cache', () => {
  let home = ''
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'fluxgate-compile-cache-'))))
  afterEach(() => rmSync(home, { recursive: true, force: true }))

  const run = (node: string, env: Record<string, string>): string => {
    const { NODE_COMPILE_CACHE: _a, NODE_DISABLE_COMPILE_CACHE: _b, XDG_CACHE_HOME: _c, ...rest } = process.env
    // The Node version line aside, every run must print the same.
    return execFileSync(node, [BIN, 'version'], { env: { ...rest, HOME: home, ...env }, encoding: 'utf8' }).replace(/^node v.*\n/m, '')
  }
  const files = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name) : [])

  it('keeps compiled code under the user cache folder, and a second run reads it with the same output', () => {
    const node = node24Path()!
    const first = run(node, {})
    const kept = files(join(home, '.cache', 'fluxgate', 'node-compile'))
    expect(kept.length).toBeGreaterThan(0)
    expect(run(node, {})).toBe(first)
    expect(first).toMatch(/^fluxgate \d+\.\d+\.\d+/)
    // XDG_CACHE_HOME moves it, as it moves the chart cache.
    run(node, { XDG_CACHE_HOME: join(home, 'xdg') })
    expect(files(join(home, 'xdg', 'fluxgate', 'node-compile')).length).toBeGreaterThan(0)
  })

  it('writes nothing when turned off, and runs the same on a Node without the cache (this machine has Node 20)', () => {
    const node = node24Path()!
    const on = run(node, { XDG_CACHE_HOME: join(home, 'on') })
    expect(run(node, { NODE_DISABLE_COMPILE_CACHE: '1' })).toBe(on)
    expect(files(join(home, '.cache'))).toEqual([])
    expect(run(process.execPath, {})).toBe(on)
    expect(files(join(home, '.cache')).length > 0).toBe(typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function')
  })
})
