import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { envsubst } from '../../../core/substitute/index.js'
import { EXIT, UsageError, type CliCommand, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'

const usage = `Usage: fluxgate substitute --vars VARS.json [--strict] FILE

Prints FILE after Flux postBuild variable substitution (the envsubst step of
kustomize-controller) with the variables of VARS.json (a JSON object of strings).

Options:
  --vars FILE   JSON object: variable name -> string value (required)
  --strict      fail on a variable missing from VARS.json (StrictPostBuildSubstitutions)

Exit codes: 0 printed, 1 substitution failed (Flux's error on stderr), 2 usage error.
`

function parseVars(text: string, file: string): Record<string, string> {
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch {
    throw new UsageError(`${file}: not valid JSON`)
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new UsageError(`${file}: must be a JSON object`)
  const vars: Record<string, string> = {}
  for (const [k, v] of Object.entries(data)) {
    if (typeof v !== 'string') throw new UsageError(`${file}: value of '${k}' must be a string`)
    vars[k] = v
  }
  return vars
}

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

const options = { vars: { type: 'string' }, strict: { type: 'boolean', default: false } } as const satisfies CliOptions

/** `fluxgate substitute`: the same envsubst core the renderer uses, on one file. */
const command: CliCommand = {
  name: 'substitute',
  summary: 'Flux postBuild substitution of a file',
  usage,
  options,
  async run(argv, io) {
    const parsed = parseOptions({ args: argv, options, allowPositionals: true })
    const { values, positionals } = parsed
    if (!values.vars) throw new UsageError('--vars VARS.json is required')
    if (positionals.length !== 1) throw new UsageError('exactly one FILE is required')
    const vars = parseVars(await readText(resolve(io.cwd, values.vars)), values.vars)
    const text = await readText(resolve(io.cwd, positionals[0]!))
    const result = envsubst(text, vars, { strict: values.strict === true })
    if (!result.ok) {
      io.stderr(`fluxgate substitute: variable substitution failed: ${result.error}\n`)
      return EXIT.failed
    }
    io.stdout(result.text)
    return EXIT.ok
  },
}
export default command
