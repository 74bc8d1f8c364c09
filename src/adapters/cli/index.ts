import { capHeapGrowth } from '../../infra/heap-growth.js'
import { main } from './main.js'

// A one-shot process: its heap need not keep a GiB of headroom (heap-growth.ts).
capHeapGrowth()
const code = await main(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  env: process.env,
  cwd: process.cwd(),
  isTty: Boolean(process.stdout.isTTY),
  stderrIsTty: Boolean(process.stderr.isTTY),
})
process.exitCode = code
