// Preloaded (`node --import`) into each process the benchmark measures: on exit, writes the
// process's own peak resident memory and CPU time to the file FLUXGATE_BENCH_RUSAGE names.
import { writeFileSync } from 'node:fs'

const out = process.env['FLUXGATE_BENCH_RUSAGE']
if (out) {
  process.on('exit', () => {
    const r = process.resourceUsage()
    writeFileSync(out, JSON.stringify({ maxRssKb: r.maxRSS, cpuMs: (r.userCPUTime + r.systemCPUTime) / 1000 }))
  })
}
