import { diagnosticLines, renderObjectsYaml } from '../../../report/index.js'
import { EXIT, type CliCommand } from '../io.js'
import { parseOptions } from '../parse-options.js'
import { renderTree, TREE_OPTIONS, TREE_USAGE } from './render-source.js'

const usage = `Usage: fluxgate render [--repo DIR] [--ref REF] [--path P ...] [options]

Prints every object the cluster paths yield, as Flux would apply it, as YAML documents;
each is preceded by a comment naming its cluster and owner (Kustomization, HelmRelease or
ResourceSet). Without --path, the clusters are discovered as Flux syncs them: gotk-sync.yaml
anywhere, a FluxInstance's sync path, folders under clusters/; each spec.kubeConfig is a
cluster of its own ('fluxgate clusters' shows what was found and why).

Options:
${TREE_USAGE}

Diagnostics go to stderr as 'file:line: message', repeated ones on one line with a count and
the first places. Secret values are never printed: Secret data shows '***' and values taken
from Secrets (substituteFrom, valuesFrom) are removed.
Exit codes: 0 rendered, 1 render errors (also: no cluster found), 2 usage error (also an
unknown --ref, or --ref in a folder that is not a Git repository).
`

/** `fluxgate render`: the fleet render, printed object by object. */
const command: CliCommand = {
  name: 'render',
  summary: 'every object a cluster path yields, as Flux would apply it',
  usage,
  options: TREE_OPTIONS,
  async run(argv, io) {
    const v = parseOptions({ args: argv, options: TREE_OPTIONS, allowPositionals: false }).values
    const rendered = await renderTree(v, io)
    io.stdout(renderObjectsYaml(rendered.objects))
    for (const line of diagnosticLines(rendered.diagnostics)) io.stderr(`${line}\n`)
    return rendered.diagnostics.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok
  },
}
export default command
