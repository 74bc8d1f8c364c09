import type { CliCommand } from '../io.js'
import scan from './images-scan.js'

/**
 * `fluxgate images --repo DIR [--apply]` scans a repository (images-scan.ts); `fluxgate images
 * select ...` picks a tag for one ImagePolicy (images-select.ts, a subcommand main.ts knows).
 */
const command: CliCommand = {
  ...scan,
  name: 'images',
  usage: `${scan.usage}
One ImagePolicy against a tag list: fluxgate images select --policy POLICY.yaml --tags TAGS.txt
(see 'fluxgate help images select').
`,
  async run(argv, io) {
    if (argv[0] === 'select') return (await import('./images-select.js')).default.run(argv.slice(1), io)
    return scan.run(argv, io)
  },
}
export default command
