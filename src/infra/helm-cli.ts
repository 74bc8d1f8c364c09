import { createHash } from 'node:crypto'
import { rm } from 'node:fs/promises'
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, isAbsolute, join, relative, sep } from 'node:path'
import pLimit from 'p-limit'
import { setOwn } from '../core/model/own.js'
import { isNamespaceName, isReleaseName } from '../core/render/helm/inputs.js'
import { emitDocument, parseYaml12 as parse, readYaml11, stringifyYaml12 as stringify } from '../core/yaml/index.js'
import type { JsonValue } from '../core/model/object.js'
import type { ChartSource, FetchResult, HelmRunner, TemplateRequest, TemplateResult } from '../ports/helm.js'
import { ChartCache } from './chart-cache.js'
import { ChartFetcher, FetchFailed, type ChartFetchOptions } from './chart-fetch.js'
import { HelmPathError, packagedHelm, packageRoot } from './helm-binary.js'
import { Launcher } from './launcher.js'

/** How to run helm. */
export interface HelmCliOptions {
  /**
   * The helm binary, an absolute path (helm-binary.ts `findHelm` picks it); default the packaged
   * Helm 4, as helm-controller ≥ 1.5 uses.
   */
  helmPath?: string
  /**
   * Where chart archives are kept between runs (content-addressed, see chart-cache.ts); an
   * Actions cache step can keep the folder. Default: a folder of this run, removed by dispose().
   */
  cacheDir?: string
  /** Bound on the archives kept in `cacheDir`, least recently used removed first (default 512 MiB). */
  cacheMaxBytes?: number
  /** Time-outs and retries of chart fetches. */
  fetch?: ChartFetchOptions
  /** How many helm processes run at once; default: one per CPU the process may use, 2 to 8 (helmConcurrency). */
  concurrency?: number
  /** The folder its own working folder (helm's home, extracted charts, values) is made in; default the system's temporary folder. */
  tempRoot?: string
}

/**
 * Helm processes to run at once on a machine of `cpus`: one per CPU, as `helm template` is
 * CPU-bound and the render waits for it (a fleet of HelmReleases is mostly helm); at least 2,
 * so one slow chart does not hold the rest, and at most 8, as the App may plan several pull
 * requests at once on one host.
 */
