// The parse floor of a fleet: every YAML file of a folder read and parsed with the `yaml`
// library alone (all documents), in one process. Prints {"ms", "cpuMs", "files", "bytes"} (reading the
// files from disk is not counted), and the CPU time of it ("cpuMs").
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { parseAllDocuments } from 'yaml'

const texts = []
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git') continue
    const p = join(dir, e.name)
    if (e.isDirectory()) walk(p)
    else if (/\.ya?ml$/.test(e.name)) texts.push(readFileSync(p, 'utf8'))
  }
}
walk(process.argv[2])
const started = performance.now()
const cpu = process.cpuUsage()
for (const t of texts) for (const d of parseAllDocuments(t)) d.toJS()
const ms = performance.now() - started
const used = process.cpuUsage(cpu)
process.stdout.write(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, files: texts.length, bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0) }) + '\n')
