import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { postMergeFlow, RequestError } from '../../../flows/index.js'
import { GitError, GitRepo } from '../../../infra/git-repo.js'
import { K8sCluster } from '../../../infra/k8s-cluster.js'
import { reconcileText } from '../../../report/reconcile.js'
import { parseDuration, stderrLogger } from '../cli-util.js'
import { EXIT, UsageError, type CliCommand, type CliIo, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { systemClock } from '../../../infra/clock.js'

const usage = `Usage: fluxgate reconcile --merge-sha SHA [--repo DIR] [--base SHA] [--kubeconfig K] [options]

After a merge: asks Flux to reconcile exactly what the merge changed and waits for it.
The repository's source (GitRepository) is refreshed until its artifact holds the merge
commit, then each affected Kustomization and HelmRelease is reconciled in dependsOn order.
Suspended objects are reported and left alone. Writes only the reconcile.fluxcd.io/requestedAt
annotation, under the field manager 'fluxgate'.

Options:
  --repo DIR         Git repository holding the merge commit (default: current directory)
  --merge-sha SHA    the merge commit (required)
  --base SHA         what the merge changed from (default: the merge commit's first parent)
  --kubeconfig K     kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster)
  --context C        kubeconfig context (default: the current one)
  --cluster NAME     fleet cluster the kubeconfig reaches (default: the one named like the
                     context, else the only cluster the merge touches)
  --path P           cluster entry path, repeatable (default: folders under clusters/)
  --timeout D        limit of each wait, e.g. 5m, 90s (default 5m)
  --poll D           poll interval when a watch breaks (default 2s)
  --json FILE        also write the result as JSON

Exit codes: 0 everything applied (or nothing to do), 1 a reconcile failed, stalled or timed
out (Flux's Ready message is quoted), 2 usage error.
`

interface ReconcileArgs {
  dir: string
  mergeSha: string
  base?: string
  kubeconfig?: string
  context?: string
  cluster?: string
  paths?: string[]
  timeoutMs: number
  pollMs: number
  json?: string
}

const options = {
  repo: { type: 'string' },
  'merge-sha': { type: 'string' },
  base: { type: 'string' },
  kubeconfig: { type: 'string' },
  context: { type: 'string' },
  cluster: { type: 'string' },
  path: { type: 'string', multiple: true },
  timeout: { type: 'string' },
  poll: { type: 'string' },
  json: { type: 'string' },
} as const satisfies CliOptions

function parse(argv: string[], io: CliIo): ReconcileArgs {
  const v = parseOptions({ args: argv, options, allowPositionals: false }).values
  if (!v['merge-sha']) throw new UsageError('--merge-sha SHA is required')
  return {
    dir: resolve(io.cwd, v.repo ?? '.'),
    mergeSha: v['merge-sha'],
    ...(v.base ? { base: v.base } : {}),
    ...(v.kubeconfig ? { kubeconfig: resolve(io.cwd, v.kubeconfig) } : {}),
    ...(v.context ? { context: v.context } : {}),
    ...(v.cluster ? { cluster: v.cluster } : {}),
    ...(v.path ? { paths: v.path } : {}),
    timeoutMs: parseDuration(v.timeout ?? '5m'),
    pollMs: parseDuration(v.poll ?? '2s'),
    ...(v.json ? { json: resolve(io.cwd, v.json) } : {}),
  }
}

/**
 * `fluxgate reconcile`: the post-merge flow (plan the merge, pick the fleet cluster the
 * kubeconfig reaches, reconcile what changed there in dependsOn order, wait), printed.
 */
const command: CliCommand = {
  name: 'reconcile',
  summary: 'ask Flux to reconcile what a merge changed, and wait',
  usage,
  options,
  async run(argv, io) {
    const args = parse(argv, io)
    const cluster = K8sCluster.load({ ...(args.kubeconfig ? { kubeconfig: args.kubeconfig } : {}), ...(args.context ? { context: args.context } : {}) })
    const repo = new GitRepo(args.dir)
    const mergeSha = await repo.resolve(args.mergeSha).catch((err: unknown) => {
      throw err instanceof GitError ? new UsageError(`--merge-sha ${args.mergeSha}: no such commit in ${args.dir}`) : err
    })
    const repoUrl = await repo.originUrl()
    const outcome = await postMergeFlow({
      source: repo,
      mergeSha,
      ...(args.base ? { base: args.base } : {}),
      ...(args.paths ? { paths: args.paths } : {}),
      ...(repoUrl ? { repoUrl } : {}),
      cluster,
      ...(args.cluster ? { clusterName: args.cluster } : {}),
      timeouts: { sourceMs: args.timeoutMs, objectMs: args.timeoutMs, pollMs: args.pollMs },
      logger: stderrLogger(io.stderr),
      clock: systemClock,
    }).catch((err: unknown) => {
      throw err instanceof RequestError ? new UsageError(err.message) : err
    })
    const report = outcome.reports[0] ?? { cluster: '-', context: cluster.context, mergeSha, ok: true, results: [], diagnostics: [], durationMs: 0 }
    io.stdout(reconcileText([report]))
    for (const d of report.diagnostics) io.stderr(`${d.severity} [${d.code}] ${d.message}\n`)
    if (args.json) writeFileSync(args.json, JSON.stringify(report, null, 2) + '\n')
    return outcome.ok ? EXIT.ok : EXIT.failed
  },
}
export default command
