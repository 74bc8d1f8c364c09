// Bundles the GitHub Action into dist/, every dependency included, as the Actions runner
// executes it without node_modules: dist/index.js, dist/thread-worker.js for the render
// threads it starts (src/infra/thread-pool.ts finds it beside the bundle) and
// dist/launcher-child.js, the helper process helm starts from (src/infra/launcher.ts). The output is
// committed and CI checks it is fresh.
// The runner runs it on Node 24 (action.yml); the syntax target stays node20 so the tests can
// also run it under the machine's Node 20, as they do with Node 24.
import { build } from 'esbuild'

await build({
  entryPoints: { index: 'src/adapters/action/index.ts', 'thread-worker': 'src/infra/thread-worker.ts', 'launcher-child': 'src/infra/launcher-child.ts' },
  outdir: 'dist',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __fgCreateRequire } from 'node:module'; const require = __fgCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})
