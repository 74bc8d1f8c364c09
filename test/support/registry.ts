import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { X509Certificate, randomUUID, sign } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/**
 * A real CNCF distribution 2.8 registry (Debian `docker-registry`) on 127.0.0.1, started for a
 * test (real-components §1.2–1.4). Auth modes: none, htpasswd (Basic), or a Bearer token
 * service run in-process that grants pull to anyone and pull+push to testuser:testpass.
 */
export interface TestRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string
  /** `127.0.0.1:PORT`: what an image reference starts with. */
  host: string
  /** Credentials that work for this registry (when it has auth). */
  user: { username: string; password: string }
  /** Requests the token service received (auth `token` only): their Authorization presence. */
  tokenRequests: { scope: string; withCredentials: boolean }[]
  stop(): Promise<void>
}

export type RegistryAuth = 'none' | 'htpasswd' | 'token'

/** bcrypt line for testuser:testpass (htpasswd -Bbn), accepted by the registry (§1.3). */
const HTPASSWD = 'testuser:$2y$05$5ltjpESSg0PO5oLAnyb4heTVJv/OSX0dyEFJHPt0u8fKeYX/eFYqy\n'
const USER = { username: 'testuser', password: 'testpass' }

/** A port the OS considers free now (listen on 0, then close). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.unref()
    s.on('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo
      s.close(() => resolve(port))
    })
  })
}

/** Starts a registry; stop() kills the child (by its own pid) and removes its folder. */
export async function startRegistry(auth: RegistryAuth = 'none'): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-registry-'))
  const port = await freePort()
  const tokenRequests: TestRegistry['tokenRequests'] = []
  const extra: string[] = []
  let tokenServer: http.Server | undefined
  if (auth === 'htpasswd') {
    writeFileSync(join(dir, 'htpasswd'), HTPASSWD)
    extra.push(`auth: {htpasswd: {realm: test-registry, path: ${join(dir, 'htpasswd')}}}`)
  }
  if (auth === 'token') {
    const started = await startTokenServer(dir, tokenRequests)
    tokenServer = started.server
    extra.push(
      `auth: {token: {realm: "http://127.0.0.1:${started.port}/token", service: test-registry, issuer: test-issuer, rootcertbundle: ${join(dir, 'cert.pem')}}}`,
    )
  }
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log: {level: error, accesslog: {disabled: true}}',
      `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
      `http: {addr: "127.0.0.1:${port}", secret: test-only-secret}`,
      ...extra,
      '',
    ].join('\n'),
  )
  const child = spawn('/usr/bin/docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'pipe'] })
  const url = `http://127.0.0.1:${port}`
  await waitReady(child, url)
  return {
    url,
    host: `127.0.0.1:${port}`,
    user: USER,
    tokenRequests,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r))
        child.kill('SIGTERM')
        await exited
      }
      await new Promise((r) => (tokenServer ? tokenServer.close(r) : r(undefined)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

async function waitReady(child: ChildProcess, url: string): Promise<void> {
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const t0 = Date.now()
  for (;;) {
    if (child.exitCode !== null) throw new Error(`registry exited: ${stderr}`)
    try {
      const r = await fetch(`${url}/v2/`)
      if (r.status === 200 || r.status === 401) return
    } catch {
      // not listening yet
    }
    if (Date.now() - t0 > 10_000) {
      child.kill()
      throw new Error(`registry not ready: ${stderr}`)
    }
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** The token service of §1.4, in-process: RS256 JWTs with the certificate in `x5c`. */
async function startTokenServer(dir: string, log: TestRegistry['tokenRequests']): Promise<{ server: http.Server; port: number }> {
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '30', '-subj', '/CN=test-token-issuer'], { stdio: 'ignore' })
  const key = readFileSync(join(dir, 'key.pem'))
  const certDer = new X509Certificate(readFileSync(join(dir, 'cert.pem'))).raw.toString('base64')
  const b64u = (x: unknown): string => Buffer.from(typeof x === 'string' ? x : JSON.stringify(x)).toString('base64url')
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x')
    const a = req.headers.authorization ?? ''
    const user = a.startsWith('Basic ') ? Buffer.from(a.slice(6), 'base64').toString() : null
    log.push({ scope: u.searchParams.getAll('scope').join(' '), withCredentials: user !== null })
    if (user && user !== `${USER.username}:${USER.password}`) {
      res.writeHead(401)
      res.end('{"errors":[{"code":"UNAUTHORIZED"}]}')
      return
    }
    const access = u.searchParams.getAll('scope').map((s) => {
      const [type, name, acts = ''] = s.split(':')
      return { type, name, actions: acts.split(',').filter((x) => user || x === 'pull') }
    })
    const now = Math.floor(Date.now() / 1000)
    const head = b64u({ alg: 'RS256', typ: 'JWT', x5c: [certDer] })
    const body = b64u({ iss: 'test-issuer', sub: user ? USER.username : '', aud: u.searchParams.get('service'), exp: now + 300, nbf: now - 10, iat: now, jti: randomUUID(), access })
    const jwt = `${head}.${body}.${sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key).toString('base64url')}`
    res.writeHead(200, { 'Content-Type': 'application/json' })
    res.end(JSON.stringify({ token: jwt, access_token: jwt, expires_in: 300 }))
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, port: (server.address() as AddressInfo).port }
}
