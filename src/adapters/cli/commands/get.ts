import { diagnosticLines, GET_FORMATS, GET_KINDS, renderListing, type GetFormat, type GetKind } from '../../../report/index.js'
import { EXIT, UsageError, type CliCommand, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { renderTree, TREE_OPTIONS, TREE_USAGE } from './render-source.js'

const usage = `Usage: fluxgate get clusters|kustomizations|helmreleases|sources [--repo DIR] [--cluster C] [-o FORMAT] [options]

Lists what the render of the repository finds, as flux-local's 'get' does: the clusters, every
Flux Kustomization (the cluster's root one included) with its path, source and how it rendered,
every HelmRelease with its chart and version, or every source (GitRepository, OCIRepository,
HelmRepository, HelmChart, Bucket…) with its URL and the revision it follows. Each row names the
file and line it is declared at. Short names: ks, hr.

Options:
  --cluster C            only this cluster (name or entry path), repeatable
  -o, --output FORMAT    table (default), wide (more columns), json or yaml
${TREE_USAGE}

Diagnostics go to stderr, repeated ones on one line. Secret values are never printed.
Exit codes: 0 listed, 1 render errors (the listing is still printed), 2 usage error.
`

const options = {
  ...TREE_OPTIONS,
  cluster: { type: 'string', multiple: true },
  output: { type: 'string', short: 'o' },
} as const satisfies CliOptions

const ALIASES: ReadonlyMap<string, GetKind> = new Map([
  ['cluster', 'clusters'],
  ['clusters', 'clusters'],
  ['ks', 'kustomizations'],
  ['kustomization', 'kustomizations'],
  ['kustomizations', 'kustomizations'],
  ['hr', 'helmreleases'],
  ['helmrelease', 'helmreleases'],
  ['helmreleases', 'helmreleases'],
  ['source', 'sources'],
  ['sources', 'sources'],
])

/** `fluxgate get KIND`: the render flow, listed by src/report/get.ts. */
const command: CliCommand = {
  name: 'get',
  summary: 'list the clusters, Kustomizations, HelmReleases or sources the render finds',
  usage,
  options,
  async run(argv, io) {
    const { values: v, positionals } = parseOptions({ args: argv, options, allowPositionals: true })
    if (positionals.length !== 1) throw new UsageError(`name what to list: ${GET_KINDS.join(', ')}`)
    const kind = ALIASES.get(positionals[0]!.toLowerCase())
    if (!kind) throw new UsageError(`'${positionals[0]}' is not one of ${GET_KINDS.join(', ')}`)
    const format = (v.output ?? 'table') as GetFormat
    if (!GET_FORMATS.includes(format)) throw new UsageError(`-o must be one of ${GET_FORMATS.join(', ')}, not '${v.output}'`)
    const rendered = await renderTree(v, io)
    const wanted = (name: string, path: string): boolean => !v.cluster?.length || v.cluster.includes(name) || v.cluster.includes(path)
    const clusters = rendered.fleet.clusters.filter((c) => wanted(c.name, c.path)).map((c) => ({ name: c.name, path: c.path }))
    if (v.cluster?.length && clusters.length === 0) throw new UsageError(`no cluster named ${v.cluster.join(', ')}: the render found ${rendered.fleet.clusters.map((c) => c.name).join(', ') || 'none'}`)
    const names = new Set(clusters.map((c) => c.name))
    const diagnostics = rendered.diagnostics.filter((d) => !d.cluster || names.has(d.cluster))
    io.stdout(
      renderListing(kind, { clusters, owners: rendered.owners.filter((o) => names.has(o.cluster)), objects: rendered.objects.filter((o) => names.has(o.cluster)), diagnostics }, format),
    )
    for (const line of diagnosticLines(diagnostics)) io.stderr(`${line}\n`)
    return diagnostics.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok
  },
}
export default command
