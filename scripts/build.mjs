// Builds the CLI, the Probot app and the library into lib/ with esbuild (dependencies stay
// external and are resolved from node_modules at run time). Type checking is `npm run typecheck`.
//   --clean  empty lib/ first, so no chunk of an older build is packed (prepack uses it)
//   --types  also write the library's declarations to lib/types (tsconfig.types.json)
// `npm ci` runs this as part of `prepare`. An install without devDependencies has no esbuild:
// then lib/ is left as it is and the script says so instead of failing the install.
import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const args = process.argv.slice(2)

let esbuild
try {
  esbuild = await import('esbuild')
} catch {
  console.log('build: esbuild is not installed (an install without devDependencies); lib/ not rebuilt')
  process.exit(0)
}

if (args.includes('--clean')) rmSync(join(root, 'lib'), { recursive: true, force: true })

await esbuild.build({
  absWorkingDir: root,
  // plan-worker: the App's plans run in a worker thread of their own (src/adapters/worker);
  // thread-worker: the render threads that walk a fleet's clusters side by side (src/infra/thread-pool.ts);
  // launcher-child: the small helper process helm starts from (src/infra/launcher.ts).
  entryPoints: { cli: 'src/adapters/cli/index.ts', app: 'src/adapters/app/index.ts', index: 'src/index.ts', 'plan-worker': 'src/adapters/worker/plan-worker-main.ts', 'thread-worker': 'src/infra/thread-worker.ts', 'launcher-child': 'src/infra/launcher-child.ts' },
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

if (args.includes('--types')) {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.types.json'], { cwd: root, stdio: 'inherit' })
}
