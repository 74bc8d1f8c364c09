import { resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { formatDiagnostic } from '../../../core/diagnostics/diagnostic.js'
import { renderFlow } from '../../../flows/index.js'
import { systemClock } from '../../../infra/clock.js'
import { DiskRenderCache, RENDER_CACHE_MAX_BYTES } from '../../../infra/render-cache.js'
import { recordPhases } from '../../../core/timings/phases.js'
import { renderObjectsYaml, renderTimings } from '../../../report/index.js'
import type { FileTree } from '../../../ports/file-tree.js'
import { DiskTree } from '../../../infra/disk-tree.js'
import { GitError, GitRepo } from '../../../infra/git-repo.js'
import { HelmCli } from '../../../infra/helm-cli.js'
import { CHART_OPTIONS, CHART_USAGE, chartSettings } from '../chart-options.js'
import { chooseHelm } from '../helm-option.js'
import { readValuesFile } from '../cli-util.js'
import { EXIT, UsageError, type CliCommand } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { sourceFlags } from '../cli-util.js'

const usage = `Usage: fluxgate render --repo DIR [--ref REF] [--path P ...] [options]

Prints every object the cluster paths yield, as Flux would apply it, as YAML documents;
each is preceded by a comment naming its cluster and owner (Kustomization, HelmRelease or
ResourceSet). Without --path, the clusters are discovered as Flux syncs them: gotk-sync.yaml
anywhere, a FluxInstance's sync path, folders under clusters/; each spec.kubeConfig is a
cluster of its own ('fluxgate clusters' shows what was found and why).

Options:
  --repo DIR             repository folder (default: current directory)
  --ref REF              render this commit/branch/tag (read from git); default: the working tree
  --path P               cluster entry path, repeatable
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
  --timings              print where the time went (per phase) to stderr
  --render-cache         keep renders of Kustomizations and HelmReleases between runs in the
                         renders/ folder of the --cache-dir folder: the next run re-renders
                         only what changed (docs/performance.md)

Remote charts (HelmRepository, OCI, OCIRepository chartRef) are fetched and rendered unless
--offline; fetched archives are kept in the chart cache.
Diagnostics go to stderr as 'file:line: message'. Secret values are never printed: Secret
data shows '<secret>' and values taken from Secrets (substituteFrom, valuesFrom) are removed.
Exit codes: 0 rendered (warnings never fail), 1 render errors (also: no cluster found),
2 usage error (also an unknown --ref or a folder that is not a Git repository).
`

/** `fluxgate render`: the fleet render, printed object by object. */
const command: CliCommand = {
  name: 'render',
  summary: 'every object a cluster path yields, as Flux would apply it',
  usage,
  async run(argv, io) {
    const parsed = parseOptions({
      args: argv,
      options: {
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
        timings: { type: 'boolean', default: false },
        'render-cache': { type: 'boolean', default: false },
      },
      allowPositionals: false,
    })
    const v = parsed.values
    const sources = sourceFlags(v.source)
    const dir = resolve(io.cwd, v.repo ?? '.')
    const clusterValues = v['values-file'] ? readValuesFile(resolve(io.cwd, v['values-file']), (t) => io.stderr(t)) : undefined
    let tree: FileTree
    let revision = 'working-tree'
    const repo = new GitRepo(dir)
    if (v.ref) {
      try {
        revision = await repo.resolve(v.ref)
      } catch (err) {
        // A ref that names no commit is a wrong argument: usage (exit 2), as README says.
        if (err instanceof GitError) throw new UsageError(`--ref ${v.ref}: no such commit, branch or tag in ${dir}`)
        throw err
      }
      tree = await repo.tree(revision)
    } else {
      try {
        tree = new DiskTree(dir)
      } catch {
        throw new UsageError(`cannot read repository folder ${dir}`)
      }
    }
    const helmPath = chooseHelm(v, io, dir)
    const charts = chartSettings(v, io)
    const helm = helmPath ? new HelmCli({ helmPath, cacheDir: charts.cacheDir }) : undefined
    // G-10: the branch this render stands for, so GitRepositories of this repository that
    // track another branch are not rendered from this tree.
    const repoUrl = v['repo-url'] ?? (await repo.originUrl().catch(() => undefined))
    const branch = v.branch ?? (await repo.branchOf(v.ref ?? 'HEAD').catch(() => undefined))
    const started = performance.now()
    const recording = v.timings ? recordPhases(() => performance.now()) : undefined
    // Beside the charts, in the same cache folder: one --cache-dir for everything a run keeps.
    const cache = v['render-cache'] ? new DiskRenderCache(charts.cacheDir) : undefined
    try {
      const rendered = await renderFlow({
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
        ...(helm?.available() ? { helm } : {}),
        ...(cache ? { renderCache: cache } : {}),
        clock: systemClock,
      })
      const phases = recording?.stop()
      cache?.prune(RENDER_CACHE_MAX_BYTES)
      if (phases) io.stderr(renderTimings({ wallMs: performance.now() - started, phases, objects: rendered.objects.length, ...(rendered.units ? { units: rendered.units } : {}) }))
      io.stdout(renderObjectsYaml(rendered.objects))
      for (const d of rendered.diagnostics) io.stderr(`${formatDiagnostic(d)}${d.cluster ? ` [${d.cluster}${d.owner ? ` ${d.owner}` : ''}]` : ''}\n`)
      return rendered.diagnostics.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok
    } finally {
      recording?.stop()
      helm?.dispose()
    }
  },
}
export default command
