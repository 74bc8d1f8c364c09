import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { formatDiagnostic } from '../../../core/diagnostics/diagnostic.js'
import { buildKustomization, serializeObjects } from '../../../core/render/kustomize/index.js'
import { DiskTree } from '../../../infra/disk-tree.js'
import { EXIT, UsageError, type CliCommand, type CliOptions } from '../io.js'

const usage = `Usage: fluxgate build [options] DIR

Prints what 'kustomize build DIR' prints (kustomize v5.5 compatible), computed in-process.

Options:
  --reorder legacy|none        legacy (default) sorts by kind like kustomize; none keeps input order (Flux)
  --load-restrictor MODE       LoadRestrictionsRootOnly (default) or LoadRestrictionsNone

Exit codes: 0 built, 1 build failed (error on stderr, naming the file), 2 usage error.
`

const options = { reorder: { type: 'string', default: 'legacy' }, 'load-restrictor': { type: 'string', default: 'LoadRestrictionsRootOnly' } } as const satisfies CliOptions

/** `fluxgate build`: our kustomize engine on a folder on disk. */
const command: CliCommand = {
  name: 'build',
  summary: 'kustomize build of one directory',
  usage,
  options,
  async run(argv, io) {
    let dir: string
    let reorder: 'legacy' | 'none'
    let restrictor: 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone'
    try {
      const parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options,
      })
      if (parsed.positionals.length !== 1) throw new UsageError('expected exactly one directory')
      dir = parsed.positionals[0] as string
      const r = parsed.values.reorder
      if (r !== 'legacy' && r !== 'none') throw new UsageError(`--reorder must be legacy or none, not '${r}'`)
      reorder = r
      const l = parsed.values['load-restrictor']
      if (l !== 'LoadRestrictionsRootOnly' && l !== 'LoadRestrictionsNone') throw new UsageError(`--load-restrictor must be LoadRestrictionsRootOnly or LoadRestrictionsNone, not '${l}'`)
      restrictor = l
    } catch (e) {
      io.stderr(`fluxgate build: ${(e as Error).message}\n\n${usage}`)
      return EXIT.usage
    }
    // kustomize reads bases anywhere on disk (and, with LoadRestrictionsNone, files too), so
    // the tree is rooted at the filesystem root; paths in messages are then absolute.
    const tree = new DiskTree('/')
    const abs = resolve(io.cwd, dir)
    const result = buildKustomization(tree, abs.slice(1), { reorder, loadRestrictor: restrictor })
    // Diagnostic locations are tree-relative; the tree is '/', so show them as absolute paths.
    for (const d of result.diagnostics) io.stderr(formatDiagnostic(d.location ? { ...d, location: { ...d.location, file: '/' + d.location.file } } : d) + '\n')
    if (!result.ok) return EXIT.failed
    io.stdout(serializeObjects(result.objects))
    return EXIT.ok
  },
}
export default command
