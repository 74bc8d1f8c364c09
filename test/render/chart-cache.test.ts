import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { renderFleet } from '../../src/core/render/render-fleet.js'
import { ChartCache } from '../../src/infra/chart-cache.js'
import { ChartFetcher, FetchFailed } from '../../src/infra/chart-fetch.js'
import { HelmCli } from '../../src/infra/helm-cli.js'
import { describeWith } from '../support/components.js'
import { freePort, startRegistry, type TestRegistry } from '../support/registry.js'
import { gotkSync, helmRelease } from './fixtures.js'
import { cleanup, fleet, HELM, indexRepo, packageCharts, pushChart, serveDir } from './support.js'

const sha = (b: Uint8Array | string): string => createHash('sha256').update(b).digest('hex')

describe('ChartCache: content-addressed chart archives on disk', () => {
  let dir = ''
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fluxgate-cache-test-'))))
  afterEach(() => cleanup(dir))

  it('returns an archive by its digest and a named entry by its exact key', () => {
    const cache = new ChartCache({ dir })
    const digest = cache.putBlob(Buffer.from('chart bytes'))
    expect(digest).toBe(`sha256:${sha('chart bytes')}`)
    expect(Buffer.from(new ChartCache({ dir }).getBlob(digest)!).toString()).toBe('chart bytes')
    cache.putRef('http https://charts.example/web-1.0.0.tgz', digest)
    expect(Buffer.from(cache.lookup('http https://charts.example/web-1.0.0.tgz')!.bytes).toString()).toBe('chart bytes')
    expect(cache.lookup('http https://charts.example/web-1.0.1.tgz')).toBeUndefined()
  })

  it('ignores and removes a corrupted archive, and ignores entries it did not write', () => {
    const cache = new ChartCache({ dir })
    const digest = cache.putBlob(Buffer.from('intact'))
    const file = join(dir, 'fluxgate-charts-v1', 'blobs', 'sha256', digest.slice(7))
    writeFileSync(file, 'tampered')
    expect(cache.getBlob(digest)).toBeUndefined()
    expect(readdirSync(join(dir, 'fluxgate-charts-v1', 'blobs', 'sha256'))).toEqual([])

    // A named entry written for another key (or by anything else) is not this key's.
    const other = cache.putBlob(Buffer.from('other'))
    const refs = join(dir, 'fluxgate-charts-v1', 'refs')
    cache.putRef('key-a', other)
    const [refFile] = readdirSync(refs)
    writeFileSync(join(refs, refFile!), JSON.stringify({ key: 'key-b', digest: other }))
    expect(cache.getRef('key-a')).toBeUndefined()
    writeFileSync(join(refs, refFile!), '{not json')
    expect(cache.getRef('key-a')).toBeUndefined()
    writeFileSync(join(refs, refFile!), JSON.stringify({ key: 'key-a', digest: '../../etc/passwd' }))
    expect(cache.getRef('key-a')).toBeUndefined()
    expect(cache.getBlob('sha256:../../x')).toBeUndefined()
  })

  it('stays within its size bound, dropping the least recently used archives first', () => {
    const cache = new ChartCache({ dir, maxBytes: 250 })
    const old = cache.putBlob(Buffer.alloc(100, 1))
    const used = cache.putBlob(Buffer.alloc(100, 2))
    const fresh = cache.putBlob(Buffer.alloc(100, 3))
    const blob = (d: string): string => join(dir, 'fluxgate-charts-v1', 'blobs', 'sha256', d.slice(7))
    utimesSync(blob(old), new Date(1_000_000), new Date(1_000_000))
    utimesSync(blob(used), new Date(2_000_000), new Date(2_000_000))
    utimesSync(blob(fresh), new Date(3_000_000), new Date(3_000_000))
    expect(cache.getBlob(used)).toBeDefined() // a read makes it the most recently used
    expect(cache.trim()).toBe(1)
    expect(cache.getBlob(old)).toBeUndefined()
    expect(cache.getBlob(used)).toBeDefined()
    expect(cache.getBlob(fresh)).toBeDefined()
  })
})

