import { resolve } from 'node:path'
import { formatDiagnostic } from '../../../core/diagnostics/diagnostic.js'
import { renderFlow } from '../../../flows/index.js'
import { systemClock } from '../../../infra/clock.js'
import { DiskTree } from '../../../infra/disk-tree.js'
import type { FileTree } from '../../../ports/file-tree.js'
import { clustersReport, renderClustersText } from '../../../report/index.js'
import { sourceFlags } from '../cli-util.js'
import { EXIT, UsageError, type CliCommand, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { checkRepository, resolveRef } from './render-source.js'

const usage = `Usage: fluxgate clusters [--repo DIR] [--ref REF] [--path P ...] [options]

Lists the clusters a render finds in the repository, and why: for each cluster, how its root
Kustomization was found (flux bootstrap's gotk-sync.yaml, a Kustomization of the entry folder,
a FluxInstance sync, or made as flux bootstrap would), and for each remote cluster the hub and
the kubeConfig Secret that reach it; then every folder or object discovery looked at and did
not take, with the reason (an overlay another cluster applies, patches only, a sync path that
is not in the repository...). Charts are not rendered.

Options:
  --repo DIR             repository folder (default: current directory)
  --ref REF              read this commit/branch/tag (from git); default: the working tree
  --path P               cluster entry path, repeatable (no discovery)
  --source K/NS/N=PATH   a source that carries this repository renders from folder PATH
  --repo-url URL         URL GitRepositories use for this repository (default: git remote origin)
  --branch NAME          branch this revision stands for
  --format F             text (default) or json

Exit codes: 0 at least one cluster found, 1 none (the candidates say why), 2 usage error.
`

const options = {
  repo: { type: 'string' },
  ref: { type: 'string' },
  path: { type: 'string', multiple: true },
  source: { type: 'string', multiple: true },
  'repo-url': { type: 'string' },
  branch: { type: 'string' },
  format: { type: 'string' },
} as const satisfies CliOptions

/** \`fluxgate clusters\`: discovery through the render flow, presented cluster by cluster. */
const command: CliCommand = {
  name: 'clusters',
  summary: 'the clusters found in the repository and why (discovery)',
  usage,
  options,
  async run(argv, io) {
    const v = parseOptions({ args: argv, options, allowPositionals: false }).values
    const format = v.format ?? 'text'
    if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not '${format}'`)
    const sources = sourceFlags(v.source)
    const dir = resolve(io.cwd, v.repo ?? '.')
    const repo = await checkRepository(dir, v.ref ? '--ref reads a commit from git (leave it out to read the files on disk)' : undefined)
    let tree: FileTree
    let revision = 'working-tree'
    if (v.ref) {
      revision = await resolveRef(repo, '--ref', v.ref)
      tree = await repo.tree(revision)
    } else {
      tree = new DiskTree(dir, { snapshot: true })
    }
    const repoUrl = v['repo-url'] ?? (await repo.originUrl().catch(() => undefined))
    const branch = v.branch ?? (await repo.branchOf(v.ref ?? 'HEAD').catch(() => undefined))
    const rendered = await renderFlow({
      tree,
      origin: { kind: 'local' },
      revision,
      ...(v.path ? { paths: v.path } : {}),
      ...(sources ? { sources } : {}),
      ...(repoUrl ? { repoUrl } : {}),
      ...(branch ? { branch } : {}),
      allowRemoteCharts: false,
      clock: systemClock,
    })
    const report = clustersReport(rendered.fleet)
    io.stdout(format === 'json' ? JSON.stringify(report, null, 2) + '\n' : renderClustersText(report))
    for (const d of rendered.fleet.diagnostics) io.stderr(`${formatDiagnostic(d)}\n`)
    return report.clusters.length > 0 ? EXIT.ok : EXIT.failed
  },
}
export default command