export function helmConcurrency(cpus: number): number {
  return Math.min(8, Math.max(2, Math.floor(cpus) || 2))
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
 * private temp dir; chart archives are fetched by ChartFetcher (time-outs, retries) into a
 * content-addressed ChartCache and extracted once per run; processes are limited.
 */
export class HelmCli implements HelmRunner {
  private readonly helm: string
  private readonly home: string
  /** Extracted charts of this run. */
  private readonly extracted: string
  private readonly archives: ChartCache
  private readonly fetcher: ChartFetcher
  private readonly limit: ReturnType<typeof pLimit>
  private readonly inflight = new Map<string, Promise<string>>()
  private readonly ready = new Map<string, ReadyChart | string>()
  private keptCopies = 0
  private serial = 0

  constructor(opts: HelmCliOptions = {}) {
    const helm = opts.helmPath ?? defaultHelmPath()
    // A relative path would resolve against the folder Fluxgate runs in: the checkout under review.
    if (!isAbsolute(helm)) throw new HelmPathError(`helm ${helm}: not an absolute path`)
    this.helm = helm
    this.home = mkdtempSync(join(opts.tempRoot ?? tmpdir(), 'fluxgate-helm-'))
    this.extracted = join(this.home, 'charts')
    mkdirSync(this.extracted, { recursive: true })
    this.archives = new ChartCache({ dir: opts.cacheDir ?? join(this.home, 'archives'), ...(opts.cacheMaxBytes !== undefined ? { maxBytes: opts.cacheMaxBytes } : {}) })
    this.fetcher = new ChartFetcher(opts.fetch)
    this.limit = pLimit(opts.concurrency ?? helmConcurrency(availableParallelism()))
  }

  /**
   * The binary by path, size and modification time: a render kept in a RenderCache is reused
   * only by the same helm (undefined when it is missing).
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

  /** Trims the archive cache to its bound and removes the private helm home (and a cache of this run). */
  dispose(): void {
    this.archives.trim()
    rmSync(this.home, { recursive: true, force: true })
  }

  async fetchIndex(repoUrl: string): Promise<FetchResult> {
    try {
      return { ok: true, text: await this.fetcher.fetchIndex(repoUrl) }
    } catch (err) {
      return { ok: false, error: (err as Error).message }
    }
  }

  async listTags(ref: string, insecure?: boolean): Promise<{ ok: true; tags: string[] } | { ok: false; error: string }> {
    try {
      return { ok: true, tags: await this.fetcher.listOciTags(ref, insecure) }
    } catch (err) {
      return { ok: false, error: (err as Error).message }
    }
  }

  yieldToRenders(): Promise<void> {
    // setImmediate, not a resolved promise: a render's next step (spawning helm, reading its
    // output, starting the next queued one) waits on I/O, which only a turn of the event loop sees.
    return new Promise((resolve) => setImmediate(resolve))
  }

  async template(req: TemplateRequest): Promise<TemplateResult> {
    if (!this.available()) return { ok: false, error: `helm not found at ${this.helm}`, unavailable: true }
    // The core refuses these already (helm/invalid-release); checked again where argv is built.
    if (!isReleaseName(req.releaseName)) return { ok: false, error: `invalid release name ${JSON.stringify(req.releaseName.slice(0, 80))}` }
    if (!isNamespaceName(req.namespace)) return { ok: false, error: `invalid namespace ${JSON.stringify(req.namespace.slice(0, 80))}` }
    let chartDir: string
    try {
      chartDir = await this.chartDir(req.chart)
    } catch (err) {
      return { ok: false, error: (err as Error).message, unavailable: err instanceof FetchFailed }
    }
    try {
      return await this.limit(() => this.run(chartDir, req))
    } catch (err) {
      if (err instanceof UnsafeChart) return { ok: false, error: err.message }
      throw err
    }
  }

  private async run(cached: string, req: TemplateRequest): Promise<TemplateResult> {
    const { ready, temporary } = this.readyChart(cached, req)
    const valuesFile = join(this.home, `values-${++this.serial}.json`)
    try {
      if (typeof ready === 'string') return { ok: false, error: ready }
      writeFileSync(valuesFile, JSON.stringify(req.values ?? {}))
      // Every value rides in its flag (`--flag=value`) and positionals follow `--`: nothing
      // from the repository can be read by helm as a flag of its own.
      const args = ['template', `--namespace=${req.namespace}`, `--values=${valuesFile}`]
      if (req.skipSchemaValidation) args.push('--skip-schema-validation')
      if (req.noHooks) args.push('--no-hooks')
      if (req.skipTests) args.push('--skip-tests')
      if (req.kubeVersion) args.push(`--kube-version=${req.kubeVersion}`)
      // API versions come from the fleet's CRDs; helm splits the flag's value on commas.
      for (const v of req.apiVersions ?? []) if (/^[A-Za-z0-9.-]+(\/[A-Za-z0-9.-]+){1,2}$/.test(v)) args.push(`--api-versions=${v}`)
      args.push('--', req.releaseName, ready.dir)
      const out = await this.exec(args)
      if (!out.ok) return { ok: false, error: out.stderr.trim().split('\n').slice(-3).join(' ') }
      return { ok: true, manifest: out.stdout, crds: ready.crds, chartName: ready.chartName, chartVersion: ready.chartVersion, usesLookup: ready.usesLookup }
    } finally {
      // Off the render's thread.
      await Promise.all([rm(valuesFile, { force: true }), temporary ? rm(temporary, { recursive: true, force: true }) : undefined])
    }
  }

  /**
   * The chart folder helm renders a request from, or why it cannot be made: the extracted
   * folder itself when the request changes nothing in it, else a copy with its values files
   * merged into values.yaml and its version's metadata set. helm template only reads the
   * folder, so releases share it; each used to get a copy of its own, which was most of the
   * render thread's file-system time (a thousand Kustomizations: about 0.5 s for 48 releases).
   * What helm gives back that depends on the folder alone (CRDs, name, version, `lookup`) is
   * read once with it. Copies are kept for the first KEPT_COPIES kinds of request; past that
   * (a pull request can ask for as many as it has releases) each run gets a `temporary` one.
   */
  private readyChart(cached: string, req: TemplateRequest): { ready: ReadyChart | string; temporary?: string } {
    const meta = req.versionMetadata === undefined ? undefined : req.versionMetadata === 'digest' ? readDigest(cached) : req.versionMetadata.revision
    const files = req.valuesFiles ?? []
    const key = JSON.stringify([cached, files, files.length > 0 && req.ignoreMissingValuesFiles === true, meta ?? null])
    const known = this.ready.get(key)
    if (known !== undefined) return { ready: known }
    const copy = files.length > 0 || meta !== undefined
    const kept = !copy || this.keptCopies < KEPT_COPIES
    const at = copy ? mkdtempSync(join(this.home, kept ? 'ready-' : 'render-')) : undefined
    const ready = prepareChart(cached, at, req.chart.type === 'files', files, req.ignoreMissingValuesFiles === true, meta)
    if (!kept) return { ready, temporary: at! }
    if (copy) this.keptCopies++
    this.ready.set(key, ready)
    return { ready }
  }

  /** An extracted chart folder of this run, fetched (or taken from the archive cache) once per source. */
  private chartDir(src: ChartSource): Promise<string> {
    const key = cacheKey(src)
    const hit = this.inflight.get(key)
    if (hit) return hit
    const p = this.fetchChart(src, join(this.extracted, key))
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
        const to = inside(root, p)
        mkdirSync(dirname(to), { recursive: true })
        writeFileSync(to, bytes)
      }
      const inRoot = inside(root, src.chartDir)
      const meta = parse(readFileSync(join(inRoot, 'Chart.yaml'), 'utf8')) as { dependencies?: unknown[] }
      if (Array.isArray(meta?.dependencies) && meta.dependencies.length > 0) {
        // H-6a: source-controller packages Git charts with their dependencies built; file://
        // paths are relative to the chart folder inside the artifact, so build it there.
        const built = await this.limit(() => this.exec(['dependency', 'build', '--', inRoot]))
        if (!built.ok) throw new FetchFailed(`helm dependency build: ${built.stderr.trim().split('\n').pop()}`)
      }
      copyDir(inRoot, join(dir, 'chart'))
    } else if (src.type === 'http') {
      const tgz = join(dir, 'chart.tgz')
      writeFileSync(tgz, await this.httpArchive(src.url, src.digest))
      await this.untar(tgz, dir)
    } else {
      const pulled = await this.ociArchive(src.ref, src.digest ? { digest: src.digest } : { tag: src.tag ?? 'latest' }, src.insecure === true)
      // H-5: helm-controller appends the first 12 hex of the manifest digest to the version.
      writeFileSync(join(dir, '.digest'), pulled.manifestDigest.slice('sha256:'.length, 'sha256:'.length + 12))
      const tgz = join(dir, 'chart.tgz')
      writeFileSync(tgz, pulled.bytes)
      await this.untar(tgz, dir)
    }
    writeFileSync(done, '')
    return join(dir, 'chart')
  }

  /** A Helm repository archive: from the cache by its index digest (or URL when the index gives none), else fetched. */
  private async httpArchive(url: string, digest: string | undefined): Promise<Uint8Array> {
    const expected = digest ? `sha256:${digest.replace(/^sha256:/, '')}` : undefined
    const key = `http ${url}`
    const cached = expected ? this.archives.getBlob(expected) : this.archives.lookup(key)?.bytes
    if (cached) return cached
    const bytes = await this.fetcher.fetchArchive(url, digest)
    const stored = this.archives.putBlob(bytes)
    if (!expected) this.archives.putRef(key, stored)
    return bytes
  }

  /** An OCI chart: the manifest is always resolved (tags move); the layer comes from the cache by digest when it can. */
  private async ociArchive(ref: string, at: { tag?: string; digest?: string }, insecure: boolean): Promise<{ bytes: Uint8Array; manifestDigest: string }> {
    const { manifestDigest, layerDigest } = await this.fetcher.resolveOci(ref, at, insecure)
    const cached = this.archives.getBlob(layerDigest)
    if (cached) return { bytes: cached, manifestDigest }
    const bytes = await this.fetcher.pullOciBlob(ref, layerDigest, insecure)
    this.archives.putBlob(bytes)
    return { bytes, manifestDigest }
  }

  private async untar(tgz: string, dir: string): Promise<void> {
    // GNU tar leaves out members with `..` or a leading `/` and creates links pointing out of
    // the folder only after every file is written, so extraction stays inside `dir`.
    const out = await run('tar', ['-xzf', tgz, '-C', dir, '--no-same-owner', '--no-same-permissions'], {})
    if (!out.ok) throw new FetchFailed(`invalid chart archive: ${out.stderr.trim().split('\n').pop()}`)
    const top = readdirSync(dir).find((f) => !f.endsWith('.tgz') && f !== 'chart' && lstatSync(join(dir, f)).isDirectory() && f !== '..root')
    if (!top) throw new FetchFailed('chart archive holds no chart folder')
    // Helm reads a chart archive's link entries as empty files (loader.LoadArchiveFiles): the
    // link is never followed, so `files/passwd -> /etc/passwd` is an empty file, not the host's.
    emptyLinks(join(dir, top))
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

/**
 * Go's collector settings for helm, unless the environment chooses its own: a helm process
 * lives a fraction of a second, and with Go's default (a collection each time the heap
 * doubles) its start-up collected again and again. GOGC=400 took a fifth of helm's CPU off
 * 20 renders of the benchmark fleet's chart at the same peak memory (48 MB); GOMEMLIMIT keeps
 * a big chart's heap from growing five-fold unchecked.
 */
function goRuntime(): Record<string, string> {
  return { GOGC: process.env['GOGC'] ?? '400', GOMEMLIMIT: process.env['GOMEMLIMIT'] ?? '1GiB' }
}

/** helm processes start from a small helper process (launcher.ts), one per thread that runs helm. */
const launcher = new Launcher()

function run(cmd: string, args: string[], env: Record<string, string>): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  return launcher.run({ cmd, args, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: env['HELM_CONFIG_HOME'] ?? tmpdir(), ...goRuntime(), ...env }, maxBuffer: 256 * 1024 * 1024 })
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

