import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join } from 'node:path'
import pLimit from 'p-limit'
import { setOwn } from '../core/model/own.js'
import { emitDocument, parseYaml12 as parse, readYaml11, stringifyYaml12 as stringify } from '../core/yaml/index.js'
import type { JsonValue } from '../core/model/object.js'
import type { ChartSource, FetchResult, HelmRunner, TemplateRequest, TemplateResult } from '../ports/helm.js'
import { fetchChartArchive, fetchRepoIndex, FetchFailed, listOciTags } from './chart-fetch.js'
import { HelmPathError, packagedHelm, packageRoot } from './helm-binary.js'

/** How to run helm. */
export interface HelmCliOptions {
  /**
   * The helm binary, an absolute path (helm-binary.ts `findHelm` picks it); default the packaged
   * Helm 4, as helm-controller ≥ 1.5 uses.
   */
  helmPath?: string
  /** Where charts are cached; default a folder in the temp dir. */
  cacheDir?: string
  /** How many helm processes run at once. */
  concurrency?: number
}

/**
 * The packaged helm binary of a major version, or where a development checkout keeps it;
 * always under Fluxgate's own folder, never the current one (helm-binary.ts).
 */
export function defaultHelmPath(major: 3 | 4 = 4): string {
  return packagedHelm(major) ?? join(packageRoot() ?? dirname(process.execPath), '.tools', `helm${major}`, 'helm')
}

/**
 * HelmRunner over the real `helm` binary. HELM_CONFIG_HOME/CACHE_HOME/DATA_HOME live in a
 * private temp dir; charts are cached by URL, version and digest; processes are limited.
 */
export class HelmCli implements HelmRunner {
  private readonly helm: string
  private readonly home: string
  private readonly cache: string
  private readonly limit: ReturnType<typeof pLimit>
  private readonly inflight = new Map<string, Promise<string>>()

  constructor(opts: HelmCliOptions = {}) {
    const helm = opts.helmPath ?? defaultHelmPath()
    // A relative path would resolve against the folder Fluxgate runs in: the checkout under review.
    if (!isAbsolute(helm)) throw new HelmPathError(`helm ${helm}: not an absolute path`)
    this.helm = helm
    this.home = mkdtempSync(join(tmpdir(), 'fluxgate-helm-'))
    this.cache = opts.cacheDir ?? join(this.home, 'charts')
    mkdirSync(this.cache, { recursive: true })
    this.limit = pLimit(opts.concurrency ?? 2)
  }

  /**
   * The binary by path, size and modification time: a cached render is reused only by the
   * same helm (undefined when it is missing).
   */
  get cacheIdentity(): string | undefined {
    try {
      const st = statSync(this.helm)
      return `${this.helm} ${st.size} ${st.mtimeMs}`
    } catch {
      return undefined
    }
  }

  /** True when the helm binary exists. */
  available(): boolean {
    return existsSync(this.helm)
  }

  /** Removes the private helm home (and the cache when it lives there). */
  dispose(): void {
    rmSync(this.home, { recursive: true, force: true })
  }

  async fetchIndex(repoUrl: string): Promise<FetchResult> {
    try {
      return { ok: true, text: await fetchRepoIndex(repoUrl) }
    } catch (err) {
      return { ok: false, error: (err as Error).message }
    }
  }

  async listTags(ref: string, insecure?: boolean): Promise<{ ok: true; tags: string[] } | { ok: false; error: string }> {
    try {
      return { ok: true, tags: await listOciTags(ref, insecure) }
    } catch (err) {
      return { ok: false, error: (err as Error).message }
    }
  }

  async template(req: TemplateRequest): Promise<TemplateResult> {
    if (!this.available()) return { ok: false, error: `helm not found at ${this.helm}`, unavailable: true }
    let chartDir: string
    try {
      chartDir = await this.chartDir(req.chart)
    } catch (err) {
      return { ok: false, error: (err as Error).message, unavailable: err instanceof FetchFailed }
    }
    return this.limit(() => this.run(chartDir, req))
  }