/** A Helm repository on 127.0.0.1 whose answers a test scripts: status codes, delays, silence. */
async function scriptedServer(answer: (path: string, n: number) => { status: number; body?: string; headers?: Record<string, string> } | 'hang'): Promise<{ url: string; hits: string[]; stop: () => Promise<void> }> {
  const hits: string[] = []
  const server = http.createServer((req, res) => {
    const path = req.url ?? '/'
    hits.push(path)
    const a = answer(path, hits.filter((h) => h === path).length)
    if (a === 'hang') return
    res.writeHead(a.status, a.headers ?? {}).end(a.body ?? '')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections()
        server.close(() => r())
      }),
  }
}

describe('ChartFetcher: time-outs and retries', () => {
  it('retries 503 and 429 (honouring Retry-After) and then succeeds', async () => {
    const server = await scriptedServer((_p, n) => (n === 1 ? { status: 503 } : n === 2 ? { status: 429, headers: { 'retry-after': '2' } } : { status: 200, body: 'apiVersion: v1\nentries: {}\n' }))
    const waits: number[] = []
    try {
      const f = new ChartFetcher({ sleep: async (ms) => void waits.push(ms) })
      expect(await f.fetchIndex(server.url)).toContain('entries')
      expect(server.hits).toEqual(['/index.yaml', '/index.yaml', '/index.yaml'])
      expect(waits).toEqual([500, 2000])
    } finally {
      await server.stop()
    }
  })

  it('gives up after its retries with the last status, and does not retry a 404', async () => {
    const server = await scriptedServer((p) => (p.startsWith('/gone') ? { status: 404 } : { status: 502 }))
    try {
      const f = new ChartFetcher({ retries: 2, sleep: async () => {} })
      await expect(f.fetchArchive(`${server.url}/web-1.0.0.tgz`)).rejects.toThrow(/HTTP 502/)
      expect(server.hits.filter((h) => h === '/web-1.0.0.tgz')).toHaveLength(3)
      await expect(f.fetchArchive(`${server.url}/gone.tgz`)).rejects.toThrow(/HTTP 404/)
      expect(server.hits.filter((h) => h === '/gone.tgz')).toHaveLength(1)
    } finally {
      await server.stop()
    }
  })

  it('times out a silent server, retrying before it gives up', async () => {
    const server = await scriptedServer(() => 'hang')
    try {
      const f = new ChartFetcher({ timeoutMs: 150, retries: 1, sleep: async () => {} })
      const err = await f.fetchIndex(server.url).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(FetchFailed)
      expect((err as Error).message).toMatch(/timed out \(after 2 tries\)/)
      expect(server.hits).toHaveLength(2)
    } finally {
      await server.stop()
    }
  })

  it('does not retry a refused connection', async () => {
    const waits: number[] = []
    const f = new ChartFetcher({ sleep: async (ms) => void waits.push(ms) })
    await expect(f.fetchIndex(`http://127.0.0.1:${await freePort()}`)).rejects.toThrow(/ECONNREFUSED/)
    expect(waits).toEqual([])
  })

  it('refuses an archive that does not match the index digest', async () => {
    const server = await scriptedServer(() => ({ status: 200, body: 'not the chart' }))
    try {
      await expect(new ChartFetcher().fetchArchive(`${server.url}/web.tgz`, `sha256:${sha('the chart')}`)).rejects.toThrow(/digest mismatch/)
    } finally {
      await server.stop()
    }
  })
})

const httpRelease = (url: string): Record<string, string> => ({
  'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
  'clusters/dev/sources.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata: {name: charts, namespace: flux-system}\nspec: {interval: 1h, url: ${url}}\n---\n${helmRelease('web', 'flux-system', '  chart:\n    spec:\n      chart: web\n      version: "1.0.0"\n      sourceRef: {kind: HelmRepository, name: charts}\n')}`,
})

