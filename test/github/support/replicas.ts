/**
 * The App as separate processes, the way `probot run` starts it in a container: a build of the
 * App module of this checkout (esbuild, into .cache/, so it never races the lib/ build of
 * another suite), a real redis-server on 127.0.0.1, signed webhook deliveries over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHmac } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import { build } from 'esbuild'

/** A port the OS says is free now. */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const s = createServer()
    s.once('error', fail)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => done(port))
    })
  })
}

/** Polls `check` every 100 ms until it is true; fails with `what` (and the logs) after `ms`. */
export async function waitUntil(what: string, check: () => boolean | Promise<boolean>, ms = 120_000, logs?: () => string): Promise<void> {
  const until = Date.now() + ms
  for (;;) {
    if (await check()) return
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}${logs ? `\n${logs()}` : ''}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

/** Bundles src/adapters/app into `.cache/replica-app-<pid>/app.js` (packages stay in node_modules). */
export async function buildAppModule(): Promise<string> {
  const dir = resolve('.cache', `replica-app-${process.pid}`)
  mkdirSync(dir, { recursive: true })
  const out = join(dir, 'app.js')
  await build({ entryPoints: [resolve('src/adapters/app/index.ts')], outfile: out, bundle: true, format: 'esm', platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' })
  return out
}

/** A redis-server of its own on 127.0.0.1, without persistence. */
export interface RedisServer {
  url: string
  stop(): Promise<void>
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort()
  const child = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  child.stdout.on('data', (d: Buffer) => (out += d.toString()))
  await waitUntil('redis-server', () => out.includes('Ready to accept connections') || child.exitCode !== null, 20_000, () => out)
  if (child.exitCode !== null) throw new Error(`redis-server exited: ${out}`)
  return { url: `redis://127.0.0.1:${port}`, stop: () => stopProcess(child) }
}

/** One App process. */
export interface Replica {
  name: string
  url: string
  child: ChildProcess
  logs(): string
  /** SIGKILL: a replica that dies mid-job, leaving no chance to clean up. */
  kill(): Promise<void>
  stop(): Promise<void>
}

export async function startReplica(name: string, appModule: string, env: Record<string, string>): Promise<Replica> {
  const port = await freePort()
  const child = spawn(process.execPath, [resolve('node_modules/probot/bin/probot.js'), 'run', appModule], {
    cwd: resolve('.'),
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let logs = ''
  child.stdout?.on('data', (d: Buffer) => (logs += d.toString()))
  child.stderr?.on('data', (d: Buffer) => (logs += d.toString()))
  const url = `http://127.0.0.1:${port}`
  const replica: Replica = {
    name,
    url,
    child,
    logs: () => logs,
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGKILL')
      await exited
    },
    stop: () => stopProcess(child),
  }
  await waitUntil(`${name} ready`, async () => {
    if (child.exitCode !== null) throw new Error(`${name} exited (${child.exitCode}):\n${logs}`)
    try {
      return (await fetch(`${url}/readyz`)).status === 200
    } catch {
      return false
    }
  }, 60_000, () => logs)
  return replica
}

/** Sends one signed delivery, as GitHub does; answers the HTTP status. */
export async function deliver(replica: Replica, secret: string, event: string, delivery: string, payload: unknown): Promise<number> {
  const body = JSON.stringify(payload)
  const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`
  const r = await fetch(`${replica.url}/api/github/webhooks`, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', 'x-github-event': event, 'x-github-delivery': delivery, 'x-hub-signature-256': signature },
  })
  await r.arrayBuffer()
  return r.status
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((done) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      done()
    })
    child.kill('SIGTERM')
  })
}