  private async run(cached: string, req: TemplateRequest): Promise<TemplateResult> {
    const work = mkdtempSync(join(this.home, 'render-'))
    try {
      const chart = join(work, 'chart')
      copyDir(cached, chart)
      if (req.valuesFiles && req.valuesFiles.length > 0) {
        const err = replaceValues(chart, req.chart.type === 'files' ? join(dirname(cached), '..root') : chart, req.valuesFiles, req.ignoreMissingValuesFiles === true)
        if (err) return { ok: false, error: err }
      }
      if (req.versionMetadata) {
        const meta = req.versionMetadata === 'digest' ? readDigest(cached) : req.versionMetadata.revision
        if (meta) appendVersionMetadata(chart, meta)
      }
      const valuesFile = join(work, 'values.json')
      writeFileSync(valuesFile, JSON.stringify(req.values ?? {}))
      const args = ['template', req.releaseName, chart, '--namespace', req.namespace, '-f', valuesFile]
      if (req.skipSchemaValidation) args.push('--skip-schema-validation')
      if (req.noHooks) args.push('--no-hooks')
      if (req.skipTests) args.push('--skip-tests')
      if (req.kubeVersion) args.push('--kube-version', req.kubeVersion)
      for (const v of req.apiVersions ?? []) args.push('--api-versions', v)
      const out = await this.exec(args)
      if (!out.ok) return { ok: false, error: out.stderr.trim().split('\n').slice(-3).join(' ') }
      const meta = parse(readFileSync(join(chart, 'Chart.yaml'), 'utf8')) as { name?: string; version?: string }
      return { ok: true, manifest: out.stdout, crds: readCrds(chart), chartName: meta.name ?? '', chartVersion: String(meta.version ?? ''), usesLookup: usesLookup(chart) }
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  }

  /** An extracted chart folder in the cache, fetched once per URL + version + digest. */
  private chartDir(src: ChartSource): Promise<string> {
    const key = cacheKey(src)
    const hit = this.inflight.get(key)
    if (hit) return hit
    const p = this.fetchChart(src, join(this.cache, key))
    this.inflight.set(key, p)
    p.catch(() => this.inflight.delete(key))
    return p
  }

  private async fetchChart(src: ChartSource, dir: string): Promise<string> {
    const done = join(dir, '.complete')
    if (existsSync(done)) return join(dir, 'chart')
    rmSync(dir, { recursive: true, force: true })
    mkdirSync(dir, { recursive: true })
    if (src.type === 'files') {
      const root = join(dir, '..root')
      for (const [p, bytes] of src.files) {
        mkdirSync(dirname(join(root, p)), { recursive: true })
        writeFileSync(join(root, p), bytes)
      }
      const inRoot = join(root, src.chartDir)
      const meta = parse(readFileSync(join(inRoot, 'Chart.yaml'), 'utf8')) as { dependencies?: unknown[] }
      if (Array.isArray(meta?.dependencies) && meta.dependencies.length > 0) {
        // H-6a: source-controller packages Git charts with their dependencies built; file://
        // paths are relative to the chart folder inside the artifact, so build it there.
        const built = await this.limit(() => this.exec(['dependency', 'build', inRoot]))
        if (!built.ok) throw new FetchFailed(`helm dependency build: ${built.stderr.trim().split('\n').pop()}`)
      }
      copyDir(inRoot, join(dir, 'chart'))
    } else if (src.type === 'http') {
      const tgz = join(dir, 'chart.tgz')
      writeFileSync(tgz, await fetchChartArchive(src.url, src.digest))
      await this.untar(tgz, dir)
    } else {
      const ref = src.digest ? `${src.ref}@${src.digest}` : src.ref
      const args = ['pull', ref, '--destination', dir]
      if (src.tag && !src.digest) args.push('--version', src.tag.replaceAll('_', '+'))
      const host = /^oci:\/\/([^/:]+)/.exec(src.ref)?.[1] ?? ''
      if (src.insecure || host === 'localhost' || host.startsWith('127.')) args.push('--plain-http')
      const out = await this.limit(() => this.exec(args))
      if (!out.ok) throw new FetchFailed(`helm pull ${src.ref}: ${out.stderr.trim().split('\n').pop()}`)
      const digest = /Digest:\s*sha256:([0-9a-f]{12})/.exec(out.stdout + out.stderr)?.[1]
      if (digest) writeFileSync(join(dir, '.digest'), digest)
      const tgz = readdirSync(dir).find((f) => f.endsWith('.tgz'))
      if (!tgz) throw new FetchFailed(`helm pull ${src.ref}: no chart archive`)
      await this.untar(join(dir, tgz), dir)
    }
    writeFileSync(done, '')
    return join(dir, 'chart')
  }

  private async untar(tgz: string, dir: string): Promise<void> {
    const out = await run('tar', ['-xzf', tgz, '-C', dir, '--no-same-owner'], {})
    if (!out.ok) throw new FetchFailed(`invalid chart archive: ${out.stderr.trim()}`)
    const top = readdirSync(dir).find((f) => !f.endsWith('.tgz') && f !== 'chart' && statSync(join(dir, f)).isDirectory() && f !== '..root')
    if (!top) throw new FetchFailed('chart archive holds no chart folder')
    copyDir(join(dir, top), join(dir, 'chart'))
    rmSync(join(dir, top), { recursive: true, force: true })
  }

  private exec(args: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
    return run(this.helm, args, {
      HELM_CONFIG_HOME: join(this.home, 'config'),
      HELM_CACHE_HOME: join(this.home, 'cache'),
      HELM_DATA_HOME: join(this.home, 'data'),
    })
  }
}

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return new Promise((res) => {
    execFile(cmd, args, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: env['HELM_CONFIG_HOME'] ?? tmpdir(), ...env }, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      res({ ok: !err, stdout: String(stdout), stderr: String(stderr) || (err ? err.message : '') })
    })
  })
}

