import { structuredPatch } from 'diff'
import { stringifyYaml12 } from '../yaml/index.js'
import type { KubeObject } from '../model/object.js'

/** Lines of context around each hunk, as `git diff` shows. */
const CONTEXT = 3

/**
 * Myers' diff is O(N·D): past this many edits the object is shown as replaced whole, which
 * is also what a reviewer can read for a rewrite that large.
 */
const MAX_EDIT_LENGTH = 1_000

/** The YAML text of a normalized object, as the diff shows it (block style, no line folding). */
export function objectYaml(obj: KubeObject | undefined): string {
  if (!obj) return ''
  return stringifyYaml12(obj, { lineWidth: 0, aliasDuplicateObjects: false, sortMapEntries: false })
}

/**
 * A unified diff of two YAML texts without file headers: only `@@` hunk headers and
 * ` `/`-`/`+` lines, ready for a ```diff block. Empty when the texts are equal.
 */
export function unifiedYamlDiff(before: string, after: string): string {
  if (before === after) return ''
  // An added or removed object is all `+` or all `-`: no need to search for an edit script.
  if (!before || !after) return replacedWhole(before, after)
  const patch = structuredPatch('base', 'head', before, after, undefined, undefined, { context: CONTEXT, maxEditLength: MAX_EDIT_LENGTH })
  if (!patch) return replacedWhole(before, after)
  const lines: string[] = []
  for (const h of patch.hunks) {
    lines.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`)
    for (const l of h.lines) if (!l.startsWith('\\')) lines.push(l)
  }
  return lines.join('\n')
}

function replacedWhole(before: string, after: string): string {
  const old = before.endsWith('\n') ? before.slice(0, -1).split('\n') : before.split('\n')
  const now = after.endsWith('\n') ? after.slice(0, -1).split('\n') : after.split('\n')
  const header = `@@ -1,${before ? old.length : 0} +1,${after ? now.length : 0} @@`
  return [header, ...(before ? old.map((l) => `-${l}`) : []), ...(after ? now.map((l) => `+${l}`) : [])].join('\n')
}
