import type { UnitMemoStats } from '../core/render/flux/unit-memo-types.js'
import type { PhaseTiming } from '../core/timings/phases.js'

/** What `--timings` prints about one run. */
export interface TimingsReport {
  /** Wall time of the whole step (render, or both renders and the plan). */
  wallMs: number
  phases: PhaseTiming[]
  /** Objects rendered (for the cost per object). */
  objects: number
  /** How many Kustomizations and HelmReleases were rendered and reused (a plan: incremental planning). */
  units?: UnitMemoStats
}

/**
 * The time of a render per phase, as a plain-text table for stderr: milliseconds spent in each
 * phase itself, its share of the wall time, calls, and microseconds per rendered object. What
 * no phase claims (the walk, scheduling, copying) is the last row; helm runs beside the rest
 * and is listed apart.
 */
export function renderTimings(r: TimingsReport): string {
  const own = r.phases.filter((p) => !p.concurrent)
  const beside = r.phases.filter((p) => p.concurrent)
  const claimed = own.reduce((n, p) => n + p.ms, 0)
  const rows = [...own, { phase: 'other (walk, scheduling, copies)', ms: Math.max(0, r.wallMs - claimed), calls: 0 }]
  const width = Math.max(...rows.map((p) => p.phase.length), ...beside.map((p) => p.phase.length), 5)
  const perObject = (ms: number): string => (r.objects > 0 ? ((ms * 1000) / r.objects).toFixed(1) : '-')
  const line = (p: { phase: string; ms: number; calls: number }, share: string): string =>
    `  ${p.phase.padEnd(width)}  ${p.ms.toFixed(0).padStart(8)}  ${share.padStart(6)}  ${(p.calls > 0 ? String(p.calls) : '').padStart(8)}  ${perObject(p.ms).padStart(9)}`
  const out = [
    `timings: ${r.wallMs.toFixed(0)} ms wall, ${r.objects} objects (${perObject(r.wallMs)} µs per object)`,
    `  ${'phase'.padEnd(width)}  ${'ms'.padStart(8)}  ${'share'.padStart(6)}  ${'calls'.padStart(8)}  ${'µs/object'.padStart(9)}`,
    ...rows.map((p) => line(p, r.wallMs > 0 ? `${((100 * p.ms) / r.wallMs).toFixed(1)}%` : '-')),
    ...beside.map((p) => line(p, 'beside')),
  ]
  if (r.units) out.push(unitsLine(r.units))
  return out.join('\n') + '\n'
}

/** How incremental planning fared, one line (`--timings`, and the Action's and the App's log). */
export function unitsLine(u: UnitMemoStats): string {
  const whole = u.wholeTrees ? `; ${u.wholeTrees === 1 ? "1 tree's render" : `${u.wholeTrees} trees' renders`} reused whole` : ''
  const clusters = u.wholeClusters ? `; ${u.wholeClusters === 1 ? "1 cluster's walk" : `${u.wholeClusters} clusters' walks`} reused whole` : ''
  return `units: ${u.rendered} rendered, ${u.reused} reused (${u.fromCache} from the render cache), ${u.stored} stored, ${u.uncacheable} not reusable${whole}${clusters}`
}
