// Builds the CLI and the Probot app into lib/ with esbuild (dependencies stay external and
// are resolved from node_modules at run time). Type checking is `npm run typecheck`.
import { build } from 'esbuild'

await build({
  entryPoints: { cli: 'src/adapters/cli/index.ts', app: 'src/adapters/app/index.ts', index: 'src/index.ts' },
  outdir: 'lib',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
})