function cacheKey(src: ChartSource): string {
  const id = src.type === 'http' ? `${src.url}|${src.version}|${src.digest ?? ''}` : src.type === 'oci' ? `${src.ref}|${src.tag ?? ''}|${src.digest ?? ''}` : `${src.key}|${digestFiles(src.files)}`
  return createHash('sha256').update(id).digest('hex').slice(0, 32)
}

function digestFiles(files: Map<string, Uint8Array>): string {
  const h = createHash('sha256')
  for (const [p, b] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) h.update(p).update('\0').update(b)
  return h.digest('hex')
}

function copyDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(from)) {
    const a = join(from, name)
    const b = join(to, name)
    if (statSync(a).isDirectory()) copyDir(a, b)
    else writeFileSync(b, readFileSync(a))
  }
}

// H-4: the listed files are deep-merged in order and replace the chart's values.yaml.
function replaceValues(chart: string, base: string, files: string[], ignoreMissing: boolean): string | undefined {
  let merged: Record<string, unknown> = {}
  for (const f of files) {
    const p = join(base, f)
    if (!existsSync(p)) {
      if (ignoreMissing) continue
      return `values file '${f}' not found`
    }
    // source-controller reads and writes these with sigs.k8s.io/yaml (YAML 1.1, go-yaml v2).
    const read = readYaml11(readFileSync(p, 'utf8'))
    if (!read.ok) return `values file '${f}': ${read.error}`
    const doc = read.value
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) merged = merge(merged, doc as Record<string, unknown>)
  }
  writeFileSync(join(chart, 'values.yaml'), emitDocument(merged as JsonValue))
  return undefined
}

function merge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out = { ...a }
  for (const [k, v] of Object.entries(b)) {
    const x = Object.hasOwn(out, k) ? out[k] : undefined
    setOwn(out, k, v && typeof v === 'object' && !Array.isArray(v) && x && typeof x === 'object' && !Array.isArray(x) ? merge(x as Record<string, unknown>, v as Record<string, unknown>) : v)
  }
  return out
}

function readDigest(chartDir: string): string | undefined {
  const p = join(dirname(chartDir), '.digest')
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : undefined
}

function appendVersionMetadata(chart: string, meta: string): void {
  const file = join(chart, 'Chart.yaml')
  const doc = parse(readFileSync(file, 'utf8')) as Record<string, unknown>
  const version = String(doc['version'] ?? '')
  // semver SetMetadata: the build metadata is replaced, not extended.
  doc['version'] = `${version.split('+')[0]}+${meta}`
  writeFileSync(file, stringify(doc))
}

function usesLookup(chart: string): boolean {
  const walk = (d: string): boolean => {
    if (!existsSync(d)) return false
    for (const name of readdirSync(d)) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) {
        if (walk(p)) return true
      } else if (/\.(ya?ml|tpl|txt)$/.test(name) && /\blookup\s+"/.test(readFileSync(p, 'utf8'))) return true
    }
    return false
  }
  return walk(join(chart, 'templates')) || walk(join(chart, 'charts'))
}

function readCrds(chart: string): string {
  const dir = join(chart, 'crds')
  if (!existsSync(dir)) return ''
  const parts: string[] = []
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name)
      if (statSync(p).isDirectory()) walk(p)
      else if (/\.(ya?ml|json)$/.test(name)) parts.push(readFileSync(p, 'utf8'))
    }
  }
  walk(dir)
  return parts.join('\n---\n')
}
