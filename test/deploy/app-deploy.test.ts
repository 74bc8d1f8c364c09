/**
 * The App's deployment recipes: deploy/kubernetes and deploy/flux build with Fluxgate's own
 * kustomize engine (and the same with kubectl where it is present), the Deployment keeps the
 * probes and the security context the README promises, and every environment variable the
 * App, the manifests and the Dockerfile use is documented in the README's "Run the App".
 * No container engine runs here: the Dockerfile is checked as text.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseAllDocuments } from 'yaml'
import { main } from '../../src/adapters/cli/main.js'
import { describeWith, kubectlPath } from '../support/components.js'

type Doc = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; labels?: Record<string, string> }; spec?: Record<string, unknown> }
type Container = {
  image: string
  env: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[]
  livenessProbe: { httpGet: { path: string; port: string } }
  readinessProbe: { httpGet: { path: string; port: string } }
  securityContext: { readOnlyRootFilesystem: boolean; allowPrivilegeEscalation: boolean; capabilities: { drop: string[] } }
  volumeMounts: { name: string; mountPath: string }[]
  ports: { name: string; containerPort: number }[]
}

async function build(dir: string): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(['build', resolve(dir)], { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: process.cwd(), isTty: false })
  return { code, out, err }
}

function docs(yaml: string): Doc[] {
  return parseAllDocuments(yaml).map((d) => d.toJS() as Doc)
}

function readmeAppSection(): string {
  const readme = readFileSync('README.md', 'utf8')
  const start = readme.indexOf('### Run the App')
  expect(start).toBeGreaterThan(0)
  return readme.slice(start, readme.indexOf('\n## ', start))
}

describe('deploy/kubernetes', () => {
  let objects: Doc[] = []
  let container: Container

  beforeAll(async () => {
    const r = await build('deploy/kubernetes')
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    objects = docs(r.out)
    const deployment = objects.find((o) => o.kind === 'Deployment')!
    container = ((deployment.spec as { template: { spec: { containers: Container[] } } }).template.spec.containers)[0]!
  })

  it('builds a Namespace, ServiceAccount, Deployment, Service and NetworkPolicy in the fluxgate namespace', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(['Deployment', 'Namespace', 'NetworkPolicy', 'Service', 'ServiceAccount'])
    for (const o of objects.filter((x) => x.kind !== 'Namespace')) expect(o.metadata.namespace).toBe('fluxgate')
  })

  it('probes /healthz for liveness and /readyz for readiness on the port HOST=0.0.0.0 binds', () => {
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http' })
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http' })
    const env = new Map(container.env.map((e) => [e.name, e]))
    expect(env.get('HOST')?.value).toBe('0.0.0.0')
    expect(container.ports).toEqual([{ name: 'http', containerPort: Number(env.get('PORT')?.value) }])
  })

  it('runs non-root with a read-only root file system, writable /tmp and cache volumes, no API token', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment')!
    const pod = (deployment.spec as { template: { spec: Record<string, unknown> } }).template.spec as { securityContext: Record<string, unknown>; automountServiceAccountToken: boolean }
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } })
    expect(pod.automountServiceAccountToken).toBe(false)
    expect(container.securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } })
    const mounts = new Map(container.volumeMounts.map((m) => [m.mountPath, m.name]))
    expect(mounts.get('/tmp')).toBe('tmp')
    const cacheDir = container.env.find((e) => e.name === 'FLUXGATE_CACHE_DIR')?.value
    expect(cacheDir && mounts.get(cacheDir)).toBe('cache')
  })

  it('takes the App credentials from the Secret fluxgate-app, the key as a mounted file', () => {
    const env = new Map(container.env.map((e) => [e.name, e]))
    expect(env.get('APP_ID')?.valueFrom?.secretKeyRef).toEqual({ name: 'fluxgate-app', key: 'app-id' })
    expect(env.get('WEBHOOK_SECRET')?.valueFrom?.secretKeyRef).toEqual({ name: 'fluxgate-app', key: 'webhook-secret' })
    expect(env.has('PRIVATE_KEY')).toBe(false)
    const keyPath = env.get('PRIVATE_KEY_PATH')?.value ?? ''
    const mount = container.volumeMounts.find((m) => keyPath.startsWith(m.mountPath + '/'))
    expect(mount?.name).toBe('credentials')
  })

  it('selects the App pods in the Service and the NetworkPolicy', () => {
    const deployment = objects.find((o) => o.kind === 'Deployment')!
    const podLabels = (deployment.spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels
    const service = objects.find((o) => o.kind === 'Service')!
    const policy = objects.find((o) => o.kind === 'NetworkPolicy')!
    for (const selector of [(service.spec as { selector: Record<string, string> }).selector, (policy.spec as { podSelector: { matchLabels: Record<string, string> } }).podSelector.matchLabels]) {
      expect(Object.keys(selector).length).toBeGreaterThan(0)
      for (const [k, v] of Object.entries(selector)) expect(podLabels[k]).toBe(v)
    }
  })

  it('documents in the README every variable the manifests set', () => {
    const section = readmeAppSection()
    for (const e of container.env) expect(section).toContain(`\`${e.name}\``)
  })
})

describeWith(['kubectl'], 'deploy/ with kubectl kustomize', () => {
  it('builds the same objects as Fluxgate\'s engine', async () => {
    for (const dir of ['deploy/kubernetes', 'deploy/flux']) {
      const ours = await build(dir)
      const theirs = execFileSync(kubectlPath()!, ['kustomize', dir], { encoding: 'utf8' })
      expect(ours.out).toBe(theirs)
    }
  })
})

describe('deploy/flux', () => {
  it('deploys deploy/kubernetes from Fluxgate\'s own repository with Flux', async () => {
    const r = await build('deploy/flux')
    expect(r.code).toBe(0)
    const objects = docs(r.out)
    const source = objects.find((o) => o.kind === 'GitRepository')!
    const ks = objects.find((o) => o.kind === 'Kustomization')! as Doc & { spec: { path: string; sourceRef: { kind: string; name: string }; prune: boolean; images: { name: string }[] } }
    expect(ks.apiVersion).toBe('kustomize.toolkit.fluxcd.io/v1')
    expect(ks.spec.sourceRef).toEqual({ kind: 'GitRepository', name: source.metadata.name })
    expect(ks.spec.prune).toBe(true)
    expect(existsSync(resolve(ks.spec.path, 'kustomization.yaml'))).toBe(true)
    const kustomization = readFileSync(resolve(ks.spec.path, 'kustomization.yaml'), 'utf8')
    expect(kustomization).toContain(`newName: ${ks.spec.images[0]!.name}`)
  })
})

describe('the App\'s documented environment', () => {
  it('names every variable the App and the Dockerfile read', () => {
    const section = readmeAppSection()
    const settings = readFileSync('src/adapters/app/settings.ts', 'utf8')
    const ours = [...settings.matchAll(/env\['([A-Z_]+)'\]/g)].map((m) => m[1]!)
    expect(ours.length).toBeGreaterThan(5)
    const probot = ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'WEBHOOK_SECRET', 'WEBHOOK_PATH', 'HOST', 'PORT', 'GHE_HOST', 'GHE_PROTOCOL', 'LOG_LEVEL', 'LOG_FORMAT']
    const dockerfile = readFileSync('Dockerfile', 'utf8')
    const image = [...(dockerfile.match(/^ENV ([\s\S]*?)\n(?!\s)/m)?.[1] ?? '').matchAll(/([A-Z_]+)=/g)].map((m) => m[1]!)
    expect(image).toEqual(expect.arrayContaining(['HOST', 'FLUXGATE_HELM', 'FLUXGATE_CACHE_DIR']))
    for (const name of new Set([...ours, ...probot, ...image])) expect(section).toContain(`\`${name}\``)
  })

  it('the Dockerfile: Node 24 slim stages, non-root, HEALTHCHECK on /healthz, the packaged helm', () => {
    const dockerfile = readFileSync('Dockerfile', 'utf8')
    const froms = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1])
    expect(froms).toEqual(['node:24-slim', 'node:24-slim'])
    expect(dockerfile).toMatch(/^USER node$/m)
    expect(dockerfile).toMatch(/^HEALTHCHECK [\s\S]*\/healthz/m)
    expect(dockerfile).toContain('FLUXGATE_HELM=/app/node_modules/@fluxgate/helm-linux-x64/bin/helm')
    // The CMD starts the App module the package exports as fluxgate/app (lib/app.js).
    const cmd = JSON.parse(dockerfile.match(/^CMD (\[.*\])$/m)![1]!) as string[]
    expect(cmd).toEqual(['node', 'node_modules/probot/bin/probot.js', 'run', 'fluxgate/app'])
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { files: string[]; exports: Record<string, string> }
    expect(pkg.exports['./app']).toBe('./lib/app.js')
    expect(pkg.files).toContain('lib/')
  })
})
