import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join, normalize, resolve } from 'node:path'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'

/** The Helm 4 binary the tests use. */
export const HELM = resolve('.tools/helm4/helm')

/** A tiny chart with a Deployment, a Service, a hook and a CRD, written to `dir/<name>`. */
export function chartFiles(name: string, version: string): Record<string, string> {
  return {
    'Chart.yaml': `apiVersion: v2\nname: ${name}\nversion: ${version}\nappVersion: "${version}"\n`,
    'values.yaml': 'replicas: 1\nimage:\n  repository: ghcr.io/example/web\n  tag: "1.0"\nmessage: default\n',
    'templates/deployment.yaml': [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}',
      '  labels:',
      '    chart: {{ .Chart.Name }}-{{ .Chart.Version }}',
      'spec:',
      '  replicas: {{ .Values.replicas }}',
      '  selector: {matchLabels: {app: {{ .Release.Name }}}}',
      '  template:',
      '    metadata: {labels: {app: {{ .Release.Name }}}}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"',
      '          env: [{name: MESSAGE, value: {{ .Values.message | quote }}}]',
      '          ports: [{containerPort: 8080}]',
      '',
    ].join('\n'),
    'templates/service.yaml': 'apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  selector: {app: {{ .Release.Name }}}\n  ports: [{port: 80, targetPort: 8080}]\n',
    'templates/widget.yaml': '{{- if .Capabilities.APIVersions.Has "example.com/v1/Widget" }}\napiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: {{ .Release.Name }}\n{{- end }}\n',
    'crds/widgets.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: widgets.example.com\nspec:\n  group: example.com\n  names: {kind: Widget, plural: widgets}\n  scope: Namespaced\n  versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}]\n',
  }
}

/** Writes files under a folder. */
export function writeTree(dir: string, files: Record<string, string>): void {
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(join(dir, p, '..'), { recursive: true })
    writeFileSync(join(dir, p), text)
  }
}

/** Packages charts with the real helm into a fresh folder; returns the folder. */
export function packageCharts(charts: { name: string; version: string }[]): string {
  const work = mkdtempSync(join(tmpdir(), 'fluxgate-charts-'))
  const out = join(work, 'repo')
  mkdirSync(out)
  for (const c of charts) {
    const src = join(work, 'src', `${c.name}-${c.version}`, c.name)
    writeTree(src, chartFiles(c.name, c.version))
    execFileSync(HELM, ['package', src, '--destination', out], { env: helmEnv(work) })
  }
  return out
}

/** `helm repo index` of a folder of packaged charts; without `url` the entries' URLs are relative. */
export function indexRepo(dir: string, url?: string): void {
  execFileSync(HELM, ['repo', 'index', dir, ...(url ? ['--url', url] : [])], { env: helmEnv(dir) })
}

/** Pushes a packaged chart to an OCI registry with the real helm. */
export function pushChart(tgz: string, ociRepo: string): void {
  execFileSync(HELM, ['push', tgz, ociRepo, '--plain-http'], { env: helmEnv(join(tgz, '..')), stdio: ['ignore', 'ignore', 'pipe'] })
}

function helmEnv(base: string): NodeJS.ProcessEnv {
  return { PATH: process.env['PATH'], HOME: base, HELM_CONFIG_HOME: join(base, '.helm/config'), HELM_CACHE_HOME: join(base, '.helm/cache'), HELM_DATA_HOME: join(base, '.helm/data') }
}

/** A static file server on 127.0.0.1 (a Helm HTTP repository). Counts requests by path. */
export async function serveDir(dir: string): Promise<{ url: string; hits: Map<string, number>; stop: () => Promise<void> }> {
  const hits = new Map<string, number>()
  const server = http.createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]!)
    hits.set(path, (hits.get(path) ?? 0) + 1)
    const file = normalize(join(dir, path))
    if (!file.startsWith(dir)) return void res.writeHead(403).end()
    try {
      if (!statSync(file).isFile()) throw new Error('not a file')
      res.writeHead(200).end(readFileSync(file))
    } catch {
      res.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, hits, stop: () => new Promise<void>((r) => server.close(() => r())) }
}

/** Removes a temp folder. */
export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true })
}

/** A MemoryTree from `{path: text}` with a trailing newline on each YAML text. */
export function fleet(files: Record<string, string>): MemoryTree {
  return MemoryTree.fromRecord(files)
}
