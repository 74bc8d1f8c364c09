import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'

/** How to authenticate a push: nothing, Basic, or a Bearer token fetched from the registry's realm. */
export type PushAuth = { basic?: { username: string; password: string } }

const sha = (b: Buffer): string => 'sha256:' + createHash('sha256').update(b).digest('hex')

/**
 * Pushes a tiny OCI image (config + one layer + manifest) through the distribution HTTP API,
 * as real-components §1.5 does with fetch. The layer content is unique per repo:tag, so each
 * tag gets its own digest. Handles a Bearer challenge by asking the realm for a push token
 * with the Basic credentials. Returns the manifest digest the registry reports.
 */
export async function pushImage(base: string, repo: string, tag: string, auth: PushAuth = {}): Promise<string> {
  const headers = await authHeaders(base, repo, auth)
  const layer = gzipSync(Buffer.from(`not really a tar: ${repo}:${tag}\n`))
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      config: { Labels: { 'org.opencontainers.image.version': tag } },
      rootfs: { type: 'layers', diff_ids: [sha(layer)] },
    }),
  )
  const c = await blob(base, repo, config, headers)
  const l = await blob(base, repo, layer, headers)
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...c },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', ...l }],
  })
  const res = await fetch(`${base}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    headers: { ...headers, 'Content-Type': 'application/vnd.oci.image.manifest.v1+json' },
    body: manifest,
  })
  if (res.status !== 201) throw new Error(`manifest put ${res.status} ${await res.text()}`)
  return res.headers.get('docker-content-digest') ?? ''
}

/** Pushes several tags of one repository, in the order given. */
export async function pushTags(base: string, repo: string, tags: string[], auth: PushAuth = {}): Promise<Record<string, string>> {
  const out: Record<string, string> = {}
  for (const t of tags) out[t] = await pushImage(base, repo, t, auth)
  return out
}

async function authHeaders(base: string, repo: string, auth: PushAuth): Promise<Record<string, string>> {
  const basic = auth.basic ? 'Basic ' + Buffer.from(`${auth.basic.username}:${auth.basic.password}`).toString('base64') : undefined
  const probe = await fetch(`${base}/v2/`, basic ? { headers: { Authorization: basic } } : {})
  await probe.body?.cancel()
  const challenge = probe.headers.get('www-authenticate') ?? ''
  if (probe.status !== 401 || !challenge.startsWith('Bearer ')) return basic ? { Authorization: basic } : {}
  const realm = /realm="([^"]+)"/.exec(challenge)?.[1] ?? ''
  const service = /service="([^"]+)"/.exec(challenge)?.[1] ?? ''
  const url = new URL(realm)
  url.searchParams.set('service', service)
  url.searchParams.set('scope', `repository:${repo}:pull,push`)
  const res = await fetch(url, basic ? { headers: { Authorization: basic } } : {})
  const { token } = (await res.json()) as { token: string }
  return { Authorization: `Bearer ${token}` }
}

async function blob(base: string, repo: string, buf: Buffer, headers: Record<string, string>): Promise<{ digest: string; size: number }> {
  const digest = sha(buf)
  const head = await fetch(`${base}/v2/${repo}/blobs/${digest}`, { method: 'HEAD', headers })
  if (head.ok) return { digest, size: buf.length }
  const start = await fetch(`${base}/v2/${repo}/blobs/uploads/`, { method: 'POST', headers })
  if (start.status !== 202) throw new Error(`upload start ${start.status} ${await start.text()}`)
  const loc = new URL(start.headers.get('location') ?? '', base)
  loc.searchParams.set('digest', digest)
  const put = await fetch(loc, { method: 'PUT', headers: { ...headers, 'Content-Type': 'application/octet-stream' }, body: buf })
  if (put.status !== 201) throw new Error(`upload put ${put.status} ${await put.text()}`)
  return { digest, size: buf.length }
}
