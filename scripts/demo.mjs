// `npm run demo`: builds the demo fleet repository (examples/fleet → examples/fleet-head) in a
// temporary folder and prints Fluxgate's plan of head against base for both clusters, as a
// terminal report; the PR-comment markdown and the JSON report are written beside it.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { makeDemoRepo } from './make-demo-repo.mjs'

if (!existsSync('lib/cli.js')) {
  console.error('demo: lib/cli.js is missing; run `npm ci` first')
  process.exit(2)
}
const repo = makeDemoRepo()
console.log(`Demo repository: ${repo.dir}\n  base ${repo.base} (main)\n  head ${repo.head} (demo-change)\n`)
const common = ['bin/fluxgate.js', 'diff', '--repo', repo.dir, '--base', 'main', '--head', 'demo-change']
const text = spawnSync(process.execPath, [...common, '--format', 'text'], { stdio: 'inherit' })
for (const format of ['markdown', 'json']) {
  const out = join(repo.dir, `.fluxgate-plan.${format === 'json' ? 'json' : 'md'}`)
  spawnSync(process.execPath, [...common, '--format', format, '--output', out], { stdio: 'ignore' })
  if (existsSync(out)) console.log(`${format} report: ${out}`)
}
process.exit(text.status ?? 1)
