import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseYaml12All, YamlError } from '../../../core/yaml/index.js'
import { applyExclusionList, parseImagePolicy, selectTag } from '../../../core/images/policy/index.js'
import { EXIT, UsageError, type CliCommand, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'

const usage = `Usage: fluxgate images select --policy POLICY.yaml --tags TAGS.txt [--exclude REGEX]...

Prints the tag Flux's image-reflector-controller would select for an ImagePolicy
(status.latestRef.tag) from a list of registry tags.

Options:
  --policy FILE    an image.toolkit.fluxcd.io ImagePolicy (first one in the file)
  --tags FILE      registry tags, one per line
  --exclude REGEX  ImageRepository exclusionList entry (repeatable; default '^.*\\.sig$')

Exit codes: 0 printed, 1 Flux would fail (its message on stderr), 2 usage error.
`

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    throw new UsageError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`)
  }
}

function firstImagePolicy(text: string, file: string): unknown {
  let values: unknown[]
  try {
    values = parseYaml12All(text)
  } catch (err) {
    if (err instanceof YamlError) throw new UsageError(`${file}: invalid YAML (${err.code}${err.line ? ` at line ${err.line}` : ''})`)
    throw err
  }
  for (const value of values) {
    if (typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'ImagePolicy') return value
  }
  throw new UsageError(`${file}: no ImagePolicy found`)
}

const options = { policy: { type: 'string' }, tags: { type: 'string' }, exclude: { type: 'string', multiple: true } } as const satisfies CliOptions

/** `fluxgate images select`: one ImagePolicy against a tag list, through the same core as scans. */
const command: CliCommand = {
  name: 'images-select',
  summary: 'the tag an ImagePolicy selects',
  usage,
  options,
  async run(argv, io) {
    const parsed = parseOptions({ args: argv, options })
    const { policy, tags, exclude } = parsed.values
    if (!policy || !tags) throw new UsageError('--policy and --tags are required')
    const spec = parseImagePolicy(firstImagePolicy(await readText(resolve(io.cwd, policy)), policy))
    if (!spec.ok) throw new UsageError(`${policy}: ${spec.error}`)
    const list = (await readText(resolve(io.cwd, tags))).split(/\r?\n/).map((t) => t.trim()).filter((t) => t !== '')
    const result = selectTag(spec.spec, applyExclusionList(list, exclude))
    if (!result.ok) {
      io.stderr(`fluxgate images select: ${result.error}\n`)
      return EXIT.failed
    }
    if (result.tieBroken) io.stderr('fluxgate images select: several tags rank equal; Flux picks one of them at random, this is the first in stored order\n')
    io.stdout(`${result.tag}\n`)
    return EXIT.ok
  },
}
export default command
