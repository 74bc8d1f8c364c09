// Fleet benchmark (`npm run bench`): for generated Flux fleets of about 100, 1,000 and 10,000
// Kustomizations (test/support/fleet-generator.ts: shared bases, components, patches,
// generators, substitution, HelmReleases of a local chart), each a packed Git repository with three
// commits (base; a pull request changing one line; a second push changing another), measures
// side by side in one run:
// - the parse floor: every YAML file parsed with the `yaml` library alone, in one process;
// - `kubectl kustomize` once per Kustomization path (a sample, extrapolated), when kubectl is found;
// - `fluxgate render` of the whole fleet (wall, CPU, peak memory, time per phase, µs per object),
//   in one thread and with its clusters in `--threads` worker threads;
// - `fluxgate diff` of the one-line pull request: without a render cache (the base rendered in
//   full, the head reusing every unit its change does not reach), with an empty one (cold:
//   `--cache-dir DIR --render-cache`), and with one filled by rendering the base (warm); and
//   without a render cache in `--threads` worker threads;
// - the App's replan of the second push in one process, with the App's render cache and without,
//   and as the App makes it: in its plan worker kept warm from the first review (the next push,
//   and the same review asked again), and in a worker of its own that starts from the cache on disk;
// and checks that every way of planning gives the same plan, byte for byte.
// Every run is `--offline`: the generated fleet's chart is local, nothing is fetched.
// Every fluxgate measurement is a fresh process (`node bin/fluxgate.js`, startup included), run
// by the Node the Action and the App ship on (24: `.tools/node24`, from `npm run setup:tools`)
// when it is there, else by the Node running this script; `--node PATH` picks another. The parse
// floor runs on the same Node, so the ratios compare like with like.
// CPU and peak memory are the process's own (not helm's or git's). Each is repeated and
// reported as the median with its range: the machine is shared, so compare within one run.
//
//   node scripts/bench.mjs [--sizes 100,1000,10000] [--clusters 4] [--repeat 3]
//                          [--kubectl PATH | --no-kubectl] [--kubectl-sample 60]
//                          [--threads N] [--no-helm] [--node PATH] [--keep] [--json FILE] [--markdown FILE]
// --threads: the threaded runs' threads (default: one per core but one, at least 2, at most 8).
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'

const { values } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100,1000,10000' },
    clusters: { type: 'string', default: '4' },
    repeat: { type: 'string' },
    kubectl: { type: 'string' },
    'no-kubectl': { type: 'boolean', default: false },
    'kubectl-sample': { type: 'string', default: '60' },
    'no-helm': { type: 'boolean', default: false },
    node: { type: 'string' },
    threads: { type: 'string' },
    keep: { type: 'boolean', default: false },
    json: { type: 'string' },
    markdown: { type: 'string' },
  },
})
const root = resolve(import.meta.dirname, '..')
const sizes = values.sizes.split(',').map(Number)
const clusters = Number(values.clusters)
const threads = Number(values.threads ?? Math.max(2, Math.min(8, availableParallelism() - 1)))
const work = mkdtempSync(join(tmpdir(), 'fluxgate-bench-'))
const shippedNode = join(root, '.tools/node24/bin/node')
const nodeBin = values.node ? resolve(values.node) : existsSync(shippedNode) ? shippedNode : process.execPath
const nodeVersion = execFileSync(nodeBin, ['--version'], { encoding: 'utf8' }).trim()

// The CLI as users run it (lib/ from src), and the library parts the benchmark drives.
execFileSync(process.execPath, [join(root, 'scripts/build.mjs')], { cwd: root, stdio: 'inherit' })
const bundles = join(root, '.cache', 'bench')
mkdirSync(bundles, { recursive: true })
const bundle = (entry, out) => build({ entryPoints: [join(root, entry)], outfile: join(bundles, out), bundle: true, format: 'esm', platform: 'node', packages: 'external', logLevel: 'warning' })
await bundle('test/support/fleet-generator.ts', 'fleet-generator.mjs')
await bundle('scripts/bench/replan.ts', 'replan.mjs')
const { generateFleet, appsFor } = await import(pathToFileURL(join(bundles, 'fleet-generator.mjs')).href)

