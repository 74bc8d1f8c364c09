import { writeFileSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'
import { planRefs } from '../../../core/diff/plan-refs.js'
import type { Plan } from '../../../core/model/plan.js'
import { GitError, GitRepo } from '../../../infra/git-repo.js'
import { HelmCli } from '../../../infra/helm-cli.js'
import { chooseHelm } from '../helm-option.js'
import { EXIT, UsageError, type CliCommand, type CliIo } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { DIFF_FORMATS, presentPlan, type DiffFormat } from './diff-present.js'
import { planWithLive, presentWithLive } from './diff-live.js'

const usage = `Usage: fluxgate diff --base REF [--head REF] [--repo DIR] [--path P ...] [options]

The plan of a change: every object the merge adds, changes, removes or moves, per cluster and
per Kustomization/HelmRelease, and the prune plan (what Flux deletes or orphans). The head is
compared against the merge base of base and head, so drift on the base branch does not show.
Without --path, every folder under clusters/ that holds Flux objects is a cluster.
Secret values never appear: only which keys were added, removed or changed.

Options:
  --repo DIR             Git repository (default: current directory)
  --base REF             base branch, tag or commit (required)
  --head REF             head branch, tag or commit (default: HEAD)
  --path P               cluster entry path, repeatable
  --format F             markdown (full report, default), comment (PR comment parts),
                         json (docs/report-format.md) or text (coloured on a terminal)
  --output FILE          write the report to FILE instead of stdout
  --helm PATH            helm binary: an absolute path, or a name looked up on PATH
                         (default: the packaged Helm 4, else helm on PATH, else none)
  --helm3                use the packaged Helm 3, as helm-controller < 1.5
  --repo-url URL         URL GitRepositories use for this repository (default: git remote origin)
  --allow-remote-charts  fetch charts from Helm repositories and OCI registries
  --no-strict            turn off strict postBuild substitution (Flux < 2.9)
  --live                 also dry-run both sides against a cluster: the merge's change as the
                         API server sees it, drift apart, prune plan against Flux's inventory
  --kubeconfig K         kubeconfig for --live (default: KUBECONFIG, ~/.kube/config)
  --context C            kubeconfig context for --live
  --cluster NAME         fleet cluster the kubeconfig reaches (default: named like the context)

Colour: text output is coloured only on a terminal, and never when NO_COLOR is set.
Exit codes: 0 planned, 1 a render failed (diagnostics on stderr), 2 usage error (also an
unknown --base/--head ref or a folder that is not a Git repository).
`

interface DiffArgs {
  /** `--live`: the cluster to dry-run against (diff-live.ts). */
  live?: { kubeconfig?: string; context?: string; cluster?: string }
  dir: string
  base: string
  head: string
  paths?: string[]
  format: DiffFormat
  output?: string
  /** Absolute path of the helm to run; none: HelmReleases compare values only. */
  helmPath?: string
  repoUrl?: string
  allowRemoteCharts: boolean
  strict: boolean
}

function parse(argv: string[], io: CliIo): DiffArgs {
  const v = parseOptions({
    args: argv,
    options: {
      repo: { type: 'string' },
      base: { type: 'string' },
      head: { type: 'string' },
      path: { type: 'string', multiple: true },
      format: { type: 'string' },
      output: { type: 'string' },
      helm: { type: 'string' },
      helm3: { type: 'boolean', default: false },
      'repo-url': { type: 'string' },
      'allow-remote-charts': { type: 'boolean', default: false },
      'no-strict': { type: 'boolean', default: false },
      live: { type: 'boolean', default: false },
      kubeconfig: { type: 'string' },
      context: { type: 'string' },
      cluster: { type: 'string' },
    },
    allowPositionals: false,
  }).values
  if (!v.base) throw new UsageError('--base REF is required')
  const format = (v.format ?? 'markdown') as DiffFormat
  if (!DIFF_FORMATS.includes(format)) throw new UsageError(`--format must be one of ${DIFF_FORMATS.join(', ')}, not '${v.format}'`)
  const dir = resolve(io.cwd, v.repo ?? '.')
  const repoUrl = v['repo-url'] ?? originUrl(dir)
  const helmPath = v.live ? undefined : chooseHelm(v, io, dir)
  return {
    dir,
    base: v.base,
    head: v.head ?? 'HEAD',
    ...(v.path ? { paths: v.path } : {}),
    format,
    ...(v.output ? { output: resolve(io.cwd, v.output) } : {}),
    ...(helmPath ? { helmPath } : {}),
    ...(repoUrl ? { repoUrl } : {}),
    allowRemoteCharts: v['allow-remote-charts'] === true,
    strict: !v['no-strict'],
    ...(v.live ? { live: { ...(v.kubeconfig ? { kubeconfig: resolve(io.cwd, v.kubeconfig) } : {}), ...(v.context ? { context: v.context } : {}), ...(v.cluster ? { cluster: v.cluster } : {}) } } : {}),
  }
}

function originUrl(dir: string): string | undefined {
  try {
    return execFileSync('git', ['-C', dir, 'remote', 'get-url', 'origin'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() || undefined
  } catch {
    return undefined
  }
}

// A ref that does not name a commit is a wrong argument, not a failed render: usage (exit 2).
async function checkRefs(args: DiffArgs): Promise<void> {
  const repo = new GitRepo(args.dir)
  for (const [flag, ref] of [['--base', args.base], ['--head', args.head]] as const) {
    try {
      await repo.resolve(ref)
    } catch (err) {
      if (err instanceof GitError) throw new UsageError(`${flag} ${ref}: no such commit, branch or tag in ${args.dir}`)
      throw err
    }
  }
}

/** The plan of `head` against the merge base of `base` and `head` in a local repository. */
export async function planFromGit(args: DiffArgs): Promise<Plan> {
  const helm = args.helmPath ? new HelmCli({ helmPath: args.helmPath }) : undefined
  try {
    return await planRefs(new GitRepo(args.dir), {
      base: args.base,
      head: args.head,
      render: {
        ...(args.paths ? { paths: args.paths } : {}),
        ...(args.repoUrl ? { repoUrl: args.repoUrl } : {}),
        strictSubstitution: args.strict,
        allowRemoteCharts: args.allowRemoteCharts,
      },
      ...(helm ? { helm } : {}),
    })
  } finally {
    helm?.dispose()
  }
}

/** `fluxgate diff`: parse, plan, present (diff-present.ts is the seam for other plan sources). */
const command: CliCommand = {
  name: 'diff',
  summary: 'the plan of a change: object diff and prune plan, base against head',
  usage,
  async run(argv, io) {
    const args = parse(argv, io)
    await checkRefs(args)
    const plan = args.live ? await planWithLive({ dir: args.dir, base: args.base, head: args.head, ...(args.paths ? { paths: args.paths } : {}), ...(args.repoUrl ? { repoUrl: args.repoUrl } : {}), ...args.live }, io) : await planFromGit(args)
    const color = args.format === 'text' && !args.output && io.isTty && !io.env['NO_COLOR']
    const out = presentPlan(plan, { format: args.format, color })
    const report = args.live ? presentWithLive(out.report, plan, args.format) : out.report
    if (args.output) writeFileSync(args.output, report)
    else io.stdout(report)
    io.stderr(out.diagnostics)
    return out.exitCode === EXIT.ok ? EXIT.ok : EXIT.failed
  },
}
export default command