/** A chart folder as helm renders it, and what helm's answer takes from the folder itself. */
interface ReadyChart {
  dir: string
  crds: string
  chartName: string
  chartVersion: string
  usesLookup: boolean
}

/** Copies of charts (values files, version metadata) a HelmCli keeps for later releases. */
const KEPT_COPIES = 32

/** `cached` ready for helm: as it is, or copied into `at` with the request's changes. */
function prepareChart(cached: string, at: string | undefined, files: boolean, valuesFiles: string[], ignoreMissing: boolean, meta: string | undefined): ReadyChart | string {
  let dir = cached
  try {
    if (at !== undefined) {
      dir = join(at, 'chart')
      copyDir(cached, dir)
      if (valuesFiles.length > 0) {
        const err = replaceValues(dir, files ? join(dirname(cached), '..root') : dir, valuesFiles, ignoreMissing)
        if (err) return err
      }
      if (meta) appendVersionMetadata(dir, meta)
    } else noLinks(cached)
    const chart = chartMeta(dir)
    return { dir, crds: readCrds(dir), chartName: chart?.name ?? '', chartVersion: String(chart?.version ?? ''), usesLookup: usesLookup(dir) }
  } catch (err) {
    if (err instanceof UnsafeChart) return err.message
    throw err
  }
}

