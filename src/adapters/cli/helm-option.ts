import { findHelm, HelmPathError, type HelmChoice } from '../../infra/helm-binary.js'
import { UsageError, type CliIo } from './io.js'

/**
 * The helm a rendering command runs, from `--helm` / `--helm3` (rules in infra/helm-binary.ts).
 * The repository folder and the current folder are what is under review: a `helm` there is
 * never run. Without any helm the command says so once, on stderr.
 */
export function chooseHelm(opts: { helm?: string | undefined; helm3?: boolean | undefined }, io: CliIo, repoDir: string): string | undefined {
  let choice: HelmChoice
  try {
    choice = findHelm({ requested: opts.helm, major: opts.helm3 ? 3 : 4, untrusted: [repoDir, io.cwd], env: io.env, fallback: true })
  } catch (err) {
    if (err instanceof HelmPathError) throw new UsageError(`--${err.message}`)
    throw err
  }
  if (choice.found) return choice.path
  io.stderr(`fluxgate: helm: ${choice.reason}\n`)
  return undefined
}
