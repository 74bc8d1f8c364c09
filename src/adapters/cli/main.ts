import { EXIT, UsageError, type CliCommand, type CliIo } from './io.js'

/**
 * Subcommands, loaded lazily so `fluxgate build` does not pay for probot or the Kubernetes
 * client. Each module default-exports a CliCommand.
 */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ default: CliCommand }> }> = {
  build: { summary: 'kustomize build of one directory', load: () => import('./commands/build.js') },
  render: { summary: 'every object a cluster path yields, as Flux would apply it', load: () => import('./commands/render.js') },
  clusters: { summary: 'the clusters found in the repository and why (discovery)', load: () => import('./commands/clusters.js') },
  diff: { summary: 'the plan of a change: object diff and prune plan, base against head', load: () => import('./commands/diff.js') },
  substitute: { summary: "Flux postBuild substitution of a file", load: () => import('./commands/substitute.js') },
  images: { summary: 'image updates from ImagePolicy rules (images select | images)', load: () => import('./commands/images.js') },
  reconcile: { summary: 'ask Flux to reconcile what a merge changed, and wait', load: () => import('./commands/reconcile.js') },
  version: { summary: 'versions of fluxgate, node and the helm it uses', load: () => import('./commands/version.js') },
}

function help(): string {
  const lines = ['Usage: fluxgate <command> [options]', '', 'Commands:']
  for (const [name, c] of Object.entries(COMMANDS)) lines.push(`  ${name.padEnd(12)} ${c.summary}`)
  lines.push('', "Run 'fluxgate <command> --help' for a command's options.")
  return lines.join('\n') + '\n'
}

/** Runs the CLI; returns the exit code. The one catch for the CLI lives here. */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(help())
    return name ? EXIT.ok : EXIT.usage
  }
  if (name === '--version') {
    io.stdout(`fluxgate ${(await import('./commands/version.js')).fluxgateVersion()}\n`)
    return EXIT.ok
  }
  const entry = COMMANDS[name]
  if (!entry) {
    io.stderr(`fluxgate: unknown command '${name}'\n\n${help()}`)
    return EXIT.usage
  }
  const command = (await entry.load()).default
  if ((rest[0] === '--help' || rest[0] === '-h' || (rest.includes('--help') && name !== 'images'))) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : command.usage + '\n')
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`fluxgate ${name}: ${err.message}\nRun 'fluxgate ${name} --help' for usage.\n`)
      // With --detailed-exitcode, 2 means "the plan has changes": a usage error is then 1, as in Terraform.
      return rest.includes('--detailed-exitcode') ? EXIT.failed : EXIT.usage
    }
    io.stderr(`fluxgate ${name}: ${err instanceof Error ? err.message : String(err)}\n`)
    return EXIT.failed
  }
}