/** A chart that would make Fluxgate read or write outside its own folders. */
class UnsafeChart extends Error {}

/** `rel` joined onto `root`, refused when it is absolute or leaves `root` (`..`, NUL). */
function inside(root: string, rel: string): string {
  const to = join(root, rel)
  const back = relative(root, to)
  if (rel.includes('\0') || isAbsolute(rel) || back === '..' || back.startsWith(`..${sep}`) || isAbsolute(back)) throw new UnsafeChart(`chart path ${JSON.stringify(rel.slice(0, 120))} leaves the chart's source`)
  return to
}

/**
 * Copies a chart folder. Only folders and regular files are copied, never through a link:
 * a link left in a cached chart (there should be none) is refused rather than followed.
 */
function copyDir(from: string, to: string): void {
  mkdirSync(to, { recursive: true })
  for (const name of readdirSync(from)) {
    const a = join(from, name)
    const b = join(to, name)
    const st = lstatSync(a)
    if (st.isDirectory()) copyDir(a, b)
    else if (st.isFile()) writeFileSync(b, readFileSync(a))
    else throw new UnsafeChart(`chart file ${JSON.stringify(name)} is not a regular file`)
  }
}

/** Chart.yaml's name and version; a chart without a readable one is left to helm to refuse. */
function chartMeta(dir: string): { name?: string; version?: string } | undefined {
  try {
    const doc = parse(readFileSync(join(dir, 'Chart.yaml'), 'utf8')) as unknown
    return doc && typeof doc === 'object' ? (doc as { name?: string; version?: string }) : undefined
  } catch {
    return undefined
  }
}

