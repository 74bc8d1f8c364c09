import { setFlagsFromString } from 'node:v8'

/** How far past the last full GC's live heap V8 may grow before the next one (the CLI and the Action). */
const HEAP_GROWING_PERCENT = 50

/**
 * Caps heap growth between full GCs at HEAP_GROWING_PERCENT of what the last one left alive,
 * instead of V8's adaptive factor (up to 4× for a process that allocates fast). A render
 * allocates far more than it keeps: a 10,000-Kustomization fleet keeps about 300 MB alive yet
 * peaked at 1.4 GiB, which is mostly headroom V8 chose to keep; with the cap the same render
 * peaked at 0.85 GiB and finished sooner (docs/performance.md). For the one-shot CLI and
 * Action processes only: the App is a long-lived server, where V8's defaults and its memory
 * reducer fit, and its renders run in workers with their own limits. A `--heap-growing-percent`
 * given to node itself wins. Returns whether the cap was set.
 */
export function capHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((a) => /^--heap[-_]growing[-_]percent(=|$)/.test(a))) return false
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  return true
}