const helmPath = join(root, '.tools/helm4/helm')
const helmArgs = ['--offline', ...(values['no-helm'] || !existsSync(helmPath) ? [] : ['--helm', helmPath])]

function findKubectl() {
  if (values['no-kubectl']) return undefined
  for (const p of [values.kubectl, join(root, '.tools/helm4/kubectl'), '/usr/lib/google-cloud-sdk/bin/kubectl.1.33', '/usr/lib/google-cloud-sdk/bin/kubectl.1.32']) if (p && existsSync(p)) return p
  return undefined
}
const kubectl = findKubectl()

/** Writes the fleet as a Git repository: base, then one line changed (the PR), then another (the next push). */
function writeRepo(dir, kustomizations) {
  const files = generateFleet({ clusters, apps: appsFor(kustomizations, clusters) })
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true })
    writeFileSync(join(dir, p), text)
  }
  // No automatic gc: one detached in the background would race with the measurements.
  const git = (...args) => execFileSync('git', ['-C', dir, '-c', 'user.name=bench', '-c', 'user.email=bench@example.com', '-c', 'gc.auto=0', '-c', 'maintenance.auto=false', ...args], { stdio: 'pipe' })
  git('init', '-q', '-b', 'main')
  git('remote', 'add', 'origin', 'https://github.com/acme/fleet')
  git('add', '-A')
  git('commit', '-qm', 'fleet')
  const bump = (path) => writeFileSync(join(dir, path), readFileSync(join(dir, path), 'utf8').replace(/replicas: (\d+)/, (_, n) => `replicas: ${Number(n) + 5}`))
  bump('tenants/team1/app1/overlays/c1/replicas.yaml')
  git('commit', '-qam', 'app1: more replicas on c1')
  bump('tenants/team2/app2/overlays/c2/replicas.yaml')
  git('commit', '-qam', 'app2: more replicas on c2')
  // Packed, as every repository Fluxgate reads in use is: a clone or a fetch (actions/checkout,
  // the App's mirror) brings its objects in packs. Fresh commits leave one file per object
  // (loose), which git reads several times slower and packs itself only past 6,700 of them, so
  // the 1,000 fleet would stay loose and the 10,000 one would be packed by chance.
  git('repack', '-adq')
  const bytes = Object.values(files).reduce((n, t) => n + Buffer.byteLength(t), 0)
  // Every Flux Kustomization path with a kustomization file (what `kubectl kustomize` can build).
  const paths = Object.keys(files).filter((p) => p.endsWith('/kustomization.yaml') && (p.includes('/overlays/') || p.startsWith('infrastructure/c') || p.startsWith('fleet/') || p.includes('/flux-system/'))).map((p) => dirname(p))
  return { files: Object.keys(files).length, bytes, paths }
}

