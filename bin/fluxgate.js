#!/usr/bin/env node
// The CLI runs from lib/cli.js: the published package ships it (built by prepack); in a
// checkout `npm ci` builds it (prepare) and `npm run build` rebuilds it.
import { existsSync } from 'node:fs'
import module from 'node:module'
import { homedir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../lib/cli.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write('fluxgate: lib/cli.js is missing: run `npm ci` (or `npm run build`) first\n')
  process.exit(2)
}

// Node 22.1 and later keep the code they compile from lib/ between runs: a run then skips
// compiling it (about 0.1 s of a warm plan on Node 24). The folder is the user's own cache,
// never a shared temporary folder where another user could plant compiled code. Node 20 has
// no such cache; NODE_DISABLE_COMPILE_CACHE=1 turns it off, NODE_COMPILE_CACHE moves it.
function compileCacheDir() {
  const xdg = process.env.XDG_CACHE_HOME
  if (xdg && isAbsolute(xdg)) return join(xdg, 'fluxgate', 'node-compile')
  const home = process.env.HOME || homedir()
  return home && isAbsolute(home) ? join(home, '.cache', 'fluxgate', 'node-compile') : undefined
}
try {
  const dir = compileCacheDir()
  if (dir && typeof module.enableCompileCache === 'function') module.enableCompileCache(dir)
} catch {
  // Only costs time.
}

await import(cli)
