#!/usr/bin/env node
// The CLI runs from lib/cli.js, which `npm ci` builds (postinstall) and `npm run build` rebuilds.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../lib/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('fluxgate: lib/cli.js is missing: run `npm ci` (or `npm run build`) first\n')
  process.exit(2)
}
await import(cli)
