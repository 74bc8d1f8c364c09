/**
 * Render threads change nothing: a generated fleet of several clusters is rendered and planned
 * in worker threads (src/infra/thread-pool.ts, lib/thread-worker.js) and in this thread, and
 * the renders and plans must be identical, byte for byte, with helm rendering the fleet's
 * local chart for real (asked of this thread by message). A thread that fails loses nothing,
 * and a thread reaches no helm but the one its task was given.
 */
import { jest } from '@jest/globals'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { main } from '../../src/adapters/cli/main.js'
import type { CliIo } from '../../src/adapters/cli/io.js'
import type { FleetRender } from '../../src/core/model/render-result.js'
import { UnitMemo } from '../../src/core/render/flux/unit-memo.js'
import { recordPhases } from '../../src/core/timings/phases.js'
import { renderFleet, type RenderOptions, type RenderPorts } from '../../src/core/render/render-fleet.js'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import { planTrees } from '../../src/flows/plan.js'
import { DiskTree } from '../../src/infra/disk-tree.js'
import { HelmCli } from '../../src/infra/helm-cli.js'
import { DiskRenderCache } from '../../src/infra/render-cache.js'
import { defaultThreads, threadScript, WorkerThreadPool } from '../../src/infra/thread-pool.js'
import type { FileTree } from '../../src/ports/file-tree.js'
import type { HelmRunner } from '../../src/ports/helm.js'
import type { Logger } from '../../src/ports/logger.js'
import type { RenderCache } from '../../src/ports/render-cache.js'
import type { ThreadPool } from '../../src/ports/threads.js'
import { describeWith } from '../support/components.js'
import { FLEET_REPO_URL, generateFleet } from '../support/fleet-generator.js'

const OPTS = (revision: string): RenderOptions => ({ revision, repoUrl: FLEET_REPO_URL, branch: 'main' })
const json = (f: FleetRender): string => JSON.stringify(f)

/** A pool that counts the tasks it took (not those it declined). */
class Counting implements ThreadPool {
  taken = 0
  constructor(private readonly pool: ThreadPool) {}
  get size(): number {
    return this.pool.size
  }
  run(trees: readonly FileTree[], affinity: string, task: unknown, helm?: HelmRunner): Promise<unknown> | undefined {
    const r = this.pool.run(trees, affinity, task, helm)
    if (r) this.taken++
    return r
  }
}

