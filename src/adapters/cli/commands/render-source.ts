import { existsSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { renderFlow, type RenderedRepository } from '../../../flows/index.js'
import { systemClock } from '../../../infra/clock.js'
import { DiskTree } from '../../../infra/disk-tree.js'
import { GitError, GitRepo } from '../../../infra/git-repo.js'
import { HelmCli } from '../../../infra/helm-cli.js'
import { defaultThreads, threadCount, WorkerThreadPool } from '../../../infra/thread-pool.js'
import type { FileTree } from '../../../ports/file-tree.js'
import type { RenderCache } from '../../../ports/render-cache.js'
import { CHART_OPTIONS, CHART_USAGE, chartSettings } from '../chart-options.js'
import { readValuesFile, sourceFlags } from '../cli-util.js'
import { chooseHelm } from '../helm-option.js'
import { UsageError, type CliIo, type CliOptions } from '../io.js'
import { Progress } from '../progress.js'

/** The options of every command that renders one tree (`render`, `get`, `check`). */
export const TREE_OPTIONS = {
  repo: { type: 'string' },
  ref: { type: 'string' },
  path: { type: 'string', multiple: true },
  source: { type: 'string', multiple: true },
  'repo-url': { type: 'string' },
  branch: { type: 'string' },
  helm: { type: 'string' },
  helm3: { type: 'boolean', default: false },
  ...CHART_OPTIONS,
  'no-strict': { type: 'boolean', default: false },
  'values-file': { type: 'string' },
  threads: { type: 'string' },
} as const satisfies CliOptions

/** The --threads option's lines in a command's usage. */
export const THREADS_USAGE = `  --threads N            render the clusters of a fleet read from git (--ref; 1,000 files or
                         more) side by side in N threads (default: with 4 cores or more, one
                         per core but one, at most 8; else 1); the output is the same either way
`
/** Their lines in a command's usage. */
export const TREE_USAGE = `  --repo DIR             repository folder (default: current directory)
  --ref REF              render this commit/branch/tag (read from git); default: the working tree
  --path P               cluster entry path, repeatable (default: every cluster found)
  --source K/NS/N=PATH   a source that carries this repository (OCIRepository, Bucket,
                         ExternalArtifact, GitRepository) renders from folder PATH; repeatable,
                         on top of \`sources:\` in .github/fluxgate.yml
  --repo-url URL         URL GitRepositories use for this repository (default: git remote origin)
  --branch NAME          branch this revision stands for (default: the ref's or HEAD's branch)
  --helm PATH            helm binary: an absolute path, or a name looked up on PATH
                         (default: the packaged Helm 4, else helm on PATH, else none)
  --helm3                use the packaged Helm 3, as helm-controller < 1.5 (Flux < 2.8)
${CHART_USAGE}
  --no-strict            turn off strict postBuild substitution (Flux < 2.9)
  --values-file FILE     values of ConfigMaps/Secrets that live only in the cluster, as
                         clusterValues: in .github/fluxgate.yml (docs/flux-rules.md)
${THREADS_USAGE}

Remote charts (HelmRepository, OCI, OCIRepository chartRef) are fetched and rendered unless
--offline; fetched archives are kept in the chart cache.`

/** Parsed TREE_OPTIONS values. */
export interface TreeValues {
  repo?: string | undefined
  ref?: string | undefined
  path?: string[] | undefined
  source?: string[] | undefined
  'repo-url'?: string | undefined
  branch?: string | undefined
  helm?: string | undefined
  helm3?: boolean | undefined
  offline?: boolean | undefined
  'cache-dir'?: string | undefined
  'allow-remote-charts'?: boolean | undefined
  'no-strict'?: boolean | undefined
  'values-file'?: string | undefined
  threads?: string | undefined
}

/**
 * The render threads --threads asks for (default: defaultThreads()): none for 1, as for a
 * machine with one core. A usage error for anything but a whole number from 1 to 64.
 */
export function threadsOf(value: string | undefined): WorkerThreadPool | undefined {
  const n = value === undefined ? defaultThreads() : threadCount(value)
  if (n === undefined) throw new UsageError(`--threads must be a whole number from 1 to 64, not '${value}'`)
  return n > 1 ? new WorkerThreadPool(n) : undefined
}

/**
 * A folder that does not exist, or (when git is `needed`, saying why) is not a Git repository,
 * as a usage error that says so, rather than the "no such commit" a git lookup would report.
 */
export async function checkRepository(dir: string, needed?: string): Promise<GitRepo> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such folder`)
  const repo = new GitRepo(dir)
  if (needed && !(await repo.isRepository())) throw new UsageError(`${dir} is not a Git repository: ${needed}`)
  return repo
}

/** The commit a ref names, or a usage error naming the ref (the folder is a repository). */
export async function resolveRef(repo: GitRepo, flag: string, ref: string): Promise<string> {
  try {
    return await repo.resolve(ref)
  } catch (err) {
    if (err instanceof GitError) throw new UsageError(`${flag} ${ref}: no such commit, branch or tag in ${repo.dir}`)
    throw err
  }
}

/**
 * Renders the tree TREE_OPTIONS name (a commit with --ref, else the files on disk) through the
 * render flow, with helm chosen as every rendering command chooses it and progress on a
 * terminal when it takes more than a second.
 */
export async function renderTree(v: TreeValues, io: CliIo, extra: { renderCache?: RenderCache } = {}): Promise<RenderedRepository> {
  const dir = resolve(io.cwd, v.repo ?? '.')
  const repo = await checkRepository(dir, v.ref ? '--ref reads a commit from git (leave it out to render the files on disk)' : undefined)
  let tree: FileTree
  let revision = 'working-tree'
  if (v.ref) {
    revision = await resolveRef(repo, '--ref', v.ref)
    tree = await repo.tree(revision)
  } else {
    tree = new DiskTree(dir, { snapshot: true })
  }
  const sources = sourceFlags(v.source)
  const clusterValues = v['values-file'] ? readValuesFile(resolve(io.cwd, v['values-file']), (t) => io.stderr(t)) : undefined
  const charts = chartSettings(v, io)
  const helmPath = chooseHelm(v, io, dir)
  const helm = helmPath ? new HelmCli({ helmPath, cacheDir: charts.cacheDir }) : undefined
  // G-10: the branch this render stands for, so GitRepositories of this repository that
  // track another branch are not rendered from this tree.
  const repoUrl = v['repo-url'] ?? (await repo.originUrl().catch(() => undefined))
  const branch = v.branch ?? (await repo.branchOf(v.ref ?? 'HEAD').catch(() => undefined))
  const threads = threadsOf(v.threads)
  const progress = new Progress(io)
  try {
    return await renderFlow({
      tree,
      origin: { kind: 'local' },
      revision,
      ...(v.path ? { paths: v.path } : {}),
      ...(sources ? { sources } : {}),
      ...(repoUrl ? { repoUrl } : {}),
      ...(branch ? { branch } : {}),
      strictSubstitution: !v['no-strict'],
      ...(clusterValues ? { clusterValues } : {}),
      offline: charts.offline,
      ...(extra.renderCache ? { renderCache: extra.renderCache } : {}),
      ...(helm?.available() ? { helm } : {}),
      ...(threads ? { threads } : {}),
      clock: systemClock,
      progress: progress.update,
    })
  } finally {
    progress.done()
    await threads?.close()
    helm?.dispose()
  }
}
