import { EXIT, type CliCommand } from '../io.js'

// Placeholder until its issue lands: answers --help and fails clearly.
const command: CliCommand = {
  name: 'images-scan',
  summary: 'images-scan',
  usage: 'Usage: fluxgate images-scan (not yet available)',
  async run(_argv, io) {
    io.stderr('fluxgate images-scan: not yet available in this build\n')
    return EXIT.failed
  },
}
export default command
