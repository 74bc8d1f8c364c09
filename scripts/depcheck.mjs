// The import arrows and the no-cycle rules (`npm run depcheck`, run by CI): dependency-cruiser
// with .dependency-cruiser.mjs, plus one check of our own over its output.
//
// Why own code: dependency-cruiser's folder scope links a folder to the folder that *directly*
// holds each imported file, so two siblings whose imports land in different subfolders
// (render/flux → diff, diff → render/helm) never meet in its folder graph. Here each import is
// lifted to the pair of sibling folders it joins under the two files' common ancestor, and a
// cycle among those siblings is reported. An import between a folder's own files and its
// subfolders is not a sibling edge (an index listing its rules/ is fine). src/ports counts as a
// sibling inside src/core: the core imports port types and ports import core/model, so
// core/live → ports → core/model → core/live is a cycle, while core ↔ ports as a whole is the
// designed seam. Exemptions come from the `no-cycle` rule's `from.pathNot`, matched against the
// folder that holds the siblings.
//
// Usage: node scripts/depcheck.mjs [--root DIR] [--json]
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..')
const { values: args } = parseArgs({ options: { root: { type: 'string' }, json: { type: 'boolean' } } })
const root = args.root ?? process.cwd()

const out = mkdtempSync(join(tmpdir(), 'depcheck-'))
let result
try {
  const file = join(out, 'cruise.json')
  const bin = join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs')
  const run = spawnSync(process.execPath, [bin, '--config', join(repo, '.dependency-cruiser.mjs'), '--output-type', 'json', '--output-to', file, '--', 'src'], { cwd: root, encoding: 'utf8' })
  try {
    result = JSON.parse(readFileSync(file, 'utf8'))
  } catch {
    process.stderr.write(`dependency-cruiser did not run (exit ${run.status}):\n${run.stderr}`)
    process.exit(2)
  }
} finally {
  rmSync(out, { recursive: true, force: true })
}

/** One finding: a rule, where it starts, and for a cycle the path that closes it. */
const violations = result.summary.violations.map((v) => ({
  rule: v.rule.name,
  from: v.from,
  to: v.to,
  ...(v.cycle ? { cycle: [v.from, ...v.cycle.map((c) => c.name)] } : {}),
}))
violations.push(...siblingCycles(result))

if (args.json) {
  process.stdout.write(JSON.stringify({ violations }, null, 2) + '\n')
} else {
  for (const v of violations) {
    process.stdout.write(`error ${v.rule}: ${v.cycle ? v.cycle.join(' → ') : `${v.from} → ${v.to}`}\n`)
    if (v.members && v.members.length > v.cycle.length - 1) process.stdout.write(`    (one knot of ${v.members.length} folders: ${v.members.join(', ')})\n`)
    for (const e of v.via ?? []) process.stdout.write(`    ${e}\n`)
  }
  process.stdout.write(violations.length === 0 ? `no dependency violations (${result.summary.totalCruised} modules)\n` : `${violations.length} dependency violation(s)\n`)
}
process.exit(violations.length === 0 ? 0 : 1)

/** The folders above a file, outermost first; src/ports sits inside src/core (see the header). */
function chain(file) {
  const parts = file.split('/').slice(0, -1)
  const folders = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
  return folders[1] === 'src/ports' ? ['src', 'src/core', ...folders.slice(1)] : folders
}

function siblingCycles(cruise) {
  const rule = cruise.summary.ruleSetUsed.forbidden?.find((r) => r.name === 'no-cycle')
  const exempt = rule?.from?.pathNot ? new RegExp(rule.from.pathNot) : undefined
  /** folder → folder → an import that makes the edge (for the message) */
  const edges = new Map()
  for (const m of cruise.modules) {
    if (!m.source.startsWith('src/')) continue
    for (const d of m.dependencies) {
      if (d.coreModule || d.couldNotResolve || !d.resolved.startsWith('src/')) continue
      const a = chain(m.source)
      const b = chain(d.resolved)
      let k = 0
      while (k < a.length && k < b.length && a[k] === b[k]) k++
      // k === length: one file sits directly in the common folder (parent ↔ child, not siblings)
      if (k === 0 || k === a.length || k === b.length) continue
      if (exempt?.test(a[k - 1] + '/')) continue
      if (!edges.has(a[k])) edges.set(a[k], new Map())
      if (!edges.get(a[k]).has(b[k])) edges.get(a[k]).set(b[k], `${m.source} → ${d.resolved}`)
    }
  }
  return stronglyConnected(edges)
    .filter((scc) => scc.length > 1)
    .map((scc) => {
      const cycle = closeCycle(edges, scc)
      // One finding per knot: every folder in it, and its shortest cycle with the imports that make it.
      return { rule: 'no-sibling-folder-cycle', from: cycle[0], to: cycle[1], cycle, members: scc, via: cycle.slice(1).map((to, i) => edges.get(cycle[i]).get(to)) }
    })
}

/** Tarjan's strongly connected components over the folder graph. */
function stronglyConnected(edges) {
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const out = []
  const visit = (v) => {
    index.set(v, index.size)
    low.set(v, index.get(v))
    stack.push(v)
    onStack.add(v)
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
    }
    if (low.get(v) === index.get(v)) {
      const scc = []
      let w
      do {
        w = stack.pop()
        onStack.delete(w)
        scc.push(w)
      } while (w !== v)
      out.push(scc.sort())
    }
  }
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v)
  return out
}

/** A shortest cycle through the component's first folder (breadth-first, inside the component). */
function closeCycle(edges, scc) {
  const inside = new Set(scc)
  const start = scc[0]
  const prev = new Map()
  const queue = [start]
  while (queue.length > 0) {
    const v = queue.shift()
    for (const w of edges.get(v)?.keys() ?? []) {
      if (!inside.has(w)) continue
      if (w === start) {
        const path = [start]
        for (let x = v; x !== start; x = prev.get(x)) path.splice(1, 0, x)
        return [...path, start]
      }
      if (!prev.has(w)) {
        prev.set(w, v)
        queue.push(w)
      }
    }
  }
  return [start, start]
}
