import { renderCheck } from '../../../report/index.js'
import { EXIT, type CliCommand, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { renderTree, TREE_OPTIONS, TREE_USAGE } from './render-source.js'

const usage = `Usage: fluxgate check [--repo DIR] [--ref REF] [--path P ...] [options]

Renders every cluster of the repository as Flux would apply it (flux-local's 'test'): each
Kustomization built, substituted and checked, each HelmRelease rendered or compared by values.
Prints one line per cluster, every error with the file and line it comes from, the warnings
(repeated ones on one line) and a summary. Warnings never fail the check.

Options:
  --no-color             no colours (also: NO_COLOR set, or stdout not a terminal)
${TREE_USAGE}

Exit codes: 0 every cluster renders, 1 an error (named above with its file), 2 usage error.
`

const options = { ...TREE_OPTIONS, 'no-color': { type: 'boolean', default: false } } as const satisfies CliOptions

/** `fluxgate check`: the render flow, judged and summarized by src/report/check.ts. */
const command: CliCommand = {
  name: 'check',
  summary: 'render every cluster and fail on errors, naming the file (flux-local test)',
  usage,
  options,
  async run(argv, io) {
    const v = parseOptions({ args: argv, options, allowPositionals: false }).values
    const rendered = await renderTree(v, io)
    const color = io.isTty && !v['no-color'] && !io.env['NO_COLOR']
    const clusters = rendered.fleet.clusters.map((c) => ({ name: c.name, path: c.path }))
    io.stdout(renderCheck({ clusters, owners: rendered.owners, objects: rendered.objects, diagnostics: rendered.diagnostics }, { color }))
    return rendered.diagnostics.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok
  },
}
export default command