/** Runs one fluxgate (or other node) process; wall time around it, CPU and peak memory from inside. */
function measure(args, { cwd = root, env = {} } = {}) {
  const rusage = join(work, `rusage-${process.pid}.json`)
  rmSync(rusage, { force: true })
  const started = performance.now()
  const r = spawnSync(nodeBin, ['--import', pathToFileURL(join(root, 'scripts/bench/rusage.mjs')).href, ...args], { cwd, encoding: 'utf8', maxBuffer: 1024 * 1024 * 1024, env: { ...process.env, ...env, FLUXGATE_BENCH_RUSAGE: rusage } })
  const wallMs = performance.now() - started
  if (r.status !== 0 && r.status !== 1) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`)
  const usage = existsSync(rusage) ? JSON.parse(readFileSync(rusage, 'utf8')) : {}
  return { wallMs, cpuMs: usage.cpuMs, maxRssKb: usage.maxRssKb, stdout: r.stdout, stderr: r.stderr }
}

const fluxgate = (...args) => [join(root, 'bin/fluxgate.js'), ...args]

/** Phases and unit counts from `--timings` on stderr. */
function timingsOf(stderr) {
  const phases = []
  let units
  for (const line of stderr.split('\n')) {
    const u = /^units: (\d+) rendered, (\d+) reused \((\d+) from the render cache\)/.exec(line)
    if (u) units = { rendered: Number(u[1]), reused: Number(u[2]), fromCache: Number(u[3]) }
    const m = /^ {2}(.+?)\s{2,}(\d+)\s+([\d.]+%|beside)/.exec(line)
    if (m && m[1] !== 'phase') phases.push({ phase: m[1], ms: Number(m[2]), share: m[3] })
  }
  return { phases, units }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2
}
const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length })
const repeatedly = (n, fn) => Array.from({ length: n }, (_, i) => fn(i))
const planOf = (file) => {
  const j = JSON.parse(readFileSync(file, 'utf8'))
  return JSON.stringify({ ...j, durationMs: 0, plan: j.plan ? { ...j.plan, durationMs: 0 } : undefined })
}

const results = []
log(`fluxgate runs on Node ${nodeVersion} (${nodeBin})`)
for (const size of sizes) {
  const repeat = Number(values.repeat ?? (size >= 5000 ? 1 : 3))
  const dir = join(work, `fleet-${size}`)
  log(`\n== fleet of ~${size} Kustomizations (${clusters} clusters): generating`)
  const shape = writeRepo(dir, size)
  const row = { size, clusters, files: shape.files, bytes: shape.bytes, repeat }

  // Parse floor.
  const floors = repeatedly(repeat, () => JSON.parse(measure([join(root, 'scripts/bench/parse-floor.mjs'), dir]).stdout))
  row.parseFloorMs = stat(floors.map((f) => f.ms))
  row.parseFloorCpuMs = stat(floors.map((f) => f.cpuMs))
  log(`parse floor: ${fmt(row.parseFloorMs)} (CPU ${fmt(row.parseFloorCpuMs)})`)

  // Full render (HEAD~2, the base), with phases.
  const full = repeatedly(repeat, () => measure(fluxgate('render', '--repo', dir, '--ref', 'HEAD~2', '--timings', '--threads', '1', ...helmArgs)))
  const fullTimings = timingsOf(full[0].stderr)
  row.objects = Number(/timings: \d+ ms wall, (\d+) objects/.exec(full[0].stderr)?.[1] ?? 0)
  row.kustomizations = clusters * (appsFor(size, clusters) + 3)
  row.full = { wall: stat(full.map((r) => r.wallMs)), cpu: stat(full.map((r) => r.cpuMs)), rssMb: stat(full.map((r) => r.maxRssKb / 1024)), phases: fullTimings.phases }
  log(`full render: ${fmt(row.full.wall)} wall, ${fmt(row.full.cpu)} CPU, ${row.full.rssMb.median.toFixed(0)} MiB, ${row.objects} objects`)
  const threaded = repeatedly(repeat, () => measure(fluxgate('render', '--repo', dir, '--ref', 'HEAD~2', '--threads', String(threads), ...helmArgs)))
  row.fullThreads = { threads, wall: stat(threaded.map((r) => r.wallMs)), cpu: stat(threaded.map((r) => r.cpuMs)), rssMb: stat(threaded.map((r) => r.maxRssKb / 1024)) }
  log(`full render in ${threads} threads: ${fmt(row.fullThreads.wall)} wall, ${fmt(row.fullThreads.cpu)} CPU, ${row.fullThreads.rssMb.median.toFixed(0)} MiB`)

  // kubectl kustomize per path: a sample spread over the fleet, extrapolated to every path.
  if (kubectl) {
    const n = Math.min(Number(values['kubectl-sample']), shape.paths.length)
    const sample = Array.from({ length: n }, (_, i) => shape.paths[Math.floor((i * shape.paths.length) / n)])
    const started = performance.now()
    for (const p of sample) spawnSync(kubectl, ['kustomize', '--', join(dir, p)], { stdio: 'ignore' })
    const each = (performance.now() - started) / n
    row.kubectl = { paths: shape.paths.length, sampled: n, perPathMs: each, totalMs: each * shape.paths.length }
    log(`kubectl kustomize: ${each.toFixed(1)} ms per path (${n} sampled), ${(row.kubectl.totalMs / 1000).toFixed(1)} s for ${shape.paths.length} paths`)
  }

  // The one-line pull request, planned from Git as `fluxgate diff` does: no render cache,
  // cold render cache, warm render cache (filled by rendering the base, as a run on the base
  // branch leaves it). The render cache lives under renders/ of the --cache-dir folder.
  const diff = (out, ...extra) => measure(fluxgate('diff', '--repo', dir, '--base', 'HEAD~2', '--head', 'HEAD~1', '--format', 'json', '--output', out, '--timings', ...helmArgs, ...extra))
  const plain = repeatedly(repeat, (i) => diff(join(work, `plain-${size}-${i}.json`), '--threads', '1'))
  const inThreads = repeatedly(repeat, (i) => diff(join(work, `threads-${size}-${i}.json`), '--threads', String(threads)))
  const cold = repeatedly(repeat, (i) => {
    const cache = join(work, `cold-cache-${size}-${i}`)
    rmSync(cache, { recursive: true, force: true })
    return diff(join(work, `cold-${size}-${i}.json`), '--cache-dir', cache, '--render-cache')
  })
  const seeded = join(work, `seeded-cache-${size}`)
  measure(fluxgate('render', '--repo', dir, '--ref', 'HEAD~2', '--cache-dir', seeded, '--render-cache', ...helmArgs))
  const warm = repeatedly(repeat, (i) => {
    const cache = join(work, `warm-cache-${size}-${i}`)
    rmSync(cache, { recursive: true, force: true })
    cpSync(seeded, cache, { recursive: true })
    return diff(join(work, `warm-${size}-${i}.json`), '--cache-dir', cache, '--render-cache')
  })
  const summary = (runs) => ({ wall: stat(runs.map((r) => r.wallMs)), cpu: stat(runs.map((r) => r.cpuMs)), rssMb: stat(runs.map((r) => r.maxRssKb / 1024)), ...timingsOf(runs[0].stderr) })
  row.prPlain = summary(plain)
  row.prThreads = summary(inThreads)
  row.prCold = summary(cold)
  row.prWarm = summary(warm)
  const plans = [...plain.map((_, i) => `plain-${size}-${i}`), ...inThreads.map((_, i) => `threads-${size}-${i}`), ...cold.map((_, i) => `cold-${size}-${i}`), ...warm.map((_, i) => `warm-${size}-${i}`)].map((f) => planOf(join(work, `${f}.json`)))
  row.identical = plans.every((p) => p === plans[0])
  log(`one-line PR: no render cache ${fmt(row.prPlain.wall)} (in ${threads} threads ${fmt(row.prThreads.wall)}), cold ${fmt(row.prCold.wall)}, warm ${fmt(row.prWarm.wall)}; plans identical: ${row.identical}`)

  // The App: replan of the next push in one process.
  const app = repeatedly(repeat, () => JSON.parse(measure([join(bundles, 'replan.mjs'), dir]).stdout))
  row.app = { first: stat(app.map((a) => a.firstMs)), trees: stat(app.map((a) => a.treesMs)), plan: stat(app.map((a) => a.planMs)), cachedPlan: stat(app.map((a) => a.cachedPlanMs)), worker: stat(app.map((a) => a.workerMs)), warm: stat(app.map((a) => a.warmWorkerMs)), again: stat(app.map((a) => a.warmAgainMs)), identical: app.every((a) => a.identical && a.warmWorkersStarted === 1) }
  row.identical &&= row.app.identical
  log(`App replan: ${fmt(row.app.cachedPlan)} plan with its render cache, ${fmt(row.app.plan)} without, + ${fmt(row.app.trees)} reading trees (first review ${fmt(row.app.first)}); as the App plans, in its warm plan worker: ${fmt(row.app.warm)} (the same review again: ${fmt(row.app.again)}), in a worker of its own: ${fmt(row.app.worker)}; identical: ${row.app.identical}`)
  results.push(row)
  if (!values.keep) rmSync(dir, { recursive: true, force: true })
}

const md = markdown(results)
process.stdout.write('\n' + md)
if (values.markdown) writeFileSync(values.markdown, md)
if (values.json) writeFileSync(values.json, JSON.stringify({ node: nodeVersion, cpus: (await import('node:os')).cpus().length, results }, null, 1))
if (values.keep) log(`kept ${work}`)
else rmSync(work, { recursive: true, force: true })
if (results.some((r) => !r.identical)) process.exitCode = 1

function log(line) {
  process.stderr.write(line + '\n')
}

function fmt(s) {
  const f = (ms) => (ms >= 10000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`)
  return s.runs > 1 ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : f(s.median)
}

