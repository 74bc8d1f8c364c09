// Bundles the GitHub Action into dist/index.js, every dependency included, as the Actions
// runner executes it without node_modules. The output is committed and CI checks it is fresh.
import { build } from 'esbuild'

await build({
  entryPoints: ['src/adapters/action/index.ts'],
  outfile: 'dist/index.js',
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  legalComments: 'none',
  // CommonJS dependencies inside an ESM bundle still call require() for Node built-ins.
  banner: { js: "import { createRequire as __fgCreateRequire } from 'node:module'; const require = __fgCreateRequire(import.meta.url);" },
  logLevel: 'warning',
})
