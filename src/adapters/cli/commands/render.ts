import { performance } from 'node:perf_hooks'
import { recordPhases } from '../../../core/timings/phases.js'
import { DiskRenderCache, RENDER_CACHE_MAX_BYTES } from '../../../infra/render-cache.js'
import { diagnosticLines, renderObjectsYaml, renderTimings } from '../../../report/index.js'
import { chartSettings } from '../chart-options.js'
import { EXIT, type CliCommand, type CliOptions } from '../io.js'
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
  --timings              print where the time went (per phase) to stderr
  --render-cache         keep renders of Kustomizations and HelmReleases between runs in the
                         renders/ folder of the --cache-dir folder: the next run re-renders
                         only what changed (docs/performance.md)

Diagnostics go to stderr as 'file:line: message', repeated ones on one line with a count and
the first places. Secret values are never printed: Secret data shows '***' and values taken
from Secrets (substituteFrom, valuesFrom) are removed.
Exit codes: 0 rendered, 1 render errors (also: no cluster found), 2 usage error (also an
unknown --ref, or --ref in a folder that is not a Git repository).
`

const options = {
  ...TREE_OPTIONS,
  timings: { type: 'boolean', default: false },
  'render-cache': { type: 'boolean', default: false },
} as const satisfies CliOptions

/** `fluxgate render`: the fleet render, printed object by object. */
const command: CliCommand = {
  name: 'render',
  summary: 'every object a cluster path yields, as Flux would apply it',
  usage,
  options,
  async run(argv, io) {
    const v = parseOptions({ args: argv, options, allowPositionals: false }).values
    const started = performance.now()
    const recording = v.timings ? recordPhases(() => performance.now()) : undefined
    // Beside the charts, in the same cache folder: one --cache-dir for everything a run keeps.
    const cache = v['render-cache'] ? new DiskRenderCache(chartSettings(v, { ...io, stderr: () => {} }).cacheDir) : undefined
    try {
      const rendered = await renderTree(v, io, cache ? { renderCache: cache } : {})
      cache?.prune(RENDER_CACHE_MAX_BYTES)
      // Printing is timed too (as `yaml: emit`): at 10,000 Kustomizations it is 72 MB of YAML.
      for (const chunk of renderObjectsYaml(rendered.objects)) io.stdout(chunk)
      const phases = recording?.stop()
      if (phases) io.stderr(renderTimings({ wallMs: performance.now() - started, phases, objects: rendered.objects.length, ...(rendered.units ? { units: rendered.units } : {}) }))
      for (const line of diagnosticLines(rendered.diagnostics)) io.stderr(`${line}\n`)
      return rendered.diagnostics.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok
    } finally {
      recording?.stop()
    }
  },
}
export default command