describeWith(['helm'], 'the chart cache across runs (a real Helm HTTP repository)', () => {
  let repoDir = ''
  let server: Awaited<ReturnType<typeof serveDir>>
  let cacheDir = ''

  beforeAll(async () => {
    repoDir = packageCharts([{ name: 'web', version: '1.0.0' }])
    server = await serveDir(repoDir)
    indexRepo(repoDir)
    cacheDir = mkdtempSync(join(tmpdir(), 'fluxgate-chart-cache-'))
  })

  afterAll(async () => {
    await server.stop()
    cleanup(repoDir)
    cleanup(cacheDir)
  })

  async function runOnce(): Promise<string> {
    const helm = new HelmCli({ helmPath: HELM, cacheDir })
    try {
      const r = await renderFleet(fleet(httpRelease(server.url)), { revision: 'h', allowRemoteCharts: true }, { helm })
      expect(r.clusters[0]!.diagnostics.filter((d) => d.severity !== 'info')).toEqual([])
      return r.clusters[0]!.owners.find((o) => o.ref.kind === 'HelmRelease')!.status
    } finally {
      helm.dispose()
    }
  }

  it('downloads an archive once, serves later runs from the cache, and fetches again when the cached file is damaged', async () => {
    expect(await runOnce()).toBe('rendered')
    expect(server.hits.get('/web-1.0.0.tgz')).toBe(1)
    expect(await runOnce()).toBe('rendered')
    expect(server.hits.get('/web-1.0.0.tgz')).toBe(1)
    // The index is read on every run: it says which version and digest a constraint selects.
    expect(server.hits.get('/index.yaml')).toBe(2)
    const blobs = join(cacheDir, 'fluxgate-charts-v1', 'blobs', 'sha256')
    const [blob] = readdirSync(blobs)
    expect(sha(readFileSync(join(blobs, blob!)))).toBe(blob)
    writeFileSync(join(blobs, blob!), 'damaged')
    expect(await runOnce()).toBe('rendered')
    expect(server.hits.get('/web-1.0.0.tgz')).toBe(2)
  })
})

describeWith(['helm', 'docker-registry'], 'the chart cache across runs (a real OCI registry)', () => {
  let registry: TestRegistry
  let dir = ''
  let cacheDir = ''

  beforeAll(async () => {
    registry = await startRegistry('none')
    dir = packageCharts([{ name: 'web', version: '1.0.0' }])
    pushChart(`${dir}/web-1.0.0.tgz`, `oci://${registry.host}/charts`)
    cacheDir = mkdtempSync(join(tmpdir(), 'fluxgate-chart-cache-'))
  }, 60_000)

  afterAll(async () => {
    await registry.stop()
    cleanup(dir)
    cleanup(cacheDir)
  })

  it('resolves the tag on every run but pulls the chart layer once; the version carries the manifest digest (H-5)', async () => {
    const files = {
      'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
      'clusters/dev/sources.yaml': `apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: {name: web, namespace: flux-system}\nspec:\n  interval: 10m\n  url: oci://${registry.host}/charts/web\n  ref: {tag: "1.0.0"}\n---\n${helmRelease('web', 'flux-system', '  chartRef: {kind: OCIRepository, name: web}\n')}`,
    }
    const requests: string[] = []
    const counting: typeof fetch = (input, init) => {
      requests.push(new URL(String(input)).pathname)
      return fetch(input, init)
    }
    const run = async (): Promise<string | undefined> => {
      const helm = new HelmCli({ helmPath: HELM, cacheDir, fetch: { fetch: counting } })
      try {
        const r = await renderFleet(fleet(files), { revision: 'h', allowRemoteCharts: true }, { helm })
        expect(r.clusters[0]!.diagnostics).toEqual([])
        return r.clusters[0]!.owners.find((o) => o.ref.kind === 'HelmRelease')!.helm?.version
      } finally {
        helm.dispose()
      }
    }
    const first = await run()
    const second = await run()
    const manifest = await fetch(`${registry.url}/v2/charts/web/manifests/1.0.0`, { method: 'HEAD', headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' } })
    const digest = manifest.headers.get('docker-content-digest')!
    expect(first).toBe(`1.0.0+${digest.slice(7, 19)}`)
    expect(second).toBe(first)
    expect(requests.filter((p) => p.includes('/manifests/'))).toHaveLength(2)
    expect(requests.filter((p) => p.includes('/blobs/'))).toHaveLength(1)
  })
})
