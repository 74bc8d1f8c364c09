import { EXIT, UsageError, type CliCommand, type CliIo } from './io.js'

interface CommandEntry {
  summary: string
  load: () => Promise<{ default: CliCommand }>
  /** Subcommands (`images select`), each a command of its own with its own usage. */
  sub?: Record<string, () => Promise<{ default: CliCommand }>>
}

/**
 * Subcommands, loaded lazily so `fluxgate build` does not pay for probot or the Kubernetes
 * client. Each module default-exports a CliCommand. A null-prototype table: the command name
 * is user input.
 */
export const COMMANDS: Readonly<Record<string, CommandEntry>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, CommandEntry>, {
    diff: { summary: 'the plan of a change: object diff, prune plan and gate, base against head', load: () => import('./commands/diff.js') },
    render: { summary: 'every object a cluster path yields, as Flux would apply it', load: () => import('./commands/render.js') },
    get: { summary: 'list the clusters, Kustomizations, HelmReleases or sources the render finds', load: () => import('./commands/get.js') },
    check: { summary: 'render every cluster and fail on errors, naming the file (flux-local test)', load: () => import('./commands/check.js') },
    clusters: { summary: 'the clusters found in the repository and why (discovery)', load: () => import('./commands/clusters.js') },
    build: { summary: 'kustomize build of one directory', load: () => import('./commands/build.js') },
    substitute: { summary: 'Flux postBuild substitution of a file', load: () => import('./commands/substitute.js') },
    images: {
      summary: 'image updates from ImagePolicy rules (images select | images)',
      load: () => import('./commands/images.js'),
      sub: Object.assign(Object.create(null) as Record<string, () => Promise<{ default: CliCommand }>>, { select: () => import('./commands/images-select.js') }),
    },
    reconcile: { summary: 'ask Flux to reconcile what a merge changed, and wait', load: () => import('./commands/reconcile.js') },
    version: { summary: 'versions of fluxgate, node and the helm it uses', load: () => import('./commands/version.js') },
  }),
)

function help(): string {
  const lines = ['Usage: fluxgate <command> [options]', '', 'Commands:']
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${c.summary}`)
  lines.push('', "Run 'fluxgate help <command>' or 'fluxgate <command> --help' for a command's options.")
  return lines.join('\n') + '\n'
}

/** The command `words` name (`['images', 'select']` → images-select), or undefined. */
async function commandOf(words: readonly string[]): Promise<{ command: CliCommand; rest: string[]; name: string } | undefined> {
  const [name = '', next, ...after] = words
  const entry = COMMANDS[name]
  if (!entry) return undefined
  const sub = next !== undefined ? entry.sub?.[next] : undefined
  if (sub) return { command: (await sub()).default, rest: after, name: `${name} ${next}` }
  return { command: (await entry.load()).default, rest: words.slice(1), name }
}

function usageOf(command: CliCommand): string {
  return command.usage.endsWith('\n') ? command.usage : command.usage + '\n'
}

/** Runs the CLI; returns the exit code. The one catch for the CLI lives here. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h') {
    io.stdout(help())
    return name ? EXIT.ok : EXIT.usage
  }
  if (name === 'help') {
    // `fluxgate help diff`, `fluxgate help images select`: that command's usage.
    if (rest.length === 0) {
      io.stdout(help())
      return EXIT.ok
    }
    const found = await commandOf(rest)
    if (!found) {
      io.stderr(`fluxgate: unknown command '${rest.join(' ')}'\n\n${help()}`)
      return EXIT.usage
    }
    io.stdout(usageOf(found.command))
    return EXIT.ok
  }
  if (name === '--version') {
    io.stdout(`fluxgate ${(await import('./commands/version.js')).fluxgateVersion()}\n`)
    return EXIT.ok
  }
  const found = await commandOf(argv)
  if (!found) {
    io.stderr(`fluxgate: unknown command '${name}'\n\n${help()}`)
    return EXIT.usage
  }
  const { command, rest: args } = found
  // `--help`/`-h` anywhere before `--` asks for the usage, whatever else is on the line.
  const end = args.indexOf('--')
  const flags = end < 0 ? args : args.slice(0, end)
  if (flags.includes('--help') || flags.includes('-h')) {
    io.stdout(usageOf(command))
    return EXIT.ok
  }
  try {
    return await command.run(args, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`fluxgate ${found.name}: ${err.message}\nRun 'fluxgate ${found.name} --help' for usage.\n`)
      // With --detailed-exitcode, 2 means "the plan has changes": a usage error is then 1, as in Terraform.
      return flags.includes('--detailed-exitcode') ? EXIT.failed : EXIT.usage
    }
    io.stderr(`fluxgate ${found.name}: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT.failed
  }
}
