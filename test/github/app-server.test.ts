/**
 * The App as a service: its probes over HTTP on Probot's own server, and a boot the way
 * `npm start` and the container do it (`probot run ./lib/app.js`) with only the environment
 * variables the README documents.
 */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { createHmac, generateKeyPairSync } from 'node:crypto'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { Probot, Server } from 'probot'
import app from '../../src/adapters/app/index.js'

const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()

// Probot's Server treats port 0 as "unset" (3000), so take a free port from the OS first.
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
}

async function get(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(url)
  return { status: r.status, body: (await r.json()) as Record<string, unknown> }
}

describe('the App server: /healthz and /readyz', () => {
  let server: Server
  let base = ''
  let tmp = ''
  const saved = process.env['FLUXGATE_CACHE_DIR']

  async function start(cacheDir: string): Promise<void> {
    process.env['FLUXGATE_CACHE_DIR'] = cacheDir
    const port = await freePort()
    // Probot's pino logger at `fatal` keeps the server's request log out of the test output.
    const quiet = new Probot({ appId: 1, privateKey, logLevel: 'fatal' })
    await quiet.ready()
    server = new Server({ host: '127.0.0.1', port, log: quiet.log, Probot: Probot.defaults({ appId: 1, privateKey, secret: 'hook-secret', log: quiet.log }) })
    await server.load(app)
    await server.start()
    base = `http://127.0.0.1:${port}`
  }

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fluxgate-app-server-'))
  })
  afterEach(async () => {
    await server.stop()
    if (saved === undefined) delete process.env['FLUXGATE_CACHE_DIR']
    else process.env['FLUXGATE_CACHE_DIR'] = saved
    rmSync(tmp, { recursive: true, force: true })
  })

  it('answers /healthz, and /readyz once the handlers are registered and the cache is writable', async () => {
    await start(join(tmp, 'cache'))
    expect(await get(`${base}/healthz`)).toEqual({ status: 200, body: { status: 'ok' } })
    expect(await get(`${base}/readyz`)).toEqual({ status: 200, body: { status: 'ready', checks: { cache: 'ok', queue: 'ok' } } })
    // Probot's own routes are untouched.
    expect((await fetch(`${base}/ping`)).status).toBe(200)
    expect((await fetch(`${base}/nothing-here`)).status).toBe(404)
  })

  it('is alive but not ready when the cache folder cannot be written', async () => {
    const notAFolder = join(tmp, 'file')
    writeFileSync(notAFolder, '')
    await start(join(notAFolder, 'cache'))
    expect((await get(`${base}/healthz`)).status).toBe(200)
    const ready = await get(`${base}/readyz`)
    expect(ready.status).toBe(503)
    expect(ready.body['status']).toBe('not ready')
    expect(String((ready.body['checks'] as Record<string, string>)['cache'])).toContain('FLUXGATE_CACHE_DIR')
  })
})

describe('the App booted as `npm start` does, with the documented environment', () => {
  let child: ChildProcess | undefined
  let tmp = ''
  let logs = ''

  beforeAll(() => {
    execFileSync(process.execPath, [resolve('scripts/build.mjs')], { stdio: 'ignore' })
  })
  afterEach(() => {
    if (child?.pid && child.exitCode === null) process.kill(child.pid)
    rmSync(tmp, { recursive: true, force: true })
  })

  async function waitFor(url: string): Promise<Response> {
    const until = Date.now() + 30_000
    for (;;) {
      try {
        return await fetch(url)
      } catch (err) {
        if (Date.now() > until || child?.exitCode !== null) throw new Error(`${url} never answered: ${String(err)}\n${logs}`)
        await new Promise((r) => setTimeout(r, 200))
      }
    }
  }

  it('binds HOST:PORT, answers the probes, takes signed webhooks on WEBHOOK_PATH, logs JSON lines', async () => {
    tmp = mkdtempSync(join(tmpdir(), 'fluxgate-app-boot-'))
    const keyFile = join(tmp, 'app.pem')
    writeFileSync(keyFile, privateKey)
    const port = await freePort()
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      HOME: tmp,
      NODE_ENV: 'production',
      APP_ID: '12345',
      PRIVATE_KEY_PATH: keyFile,
      WEBHOOK_SECRET: 'documented-secret',
      WEBHOOK_PATH: '/hooks/github',
      HOST: '127.0.0.1',
      PORT: String(port),
      GHE_HOST: '127.0.0.1:9',
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'info',
      LOG_FORMAT: 'json',
      FLUXGATE_CACHE_DIR: join(tmp, 'cache'),
    }
    // The `start` script: build lib/, then `probot run ./lib/app.js` (built in beforeAll).
    const proc = spawn(process.execPath, [resolve('node_modules/probot/bin/probot.js'), 'run', './lib/app.js'], { cwd: resolve('.'), env, stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    proc.stdout.on('data', (d: Buffer) => (logs += d.toString()))
    proc.stderr.on('data', (d: Buffer) => (logs += d.toString()))
    const base = `http://127.0.0.1:${port}`

    expect((await waitFor(`${base}/healthz`)).status).toBe(200)
    expect(await (await fetch(`${base}/readyz`)).json()).toEqual({ status: 'ready', checks: { cache: 'ok', queue: 'ok' } })

    const payload = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 })
    const signature = `sha256=${createHmac('sha256', 'documented-secret').update(payload).digest('hex')}`
    const hook = (sig: string) => fetch(`${base}/hooks/github`, { method: 'POST', body: payload, headers: { 'content-type': 'application/json', 'x-github-event': 'ping', 'x-github-delivery': 'd-1', 'x-hub-signature-256': sig } })
    expect((await hook(signature)).status).toBe(200)
    expect((await hook('sha256=' + '0'.repeat(64))).status).toBe(400)

    const lines = logs.split('\n').filter((l) => l.trim())
    expect(lines.length).toBeGreaterThan(0)
    for (const l of lines) expect(() => JSON.parse(l)).not.toThrow()
    expect(lines.map((l) => (JSON.parse(l) as { msg?: string }).msg).join('\n')).toContain(`Listening on http://127.0.0.1:${port}`)
    expect(logs).not.toContain('BEGIN RSA PRIVATE KEY')
  })
})
