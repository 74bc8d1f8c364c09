// Runs every conformance corpus in ../shared/conformance through the CLI and prints each
// runner's summary. With --ratchet it fails when a corpus passes fewer cases than the count
// recorded in conformance-baseline.json (the record only ever goes up).
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const ratchet = process.argv.includes('--ratchet')
const shared = process.env.FLUXGATE_SHARED ?? join(process.cwd(), '..', 'shared')
const corpora = [
  ['kustomize', 'node bin/fluxgate.js build {}'],
  ['flux-substitute', 'node bin/fluxgate.js substitute --vars {vars} {strict} {input}'],
  ['image-policy', 'node bin/fluxgate.js images select --policy {policy} --tags {tags}'],
]
const baseline = existsSync('conformance-baseline.json') ? JSON.parse(readFileSync('conformance-baseline.json', 'utf8')) : {}
let failed = false
for (const [name, template] of corpora) {
  const runner = join(shared, 'conformance', name, 'run.sh')
  if (!existsSync(runner)) {
    console.log(`${name}: no corpus at ${runner}`)
    if (ratchet) failed = true
    continue
  }
  const r = spawnSync('bash', [runner, '--jobs', '2', ...(ratchet ? ['--quiet'] : []), template], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })
  const out = `${r.stdout}${r.stderr}`
  if (!ratchet) process.stdout.write(out)
  const m = out.match(/^(\d+) passed, (\d+) failed/m)
  const passed = m ? Number(m[1]) : 0
  const want = baseline[name] ?? 0
  console.log(`${name}: ${m ? m[0] : 'no summary'} (recorded minimum ${want})`)
  if (passed < want) failed = true
}
process.exit(failed ? 1 : 0)