/** Runs `fn` with a fresh folder, removed afterwards. */
async function inTempDir(fn: (dir: string) => Promise<void> | void): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-threads-'))
  try {
    await fn(dir)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const files = generateFleet({ clusters: 3, apps: 12, helmEvery: 6, secretEvery: 4 })
// Keys a plain object must keep as keys when it crosses threads.
files['clusters/c0/odd-keys.yaml'] = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: odd-keys\n  namespace: flux-system\ndata:\n  __proto__: "p"\n  constructor: "c"\n  toString: "t"\n'

describeWith(['helm'], 'render threads', () => {
  jest.setTimeout(300_000)
  const helm = new HelmCli({ helmPath: resolve('.tools/helm4/helm') })
  const pool = new WorkerThreadPool(2, { minFiles: 0 })
  afterAll(async () => {
    await pool.close()
    helm.dispose()
  })
  const tree = MemoryTree.fromRecord(files)
  /** One app's replicas changed, as a one-line pull request changes it. */
  const oneLineEdit = { 'tenants/team3/app3/overlays/c1/replicas.yaml': files['tenants/team3/app3/overlays/c1/replicas.yaml']!.replace(/replicas: \d+/, 'replicas: 9') }
  const oneLine = (): MemoryTree => MemoryTree.fromRecord({ ...files, ...oneLineEdit })
  const planOf = (head: MemoryTree, with_: { trusted?: boolean; renderCache?: RenderCache; threads?: ThreadPool } = {}) =>
    planTrees({
      origin: with_.trusted === false ? { kind: 'local-untrusted' } : { kind: 'local' },
      from: { tree, revision: 'a'.repeat(40), label: 'main' },
      to: { tree: head, revision: 'b'.repeat(40), label: 'feature' },
      settings: tree,
      repoUrl: FLEET_REPO_URL,
      branch: 'main',
      offline: true,
      helm,
      ...(with_.renderCache ? { renderCache: with_.renderCache } : {}),
      ...(with_.threads ? { threads: with_.threads } : {}),
    })

  it('finds the thread script of the build', () => {
    expect(threadScript()).toMatch(/lib\/thread-worker\.js$/)
    expect(pool.size).toBe(2)
  })

  it('renders a fleet in threads exactly as in this thread', async () => {
    const ports: RenderPorts = { helm, units: new UnitMemo({ retain: false }) }
    const here = await renderFleet(tree, OPTS('base'), ports)
    const counting = new Counting(pool)
    const there = await renderFleet(tree, OPTS('base'), { helm, units: new UnitMemo({ retain: false }), threads: counting })
    expect(counting.taken).toBe(3)
    expect(json(there)).toBe(json(here))
    // The comparison covers helm's output and the keys that name Object's own properties.
    const objects = there.clusters.flatMap((c) => c.objects)
    expect(objects.some((o) => o.source?.via?.includes('templates/deployment.yaml'))).toBe(true)
    const odd = objects.find((o) => o.object.metadata.name === 'odd-keys')!.object['data'] as Record<string, unknown>
    expect(Object.keys(odd)).toEqual(['__proto__', 'constructor', 'toString'])
    expect([Object.hasOwn(odd, '__proto__'), odd['__proto__'], odd['constructor'], odd['toString']]).toEqual([true, 'p', 'c', 't'])
  })

  it('renders the same with the thread script of the Action bundle (dist/thread-worker.js)', async () => {
    const bundled = new WorkerThreadPool(2, { script: resolve('dist/thread-worker.js'), minFiles: 0 })
    const counting = new Counting(bundled)
    try {
      const there = await renderFleet(tree, OPTS('base'), { helm, units: new UnitMemo({ retain: false }), threads: counting })
      expect(counting.taken).toBe(3)
      expect(json(there)).toBe(json(await renderFleet(tree, OPTS('base'), { helm, units: new UnitMemo({ retain: false }) })))
    } finally {
      await bundled.close()
    }
  })

  it('times the phases of the threads with those of this thread (--timings)', async () => {
    const timed = async (threads?: ThreadPool) => {
      const recording = recordPhases(() => performance.now())
      try {
        await renderFleet(tree, OPTS('base'), { helm, units: new UnitMemo({ retain: false }), ...(threads ? { threads } : {}) })
        return new Map(recording.stop().map((p) => [p.phase, p.calls]))
      } finally {
        recording.stop()
      }
    }
    const here = await timed()
    const there = await timed(pool)
    // One call per Kustomization rendered, wherever it was rendered.
    expect(there.get('flux: kustomization (overlay, post-build)')).toBe(here.get('flux: kustomization (overlay, post-build)'))
    expect(there.get('flux: kustomization (overlay, post-build)')).toBeGreaterThan(30)
    expect(there.get('helm: template (wall, concurrent)')).toBe(here.get('helm: template (wall, concurrent)'))
  })

  it('plans edits in threads exactly as in this thread, the head reusing its base there', async () => {
    const edits: Record<string, string>[] = [
      oneLineEdit,
      { 'charts/webapp/templates/service.yaml': files['charts/webapp/templates/service.yaml']!.replace('port: 80', 'port: 8081') },
      { 'clusters/c2/cluster-vars.yaml': files['clusters/c2/cluster-vars.yaml']!.replace(/region: .*/, 'region: moved') },
      // Clusters the head adds, walked in one tree only: one listed after the others, one before.
      ...['c9', 'a9'].map((c) => Object.fromEntries(Object.entries(files).filter(([p]) => p.startsWith('clusters/c2/')).map(([p, t]) => [p.replace('clusters/c2/', `clusters/${c}/`), t]))),
    ]
    for (const edit of edits) {
      const head = MemoryTree.fromRecord({ ...files, ...edit })
      const here = await planOf(head)
      const counting = new Counting(pool)
      const there = await planOf(head, { threads: counting })
      const why = Object.keys(edit)[0]
      // Each fleet lists its clusters in its own order, as a render of that tree alone does.
      const alone = (await renderFleet(head, OPTS('head'), { helm })).clusters.map((c) => c.name)
      expect(alone).toHaveLength(why!.startsWith('clusters/c9/') || why!.startsWith('clusters/a9/') ? 4 : 3)
      expect(there.headFleet.clusters.map((c) => c.name)).toEqual(alone)
      expect(here.headFleet.clusters.map((c) => c.name)).toEqual(alone)
      expect(counting.taken).toBeGreaterThanOrEqual(3)
      expect({ why, plan: JSON.stringify(there.plan) }).toEqual({ why, plan: JSON.stringify(here.plan) })
      expect({ why, head: json(there.headFleet) }).toEqual({ why, head: json(here.headFleet) })
      expect({ why, base: json(there.baseFleet) }).toEqual({ why, base: json(here.baseFleet) })
      // The head reused its base's units in the threads, exactly as it does here.
      expect(there.units!.reused).toBeGreaterThan(0)
      expect({ why, units: there.units }).toEqual({ why, units: here.units })
    }
  })

  it('reads and writes a render cache on disk from the threads, read-only for an untrusted change', async () => {
    await inTempDir(async (dir) => {
      const records = (): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.(rec|tmp)$/.test(f))
      const head = oneLine()
      const expected = JSON.stringify((await planOf(head)).plan)
      const untrustedExpected = JSON.stringify((await planOf(head, { trusted: false })).plan)

      // An untrusted change writes nothing, from any thread.
      const untrusted = new Counting(pool)
      const readOnly = await planOf(head, { trusted: false, renderCache: new DiskRenderCache(join(dir, 'u')), threads: untrusted })
      expect(untrusted.taken).toBe(3)
      expect(JSON.stringify(readOnly.plan)).toBe(untrustedExpected)
      expect(readOnly.units).toMatchObject({ stored: 0, fromCache: 0 })
      expect(records()).toEqual([])

      const cold = new Counting(pool)
      const first = await planOf(head, { renderCache: new DiskRenderCache(join(dir, 't')), threads: cold })
      expect(cold.taken).toBe(3)
      expect(JSON.stringify(first.plan)).toBe(expected)
      expect(first.units!.stored).toBeGreaterThan(20)
      expect(records().filter((f) => f.endsWith('.rec')).length).toBe(first.units!.stored)
      expect(records().filter((f) => f.endsWith('.tmp'))).toEqual([])

      const warm = new Counting(pool)
      const second = await planOf(head, { renderCache: new DiskRenderCache(join(dir, 't')), threads: warm })
      expect(warm.taken).toBe(3)
      expect(JSON.stringify(second.plan)).toBe(expected)
      expect(second.units!.fromCache).toBeGreaterThan(20)

      // A store that lives in this thread only (no threadHandle) keeps its clusters here.
      const kept = new Map<string, unknown>()
      const inMemory: RenderCache = { get: (k) => kept.get(k), set: (k, v) => void kept.set(k, v) }
      const here = new Counting(pool)
      expect(JSON.stringify((await planOf(head, { renderCache: inMemory, threads: here })).plan)).toBe(expected)
      expect(here.taken).toBe(0)
      expect(kept.size).toBeGreaterThan(20)
    })
  })

  it('renders in this thread what a failed thread was given, and says so', async () => {
    await inTempDir(async (dir) => {
      const script = join(dir, 'dies.mjs')
      writeFileSync(script, 'process.exit(3)\n')
      const broken = new WorkerThreadPool(2, { script, minFiles: 0 })
      const warnings: string[] = []
      const logger: Logger = { debug() {}, info() {}, warn: (m) => void warnings.push(m), error() {} }
      const there = await renderFleet(tree, OPTS('base'), { helm, logger, units: new UnitMemo({ retain: false }), threads: broken })
      await broken.close()
      expect(json(there)).toBe(json(await renderFleet(tree, OPTS('base'), { helm, units: new UnitMemo({ retain: false }) })))
      expect(warnings).toHaveLength(3)
      expect(warnings[0]).toMatch(/^cluster c\d is rendered in this thread: its own failed \(a render thread stopped \(exit code 3\)\)$/)
    })
  })

  it('answers a thread helm only for a runner given with one of its running tasks', async () => {
    await inTempDir(async (dir) => {
      // A thread that asks for helm runner 1, then runner 2, and answers with both replies.
      const script = join(dir, 'asks.mjs')
      writeFileSync(script, `import { parentPort } from 'node:worker_threads'
let task; let replies = []
parentPort.on('message', (m) => {
  if (m.t === 'task') { task = m.id; replies = []; for (const h of [1, 2]) parentPort.postMessage({ t: 'helm', id: h, helm: h, method: 'template', args: [{ releaseName: 'r' }] }) }
  if (m.t === 'helm') { replies.push(m); if (replies.length === 2) parentPort.postMessage({ t: 'done', id: task, value: replies.sort((a, b) => a.id - b.id) }) }
})
`)
      const asks = new WorkerThreadPool(1, { script, minFiles: 0 })
      const given: HelmRunner = {
        fetchIndex: () => Promise.resolve({ ok: false, error: 'no' }),
        listTags: () => Promise.resolve({ ok: false, error: 'no' }),
        template: (req) => Promise.resolve({ ok: false, error: `templated ${req.releaseName}` }),
      }
      const replies = (await asks.run([tree], 'a', { kind: 'anything' }, given)) as { id: number; ok: boolean; value?: unknown; message?: string }[]
      expect(replies).toEqual([
        { t: 'helm', id: 1, ok: true, value: { ok: false, error: 'templated r' } },
        { t: 'helm', id: 2, ok: false, message: 'helm cannot template here' },
      ])
      // Without a runner given, the task's thread reaches none.
      const none = (await asks.run([tree], 'b', { kind: 'anything' })) as { ok: boolean }[]
      expect(none.map((r) => r.ok)).toEqual([false, false])
      await asks.close()
    })
  })

  it('refuses a --threads that is not a whole number from 1 to 64', async () => {
    for (const bad of ['0', '65', 'two', '-1', '1.5', '']) {
      let err = ''
      const io: CliIo = { stdout: () => {}, stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false }
      expect(await main(['render', `--threads=${bad}`, '--path', 'nowhere'], io)).toBe(2)
      expect(err).toContain(`--threads must be a whole number from 1 to 64, not '${bad}'`)
    }
  })

  it('uses threads by default only from 4 cores, keeping one core for this thread', () => {
    expect([1, 2, 3, 4, 8, 16, 64].map((n) => defaultThreads(n))).toEqual([1, 1, 1, 3, 7, 8, 8])
  })

  it('hands over only trees held in memory and large enough, and nothing with no threads', async () => {
    await inTempDir((dir) => {
      expect(pool.run([tree, new DiskTree(dir)], 'x', {})).toBeUndefined()
      expect(new WorkerThreadPool(0, { minFiles: 0 }).run([tree], 'x', {})).toBeUndefined()
      expect(new WorkerThreadPool(2, { script: undefined }).size).toBe(0)
      // A fleet too small to pay for starting a thread stays here.
      expect(Object.keys(files).length).toBeLessThan(1000)
      expect(new WorkerThreadPool(2).run([tree], 'x', {})).toBeUndefined()
    })
  })
})
