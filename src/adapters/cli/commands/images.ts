import type { CliCommand } from '../io.js'

/**
 * `fluxgate images select ...` picks a tag for one ImagePolicy (images-select.ts);
 * `fluxgate images --repo DIR [--apply]` scans a repository (images-scan.ts).
 */
const command: CliCommand = {
  name: 'images',
  summary: 'image updates from ImagePolicy rules',
  usage: [
    'Usage:',
    '  fluxgate images select --policy POLICY.yaml --tags TAGS.txt',
    '  fluxgate images --repo DIR [--apply]',
    '',
    "Run 'fluxgate images select --help' or 'fluxgate images --repo . --help' for details.",
  ].join('\n'),
  async run(argv, io) {
    if (argv[0] === 'select') return (await import('./images-select.js')).default.run(argv.slice(1), io)
    return (await import('./images-scan.js')).default.run(argv, io)
  },
}
export default command
