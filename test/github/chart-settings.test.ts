import { jest } from '@jest/globals'
import { readSettings } from '../../src/adapters/action/inputs.js'
import { readAppSettings } from '../../src/adapters/app/settings.js'
import { defaultThreads } from '../../src/infra/thread-pool.js'

describe('chart settings of the Action inputs', () => {
  const saved = { ...process.env }
  let out: string[] = []
  beforeEach(() => {
    out = []
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true))
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k]
    Object.assign(process.env, { 'INPUT_GITHUB-TOKEN': 'ghs_test', GITHUB_REPOSITORY: 'acme/fleet', GITHUB_EVENT_NAME: 'workflow_dispatch', HOME: '/home/runner', GITHUB_WORKSPACE: '/home/runner/work/fleet' })
  })
  afterEach(() => {
    jest.restoreAllMocks()
    process.env = { ...saved }
  })

  it('fetches remote charts by default and keeps them where the README cache step looks', () => {
    expect(readSettings()).toMatchObject({ offline: false, chartCache: '/home/runner/.cache/fluxgate/charts' })
  })

  it('turns fetching off with offline: true, or with the deprecated allow-remote-charts: false (with a warning)', () => {
    process.env['INPUT_OFFLINE'] = 'true'
    expect(readSettings().offline).toBe(true)
    delete process.env['INPUT_OFFLINE']
    process.env['INPUT_ALLOW-REMOTE-CHARTS'] = 'false'
    expect(readSettings().offline).toBe(true)
    expect(out.join('')).toMatch(/::warning::input allow-remote-charts is deprecated/)
    process.env['INPUT_ALLOW-REMOTE-CHARTS'] = 'true'
    expect(readSettings().offline).toBe(false)
  })

  it('keeps renders only when render-cache is true, and refuses anything but a boolean', () => {
    expect(readSettings().renderCache).toBe(false)
    process.env['INPUT_RENDER-CACHE'] = 'true'
    expect(readSettings().renderCache).toBe(true)
    process.env['INPUT_RENDER-CACHE'] = 'yes please'
    expect(() => readSettings()).toThrow(/render-cache/)
  })

  it('takes render threads from the threads input (the runner default when empty) and refuses anything else', () => {
    expect(readSettings().threads).toBe(defaultThreads())
    process.env['INPUT_THREADS'] = '3'
    expect(readSettings().threads).toBe(3)
    for (const bad of ['0', '65', 'many', '2.5', '-1']) {
      process.env['INPUT_THREADS'] = bad
      expect(() => readSettings()).toThrow(`input threads: expected a whole number from 1 to 64, got '${bad}'`)
    }
  })

  it('expands ~/ in chart-cache and refuses a relative path', () => {
    process.env['INPUT_CHART-CACHE'] = '~/charts'
    expect(readSettings().chartCache).toBe('/home/runner/charts')
    process.env['INPUT_CHART-CACHE'] = 'charts'
    expect(() => readSettings()).toThrow(/input chart-cache/)
  })
})

describe('chart settings of the App', () => {
  it('fetches by default; FLUXGATE_OFFLINE or the deprecated FLUXGATE_ALLOW_REMOTE_CHARTS=false turn it off', () => {
    expect(readAppSettings({ FLUXGATE_CACHE_DIR: '/var/cache/fluxgate' })).toMatchObject({ offline: false, chartCache: '/var/cache/fluxgate/charts' })
    expect(readAppSettings({ FLUXGATE_OFFLINE: 'true' }).offline).toBe(true)
    expect(readAppSettings({ FLUXGATE_ALLOW_REMOTE_CHARTS: 'false' }).offline).toBe(true)
    expect(readAppSettings({ FLUXGATE_ALLOW_REMOTE_CHARTS: 'true' }).offline).toBe(false)
    expect(readAppSettings({ FLUXGATE_CHART_CACHE: '/charts' }).chartCache).toBe('/charts')
  })

  it('keeps 256 MiB of renders per repository unless FLUXGATE_RENDER_CACHE_MB says otherwise (0: none)', () => {
    expect(readAppSettings({}).renderCacheBytes).toBe(256 * 1024 * 1024)
    expect(readAppSettings({ FLUXGATE_RENDER_CACHE_MB: '0' }).renderCacheBytes).toBe(0)
    expect(readAppSettings({ FLUXGATE_RENDER_CACHE_MB: '64' }).renderCacheBytes).toBe(64 * 1024 * 1024)
    expect(() => readAppSettings({ FLUXGATE_RENDER_CACHE_MB: 'lots' })).toThrow(/FLUXGATE_RENDER_CACHE_MB: expected a size in MiB/)
    expect(() => readAppSettings({ FLUXGATE_RENDER_CACHE_MB: '-1' })).toThrow(/FLUXGATE_RENDER_CACHE_MB/)
  })

  it('keeps as many plan workers warm as reviews run at once, for ten minutes, unless told otherwise (0: none)', () => {
    expect(readAppSettings({}).warmPlanWorkers).toEqual({ keep: 2, idleMs: 600_000 })
    expect(readAppSettings({ FLUXGATE_QUEUE_CONCURRENCY: '4' }).warmPlanWorkers.keep).toBe(4)
    expect(readAppSettings({ FLUXGATE_WARM_PLAN_WORKERS: '0' }).warmPlanWorkers.keep).toBe(0)
    expect(readAppSettings({ FLUXGATE_WARM_PLAN_WORKERS: '3', FLUXGATE_PLAN_WORKER_IDLE_SECONDS: '90' }).warmPlanWorkers).toEqual({ keep: 3, idleMs: 90_000 })
    for (const bad of ['-1', '1.5', 'some']) expect(() => readAppSettings({ FLUXGATE_WARM_PLAN_WORKERS: bad })).toThrow(/FLUXGATE_WARM_PLAN_WORKERS: expected a whole number/)
  })
})
