import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { recordPhases } from '../../../core/timings/phases.js'
import { attachLive, planFlow, RequestError, reviewViewOf, verdictOf, type PlannedChange } from '../../../flows/index.js'
import { HelmCli } from '../../../infra/helm-cli.js'
import { chooseHelm } from '../helm-option.js'
import { readValuesFile, sourceFlags } from '../cli-util.js'
import type { ClusterValues } from '../../../core/load/cluster-values.js'
import { EXIT, UsageError, type CliCommand, type CliIo, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { Progress } from '../progress.js'
import { filterPlan, isFiltering, planTotals, renderTimings, type PlanFilter } from '../../../report/index.js'
import { DIFF_FORMATS, presentPlan, type DiffFormat } from './diff-present.js'
import { checkRepository, resolveRef, THREADS_USAGE, threadsOf } from './render-source.js'
import { presentWithLive } from './diff-live.js'
import { systemClock } from '../../../infra/clock.js'
import { DiskRenderCache, RENDER_CACHE_MAX_BYTES } from '../../../infra/render-cache.js'
import type { Plan } from '../../../core/model/plan.js'
import { CHART_OPTIONS, CHART_USAGE, chartSettings, type ChartSettings } from '../chart-options.js'

const usage = `Usage: fluxgate diff --base REF [--head REF] [--repo DIR] [--path P ...] [options]

The plan of a change: every object the merge adds, changes, removes or moves, per cluster and
per Kustomization/HelmRelease, the prune plan (what Flux deletes or orphans), and the gate's
verdict with the base branch's .github/fluxgate.yml, as the pull request check would give it
(without approvals). The head is compared against the merge base of base and head, so drift
on the base branch does not show. Without --path, the clusters are discovered as Flux syncs
them (gotk-sync.yaml, FluxInstance sync, clusters/ folders; see fluxgate clusters). Secret values never appear: only which keys changed.

Options:
  --repo DIR             Git repository (default: current directory)
  --base REF             base branch, tag or commit: the branch the change merges into (required)
  --head REF             head branch, tag or commit (default: HEAD)
  --branch NAME          the branch the change merges into, for GitRepositories that track a
                         branch (default: --base when it names a branch)
  --path P               cluster entry path, repeatable
  --source K/NS/N=PATH   a source that carries this repository (OCIRepository, Bucket,
                         ExternalArtifact, GitRepository) renders from folder PATH; repeatable,
                         on top of \`sources:\` in the base branch's .github/fluxgate.yml
  --format F             text (default: the plan for a terminal, coloured there), markdown
                         (the full report, verdict first), comment (the PR comment parts) or
                         json (docs/report-format.md)
  --output FILE          write the report to FILE instead of stdout
  --no-color             no colours in text output (also: NO_COLOR set, or not a terminal)
  --helm PATH            helm binary: an absolute path, or a name looked up on PATH
                         (default: the packaged Helm 4, else helm on PATH, else none)
  --helm3                use the packaged Helm 3, as helm-controller < 1.5
  --repo-url URL         URL GitRepositories use for this repository (default: git remote origin)
${CHART_USAGE}
  --untrusted            treat the head as a fork's: nothing is run or fetched, HelmReleases
                         compare values only (as the pull request check does for forks)
  --detailed-exitcode    exit 0 when the plan has no changes, 2 when it has, 1 on errors
                         (also usage errors), as terraform plan -detailed-exitcode does
  --no-strict            turn off strict postBuild substitution (Flux < 2.9)
  --values-file FILE     values of ConfigMaps/Secrets that live only in the cluster, as
                         clusterValues: in .github/fluxgate.yml (docs/flux-rules.md); they win
                         over the base branch's for the same source
${THREADS_USAGE}
  --timings              print where the time went (per phase) to stderr
  --render-cache         keep renders of Kustomizations and HelmReleases between runs in the
                         renders/ folder of the --cache-dir folder: the next run re-renders
                         only what changed (docs/performance.md)
  --live                 also dry-run both sides against a cluster: the merge's change as the
                         API server sees it, drift apart, prune plan against Flux's inventory
  --kubeconfig K         kubeconfig for --live (default: KUBECONFIG, ~/.kube/config)
  --context C            kubeconfig context for --live

Remote charts (HelmRepository, OCI, OCIRepository chartRef) are fetched and rendered unless
--offline or --untrusted; fetched archives are kept in the chart cache.

Filters (each repeatable; they change what is shown, not the gate or the exit code):
  --cluster NAME         only this cluster (name or entry path); with --live, also the fleet
                         cluster the kubeconfig reaches (default: named like the context)
  --kind KIND            only objects of this kind (HelmRelease, Deployment; any case)
  --namespace NS         only objects in this namespace
  --name NAME            only objects with this name
  --owner OWNER          only objects applied by this Kustomization or HelmRelease
                         (Kind/namespace/name, namespace/name or name)

Colour: text output is coloured only on a terminal, never with --no-color or NO_COLOR set.
Progress: on a terminal, a run longer than a second shows its step on stderr.
Exit codes: 0 planned, 1 a render failed (error diagnostics on stderr; warnings never fail),
2 usage error (also an unknown --base/--head ref or a folder that is not a Git repository).
With --detailed-exitcode: 0 no changes, 2 changes, 1 errors or usage errors.
`

const options = {
  repo: { type: 'string' },
  base: { type: 'string' },
  head: { type: 'string' },
  branch: { type: 'string' },
  path: { type: 'string', multiple: true },
  source: { type: 'string', multiple: true },
  format: { type: 'string' },
  output: { type: 'string' },
  'no-color': { type: 'boolean', default: false },
  helm: { type: 'string' },
  helm3: { type: 'boolean', default: false },
  'repo-url': { type: 'string' },
  ...CHART_OPTIONS,
  untrusted: { type: 'boolean', default: false },
  'detailed-exitcode': { type: 'boolean', default: false },
  'no-strict': { type: 'boolean', default: false },
  'values-file': { type: 'string' },
  timings: { type: 'boolean', default: false },
  'render-cache': { type: 'boolean', default: false },
  live: { type: 'boolean', default: false },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  threads: { type: 'string' },
  cluster: { type: 'string', multiple: true },
  kind: { type: 'string', multiple: true },
  namespace: { type: 'string', multiple: true },
  name: { type: 'string', multiple: true },
  owner: { type: 'string', multiple: true },
} as const satisfies CliOptions

interface DiffArgs {
  /** `--live`: the cluster to dry-run against. */
  live?: { kubeconfig?: string; context?: string; cluster?: string }
  dir: string
  base: string
  head: string
  branch?: string
  paths?: string[]
  sources?: Map<string, string>
  format: DiffFormat
  output?: string
  noColor: boolean
  filter: PlanFilter
  helmPath?: string
  repoUrl?: string
  charts: ChartSettings
  untrusted: boolean
  strict: boolean
  clusterValues?: ClusterValues
  detailedExitcode: boolean
  timings: boolean
  renderCache: boolean
  threads?: string
}

function parse(argv: string[], io: CliIo): DiffArgs {
  const v = parseOptions({ args: argv, options, allowPositionals: false }).values
  if (!v.base) throw new UsageError('--base REF is required')
  const format = (v.format ?? 'text') as DiffFormat
  if (!DIFF_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${DIFF_FORMATS.join(', ')}, not '${v.format}'`)
  const dir = resolve(io.cwd, v.repo ?? '.')
  const helmPath = v.untrusted ? undefined : chooseHelm(v, io, dir)
  const sources = sourceFlags(v.source)
  return {
    ...(sources ? { sources } : {}),
    dir,
    base: v.base,
    head: v.head ?? 'HEAD',
    ...(v.branch ? { branch: v.branch } : {}),
    ...(v.path ? { paths: v.path } : {}),
    format,
    ...(v.output ? { output: resolve(io.cwd, v.output) } : {}),
    noColor: v['no-color'] === true,
    filter: { ...(v.cluster ? { clusters: v.cluster } : {}), ...(v.kind ? { kinds: v.kind } : {}), ...(v.namespace ? { namespaces: v.namespace } : {}), ...(v.name ? { names: v.name } : {}), ...(v.owner ? { owners: v.owner } : {}) },
    ...(helmPath ? { helmPath } : {}),
    ...(v['repo-url'] ? { repoUrl: v['repo-url'] } : {}),
    charts: chartSettings(v, io),
    untrusted: v.untrusted === true,
    strict: !v['no-strict'],
    ...(v['values-file'] ? { clusterValues: readValuesFile(resolve(io.cwd, v['values-file']), (t) => io.stderr(t)) } : {}),
    detailedExitcode: v['detailed-exitcode'] === true,
    timings: v.timings === true,
    renderCache: v['render-cache'] === true,
    ...(v.threads !== undefined ? { threads: v.threads } : {}),
    ...(v.live ? { live: { ...(v.kubeconfig ? { kubeconfig: resolve(io.cwd, v.kubeconfig) } : {}), ...(v.context ? { context: v.context } : {}), ...(v.cluster?.[0] ? { cluster: v.cluster[0] } : {}) } } : {}),
  }
}

/** The plan of `head` against the merge base of `base` and `head` in a local repository, through the plan flow. */
export async function planFromGit(args: DiffArgs, io: CliIo): Promise<PlannedChange> {
  // A folder that is not a repository, or a ref that names no commit, is a wrong argument,
  // not a failed render: usage (exit 2), saying which.
  const repo = await checkRepository(args.dir, 'diff compares two commits, so it runs in a clone of the fleet repository (--repo DIR)')
  await resolveRef(repo, '--base', args.base)
  await resolveRef(repo, '--head', args.head)
  const helm = args.helmPath ? new HelmCli({ helmPath: args.helmPath, cacheDir: args.charts.cacheDir }) : undefined
  const threads = threadsOf(args.threads)
  const progress = new Progress(io)
  const started = performance.now()
  const recording = args.timings ? recordPhases(() => performance.now()) : undefined
  // Beside the charts, in the same cache folder: one --cache-dir for everything a run keeps.
  const cache = args.renderCache ? new DiskRenderCache(args.charts.cacheDir) : undefined
  try {
    const repoUrl = args.repoUrl ?? (await repo.originUrl())
    const branch = args.branch ?? (await repo.branchOf(args.base))
    const planned = await planFlow({
      source: repo,
      base: args.base,
      head: args.head,
      ...(branch ? { branch } : {}),
      origin: { kind: args.untrusted ? 'local-untrusted' : 'local' },
      ...(args.paths ? { paths: args.paths } : {}),
      ...(args.sources ? { sources: args.sources } : {}),
      ...(repoUrl ? { repoUrl } : {}),
      strictSubstitution: args.strict,
      ...(args.clusterValues ? { clusterValues: args.clusterValues } : {}),
      offline: args.charts.offline,
      ...(helm?.available() ? { helm } : {}),
      ...(cache ? { renderCache: cache } : {}),
      ...(threads ? { threads } : {}),
      clock: systemClock,
      progress: progress.update,
    })
    progress.done()
    const phases = recording?.stop()
    cache?.prune(RENDER_CACHE_MAX_BYTES)
    if (phases) {
      const objects = planned.headFleet.clusters.reduce((n, c) => n + c.objects.length, 0)
      io.stderr(renderTimings({ wallMs: performance.now() - started, phases, objects, ...(planned.units ? { units: planned.units } : {}) }))
    }
    if (args.live) {
      // Loaded only for --live: the Kubernetes client is most of the CLI's start-up time.
      const { K8sCluster } = await import('../../../infra/k8s-cluster.js')
      const cluster = K8sCluster.load({ ...(args.live.kubeconfig ? { kubeconfig: args.live.kubeconfig } : {}), ...(args.live.context ? { context: args.live.context } : {}) })
      const name = await attachLive(planned, cluster, args.live.cluster).catch((err: unknown) => {
        throw err instanceof RequestError ? new UsageError(err.message) : err
      })
      io.stderr(name ? `fluxgate diff: live view of cluster ${name} through context ${cluster.context}\n` : `fluxgate diff: no cluster of the repository matches context '${cluster.context}'; live view skipped\n`)
    }
    return planned
  } finally {
    progress.done()
    recording?.stop()
    await threads?.close()
    helm?.dispose()
  }
}

/** `fluxgate diff`: parse, plan (flows/plan), gate, present. */
const command: CliCommand = {
  name: 'diff',
  summary: 'the plan of a change: object diff, prune plan and gate, base against head',
  usage,
  options,
  async run(argv, io) {
    const args = parse(argv, io)
    const planned = await planFromGit(args, io)
    // The gate judges the whole change; filters only narrow what is shown.
    const verdict = verdictOf(planned, [])
    const color = args.format === 'text' && !args.output && !args.noColor && io.isTty && !io.env['NO_COLOR']
    const shown = filterPlan(planned.plan, args.filter)
    if (isFiltering(args.filter)) io.stderr(`fluxgate diff: showing ${count(shown)} of ${count(planned.plan)} object changes (filtered)\n`)
    const out = presentPlan(shown, { format: args.format, color, review: reviewViewOf(verdict, []) })
    const report = args.live ? presentWithLive(out.report, shown, args.format) : out.report
    if (args.output) writeFileSync(args.output, report)
    else io.stdout(report)
    io.stderr(out.diagnostics)
    // A render error anywhere fails the run, shown or filtered out.
    if (planTotals(planned.plan).errors > 0) return EXIT.failed
    return args.detailedExitcode && hasChanges(planned.plan) ? DETAILED_CHANGES : EXIT.ok
  },
}

function count(plan: PlannedChange['plan']): number {
  return plan.clusters.reduce((n, c) => n + c.changes.length, 0)
}

/** `--detailed-exitcode`: the plan holds changes (Terraform's exit code 2). */
const DETAILED_CHANGES = 2

/** Anything the merge changes on a cluster: an object, or a HelmRelease's chart version. */
export function hasChanges(plan: Plan): boolean {
  return plan.clusters.some((c) => c.changes.length > 0 || c.owners.some((o) => o.chart !== undefined))
}
export default command
