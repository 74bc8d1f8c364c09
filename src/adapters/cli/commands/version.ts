import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { findHelm, helmVersion, HelmPathError, packageRoot } from '../../../infra/helm-binary.js'
import { EXIT, UsageError, type CliCommand, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'

const usage = `Usage: fluxgate version [--helm PATH] [--helm3]

Prints Fluxgate's version, the Node.js running it, and the helm that rendering commands would
run with the same options (its path, version and where it was found), or
'none: HelmReleases compare values only'.

Options:
  --helm PATH   the helm to report: an absolute path, or a name looked up on PATH
  --helm3       the packaged Helm 3 instead of Helm 4
`

/** Fluxgate's own version, from its package.json. */
export function fluxgateVersion(): string {
  const root = packageRoot()
  if (!root) return 'unknown'
  try {
    return String((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version?: unknown }).version ?? 'unknown')
  } catch {
    return 'unknown'
  }
}

const options = { helm: { type: 'string' }, helm3: { type: 'boolean', default: false } } as const satisfies CliOptions

const command: CliCommand = {
  name: 'version',
  summary: 'versions of fluxgate, node and the helm it uses',
  usage,
  options,
  async run(argv, io) {
    const v = parseOptions({ args: argv, options, allowPositionals: false }).values
    let helmLine: string
    try {
      const choice = findHelm({ requested: v.helm, major: v.helm3 ? 3 : 4, untrusted: [io.cwd], env: io.env, fallback: true })
      if (choice.found) {
        const version = await helmVersion(choice.path)
        helmLine = `${choice.path} ${version ?? '(does not run on this machine)'} (${choice.source})`
      } else {
        helmLine = choice.reason
      }
    } catch (err) {
      if (err instanceof HelmPathError) throw new UsageError(`--${err.message}`)
      throw err
    }
    io.stdout(`fluxgate ${fluxgateVersion()}\nnode ${process.version}\nhelm ${helmLine}\n`)
    return EXIT.ok
  },
}
export default command
