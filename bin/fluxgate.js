#!/usr/bin/env node
// The CLI runs from lib/cli.js: the published package ships it (built by prepack); in a
// checkout `npm ci` builds it (prepare) and `npm run build` rebuilds it.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../lib/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('fluxgate: lib/cli.js is missing: run `npm ci` (or `npm run build`) first\n')
  process.exit(2)
}
await import(cli)