/** Refuses a folder holding anything but folders and regular files (helm would follow a link). */
function noLinks(dir: string): void {
  for (const name of readdirSync(dir)) {
    const st = lstatSync(join(dir, name))
    if (st.isDirectory()) noLinks(join(dir, name))
    else if (!st.isFile()) throw new UnsafeChart(`chart file ${JSON.stringify(name)} is not a regular file`)
  }
}

/** Replaces every link and special file under `dir` with an empty file (Helm's archive reading). */
function emptyLinks(dir: string): void {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    const st = lstatSync(p)
    if (st.isDirectory()) emptyLinks(p)
    else if (!st.isFile() || st.nlink > 1) {
      rmSync(p, { force: true })
      writeFileSync(p, '')
    }
  }
}

// H-4: the listed files are deep-merged in order and replace the chart's values.yaml. The core
// hands over paths already inside the source; a path that leaves `base` (or reaches a link or
// anything but a regular file) is still refused here, before anything is read.
function replaceValues(chart: string, base: string, files: string[], ignoreMissing: boolean): string | undefined {
  let merged: Record<string, unknown> = {}
  for (const f of files) {
    const p = inside(base, f)
    if (!regularFileInside(base, p)) {
      if (ignoreMissing) continue
      return `no values file found at path '${f}'`
    }
    // source-controller reads and writes these with sigs.k8s.io/yaml (YAML 1.1, go-yaml v2).
    const read = readYaml11(readFileSync(p, 'utf8'))
    if (!read.ok) return `values file '${f}' is not valid YAML`
    const doc = read.value
    if (doc && typeof doc === 'object' && !Array.isArray(doc)) merged = merge(merged, doc as Record<string, unknown>)
  }
  writeFileSync(join(chart, 'values.yaml'), emitDocument(merged as JsonValue))
  return undefined
}

/** True when `p` is a regular file whose real path is inside `base` (no link on the way out). */
function regularFileInside(base: string, p: string): boolean {
  try {
    if (!lstatSync(p).isFile()) return false
    const back = relative(realpathSync(base), realpathSync(p))
    return back !== '' && !back.startsWith('..') && !isAbsolute(back)
  } catch {
    return false
  }
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
      if (lstatSync(p).isDirectory()) {
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
      if (lstatSync(p).isDirectory()) walk(p)
      // Named the way helm names templates, so each CRD can say which file it came from.
      else if (/\.(ya?ml|json)$/.test(name)) parts.push(`# Source: ${relative(chart, p).split(sep).join('/')}\n${readFileSync(p, 'utf8')}`)
    }
  }
  walk(dir)
  return parts.join('\n---\n')
}
