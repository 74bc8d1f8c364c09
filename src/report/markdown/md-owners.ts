import type { ClusterPlan, ObjectChange, OwnerSummary, Plan } from '../../core/model/plan.js'
import { ownerKey } from '../../core/model/render-result.js'
import { displayId } from '../../core/model/resource-id.js'
import { actionLabel } from './md-sections.js'
import { IGNORED_BY_SPEC_IGNORE, ignoredText } from '../notes.js'
import { cell, code, escapeHtml, fenced, plural } from './md-util.js'

/** One object of an owner section at the two levels the size budget chooses from. */
export interface ObjectBlock {
  /** Heading, notes and the ```diff block. */
  full: string
  /** One bullet line, no diff. */
  line: string
}

/** One owner's `<details>` section, buildable at full or list level, or from a slice of objects. */
export interface OwnerBlock {
  cluster: string
  key: string
  title: string
  objects: ObjectBlock[]
}

/** Options of the owner sections. */
export interface OwnerBlockOptions {
  /** A diff longer than this (characters) is left out of the block and pointed to. */
  maxObjectDiff: number
  /** Where the full report lives, for "see …" pointers. */
  fullReport: string
}

/** Owner sections of every cluster, in plan order; owners without object changes are left out. */
export function ownerBlocks(plan: Plan, opts: OwnerBlockOptions): OwnerBlock[] {
  const out: OwnerBlock[] = []
  for (const c of plan.clusters) {
    const byOwner = new Map<string, ObjectChange[]>()
    for (const ch of c.changes) {
      const key = ownerKey(ch.owner)
      byOwner.set(key, [...(byOwner.get(key) ?? []), ch])
    }
    for (const [key, changes] of byOwner) {
      const summary = c.owners.find((o) => ownerKey(o.ref) === key)
      out.push({ cluster: c.name, key, title: ownerTitle(c, key, changes, summary), objects: changes.map((ch) => objectBlock(ch, opts)) })
    }
  }
  return out
}

function ownerTitle(c: ClusterPlan, key: string, changes: ObjectChange[], summary: OwnerSummary | undefined): string {
  const counts: string[] = []
  const count = (pred: (x: ObjectChange) => boolean, word: string): void => {
    const k = changes.filter(pred).length
    if (k) counts.push(`${k} to ${word}`)
  }
  count((x) => x.action === 'added', 'add')
  count((x) => x.action === 'changed', 'change')
  count((x) => x.action === 'removed' && x.prune === 'delete', 'delete')
  count((x) => x.action === 'removed' && x.prune !== 'delete', 'orphan')
  count((x) => x.action === 'moved', 'move in')
  const state = summary && summary.state !== 'unchanged' ? ` (${summary.state})` : ''
  const [kind, ns, name] = key.split('/')
  return `<b>${escapeHtml(`${kind} ${ns}/${name}`)}</b>${state} · cluster ${escapeHtml(c.name)} · ${counts.join(', ')}`
}

function objectBlock(ch: ObjectChange, opts: OwnerBlockOptions): ObjectBlock {
  const { icon, word } = actionLabel(ch)
  const name = code(displayId(ch.id))
  const risk = ch.highRisk ? ' ⚠️ high risk' : ''
  const why = ch.action === 'removed' ? ch.pruneReason : ch.action === 'moved' ? `from ${ownerKey(ch.previousOwner ?? ch.owner)}` : undefined
  const detail = why ?? fieldSummary(ch)
  const line = `- ${icon} ${word} ${name}${risk}${detail ? ` — ${cell(detail)}` : ''}`
  const parts = [`#### ${icon} ${word} ${name}${risk}`]
  if (why) parts.push(cell(why))
  if (ch.note) parts.push(`> [!WARNING]\n> ${cell(ch.note)}`)
  if (ch.ignored?.length) parts.push(cell(`Not applied: ${ignoredText(ch.ignored)}, ${IGNORED_BY_SPEC_IGNORE}.`))
  if (ch.diff && ch.diff.length <= opts.maxObjectDiff) parts.push(fenced(ch.diff, 'diff'))
  else if (ch.diff) parts.push(`_Diff of ${plural(ch.diff.split('\n').length, 'line')} left out here: see ${opts.fullReport}._ ${cell(fieldSummary(ch))}`)
  else if (ch.action === 'changed') parts.push(cell(fieldSummary(ch)))
  return { full: parts.join('\n\n'), line }
}

/** `spec/replicas, data/mode and 3 more fields`. */
function fieldSummary(ch: ObjectChange): string {
  if (ch.action !== 'changed' || ch.fields.length === 0) return ''
  const shown = ch.fields.slice(0, 3).map((f) => f.path || '(whole object)')
  const more = ch.fields.length > 3 ? ` and ${ch.fields.length - 3} more fields` : ''
  return `${shown.join(', ')}${more}`
}

/** Level of one object in a rendered owner section. */
export type ObjectLevel = 'full' | 'line'

/** Renders an owner section from `levels.length` of its objects starting at `from`. */
export function renderOwnerBlock(block: OwnerBlock, levels: readonly ObjectLevel[], from = 0, continued = false): string {
  let body = ''
  levels.forEach((level, i) => {
    const o = block.objects[from + i]!
    if (i > 0) body += separator(levels[i - 1]!, level)
    body += level === 'full' ? o.full : o.line
  })
  return `${wrapperOpen(block, continued)}${body}${WRAPPER_CLOSE}`
}

const WRAPPER_CLOSE = '\n\n</details>'

function wrapperOpen(block: OwnerBlock, continued: boolean): string {
  return `<details>\n<summary>${block.title}${continued ? ' (continued)' : ''}</summary>\n\n`
}

/** Bullet lines stay a tight list; anything next to a diff block gets a blank line. */
function separator(prev: ObjectLevel, cur: ObjectLevel): string {
  return prev === 'line' && cur === 'line' ? '\n' : '\n\n'
}

/** The size `renderOwnerBlock` would produce, without building the string. */
export function ownerBlockSize(block: OwnerBlock, levels: readonly ObjectLevel[], from = 0, continued = false): number {
  let size = wrapperOpen(block, continued).length + WRAPPER_CLOSE.length
  levels.forEach((level, i) => {
    const o = block.objects[from + i]!
    if (i > 0) size += separator(levels[i - 1]!, level).length
    size += level === 'full' ? o.full.length : o.line.length
  })
  return size
}

/** Objects from `from` that fit in `space` characters, each full when it fits, else a line. */
export function fitObjects(block: OwnerBlock, from: number, space: number, continued: boolean): ObjectLevel[] {
  const levels: ObjectLevel[] = []
  let size = wrapperOpen(block, continued).length + WRAPPER_CLOSE.length
  for (let i = from; i < block.objects.length; i++) {
    const o = block.objects[i]!
    const prev = levels[levels.length - 1]
    const sepFull = prev ? separator(prev, 'full').length : 0
    const sepLine = prev ? separator(prev, 'line').length : 0
    if (size + sepFull + o.full.length <= space) {
      size += sepFull + o.full.length
      levels.push('full')
    } else if (size + sepLine + o.line.length <= space) {
      size += sepLine + o.line.length
      levels.push('line')
    } else break
  }
  return levels
}