function markdown(rows) {
  const out = [`Node ${nodeVersion}, ${(availableParallelism())} cores.`, '']
  const ratio = (a, b) => (a && b ? `${(a / b).toFixed(1)}×` : '–')
  out.push('| fleet | Kustomizations | objects | YAML | parse floor | `kubectl kustomize` per path | full render (wall) | full render (CPU) | kubectl ÷ render | render ÷ parse (wall) | render ÷ parse (CPU) | peak memory | µs per object |')
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    out.push(`| ${r.size} | ${r.kustomizations} | ${r.objects} | ${r.files} files, ${(r.bytes / 1048576).toFixed(1)} MB | ${fmt(r.parseFloorMs)} | ${r.kubectl ? `${(r.kubectl.totalMs / 1000).toFixed(1)} s (${r.kubectl.sampled} of ${r.kubectl.paths} sampled)` : '–'} | ${fmt(r.full.wall)} | ${fmt(r.full.cpu)} | ${ratio(r.kubectl?.totalMs, r.full.wall.median)} | ${ratio(r.full.wall.median, r.parseFloorMs.median)} | ${ratio(r.full.cpu.median, r.parseFloorCpuMs.median)} | ${r.full.rssMb.median.toFixed(0)} MiB | ${((r.full.wall.median * 1000) / r.objects).toFixed(0)} |`)
  }
  out.push('')
  out.push(`| fleet | full render in ${rows[0]?.fullThreads.threads ?? '?'} threads (wall) | (CPU, all threads) | peak memory | one-line PR in threads, no render cache | peak memory | against one thread (render / PR) |`)
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |')
  for (const r of rows) {
    out.push(`| ${r.size} | ${fmt(r.fullThreads.wall)} | ${fmt(r.fullThreads.cpu)} | ${r.fullThreads.rssMb.median.toFixed(0)} MiB | ${fmt(r.prThreads.wall)} | ${r.prThreads.rssMb.median.toFixed(0)} MiB | ${ratio(r.full.wall.median, r.fullThreads.wall.median)} / ${ratio(r.prPlain.wall.median, r.prThreads.wall.median)} |`)
  }
  out.push('')
  out.push('| fleet | one-line PR, no render cache | cold render cache | warm render cache | units rendered (no cache / warm) | App replan in process (plan, render cache / none) | App replan in process (reading trees) | App replan in its warm plan worker (next push / same again) | App replan in a worker of its own | peak memory (cold) | plans identical |')
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |')
  const units = (u) => (u ? `${u.rendered} of ${u.rendered + u.reused}` : '–')
  for (const r of rows) {
    out.push(`| ${r.size} | ${fmt(r.prPlain.wall)} | ${fmt(r.prCold.wall)} | ${fmt(r.prWarm.wall)} | ${units(r.prPlain.units)} / ${units(r.prWarm.units)} | ${fmt(r.app.cachedPlan)} / ${fmt(r.app.plan)} | ${fmt(r.app.trees)} | ${fmt(r.app.warm)} / ${fmt(r.app.again)} | ${fmt(r.app.worker)} | ${r.prCold.rssMb.median.toFixed(0)} MiB | ${r.identical ? 'yes' : '**no**'} |`)
  }
  if (rows.length > 1) {
    out.push('')
    out.push('Growth, each fleet against the previous one: ' + rows.slice(1).map((r, i) => `${rows[i].size} → ${r.size}: objects ×${(r.objects / rows[i].objects).toFixed(1)}, full render ×${(r.full.wall.median / rows[i].full.wall.median).toFixed(1)} (CPU ×${(r.full.cpu.median / rows[i].full.cpu.median).toFixed(1)}), µs per object ×${((r.full.wall.median / r.objects) / (rows[i].full.wall.median / rows[i].objects)).toFixed(2)}`).join('; ') + '.')
  }
  for (const r of rows) {
    out.push('')
    out.push(`Full render of the ${r.size} fleet, per phase (first run): ` + r.full.phases.map((p) => `${p.phase} ${p.ms} ms (${p.share})`).join(', ') + '.')
  }
  return out.join('\n') + '\n'
}
