import type { ObjectChange, OwnerSummary, Plan } from '../../core/model/plan.js'
import { ownerKey } from '../../core/model/render-result.js'
import { displayId } from '../../core/model/resource-id.js'
import { actionLabel } from './md-sections.js'
import { IGNORED_BY_SPEC_IGNORE, ignoredText } from '../notes.js'
import { cell, code, escapeHtml, fenced, linkCitations, plural } from './md-util.js'

/** One object of an owner section at the two levels the size budget chooses from. */
export interface ObjectBlock {
  /** Heading, notes and the ```diff block. */
  full: string
  /** One bullet line, no diff. */
  line: string
}

/** Where an owner section applies: a cluster and the owner there. */
export interface OwnerPlace {
  cluster: string
  key: string
}

/**
 * One owner's `<details>` section, buildable at full or list level, or from a slice of objects.
 * Identical changes of several owners (the same Kustomization in each cluster, usually) share
 * one section that names every place.
 */
export interface OwnerBlock {
  places: OwnerPlace[]
  /** One line for a table of contents: `staging, production · Kustomization/flux-system/apps`. */
  label: string
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

/** A diff longer than this many lines is folded behind a line with its counts. */
export const FOLD_DIFF_LINES = 40

interface OwnerChanges {
  place: OwnerPlace
  changes: ObjectChange[]
  summary: OwnerSummary | undefined
  objects: ObjectBlock[]
}

/**
 * Owner sections of every cluster, in plan order; owners without object changes are left out,
 * and owners whose changes are identical (same objects, same diffs, same owner state) are one
 * section listing where they apply.
 */
export function ownerBlocks(plan: Plan, opts: OwnerBlockOptions): OwnerBlock[] {
  const groups = new Map<string, OwnerChanges[]>()
  for (const c of plan.clusters) {
    const byOwner = new Map<string, ObjectChange[]>()
    for (const ch of c.changes) {
      const key = ownerKey(ch.owner)
      byOwner.set(key, [...(byOwner.get(key) ?? []), ch])
    }
    for (const [key, changes] of byOwner) {
      const summary = c.owners.find((o) => ownerKey(o.ref) === key)
      const objects = changes.map((ch) => objectBlock(ch, opts))
      const signature = [summary?.state ?? '', ...objects.map((o) => o.full)].join('\0')
      groups.set(signature, [...(groups.get(signature) ?? []), { place: { cluster: c.name, key }, changes, summary, objects }])
    }
  }
  return [...groups.values()].map((same) => {
    const places = same.map((s) => s.place)
    const { changes, summary, objects } = same[0]!
    return { places, label: placesLabel(places), title: ownerTitle(places, changes, summary), objects }
  })
}

/** `` `staging`, `production` · Kustomization/flux-system/apps `` (markdown). */
function placesLabel(places: readonly OwnerPlace[]): string {
  const keys = [...new Set(places.map((p) => p.key))]
  if (keys.length === 1) return `${places.map((p) => code(p.cluster)).join(", ")} · ${cell(keys[0]!)}`
  return places.map((p) => `${cell(p.key)} (${code(p.cluster)})`).join(', ')
}

function ownerTitle(places: readonly OwnerPlace[], changes: ObjectChange[], summary: OwnerSummary | undefined): string {
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
  const unknown = changes.filter((x) => !KNOWN_ACTIONS.has(x.action)).length
  if (unknown) counts.push(`${unknown} unknown`)
  const state = summary && summary.state !== 'unchanged' ? ` (${summary.state})` : ''
  const keys = [...new Set(places.map((p) => p.key))]
  const clusters = places.map((p) => escapeHtml(p.cluster))
  const name = (key: string): string => {
    const [kind, ns, n] = key.split('/')
    return `<b>${escapeHtml(`${kind} ${ns}/${n}`)}</b>`
  }
  const where =
    keys.length === 1
      ? `${name(keys[0]!)}${state} · ${clusters.length === 1 ? 'cluster' : 'clusters'} ${clusters.join(', ')}`
      : `${places.map((p) => `${name(p.key)} (${escapeHtml(p.cluster)})`).join(', ')}${state} · the same changes`
  return `${where} · ${counts.join(', ')}`
}

const KNOWN_ACTIONS: ReadonlySet<string> = new Set(['added', 'changed', 'removed', 'moved'])

function objectBlock(ch: ObjectChange, opts: OwnerBlockOptions): ObjectBlock {
  const { icon, word } = actionLabel(ch)
  const name = code(displayId(ch.id))
  const risk = ch.highRisk ? ' ⚠️ high risk' : ''
  const why = ch.action === 'removed' ? ch.pruneReason : ch.action === 'moved' ? `from ${ownerKey(ch.previousOwner ?? ch.owner)}` : undefined
  const detail = why ?? fieldSummary(ch)
  const line = `- ${icon} ${word} ${name}${risk}${detail ? ` — ${linkCitations(cell(detail))}` : ''}`
  const parts = [`#### ${icon} ${word} ${name}${risk}`]
  if (why) parts.push(linkCitations(cell(why)))
  if (ch.note) parts.push(`> [!WARNING]\n> ${linkCitations(cell(ch.note))}`)
  if (ch.ignored?.length) parts.push(cell(`Not applied: ${ignoredText(ch.ignored)}, ${IGNORED_BY_SPEC_IGNORE}.`))
  if (ch.diff && ch.diff.length <= opts.maxObjectDiff) parts.push(foldedDiff(ch.diff))
  else if (ch.diff) parts.push(`_Diff of ${plural(ch.diff.split('\n').length, 'line')} left out here: see ${opts.fullReport}._ ${cell(fieldSummary(ch))}`)
  else if (ch.action === 'changed') parts.push(cell(fieldSummary(ch)))
  return { full: parts.join('\n\n'), line }
}

/** A diff block; a long one folded behind `Diff: +12 −3 lines` so the section stays scannable. */
function foldedDiff(diff: string): string {
  const lines = diff.split('\n')
  if (lines.length <= FOLD_DIFF_LINES) return fenced(diff, 'diff')
  const added = lines.filter((l) => l.startsWith('+')).length
  const removed = lines.filter((l) => l.startsWith('-')).length
  return `<details>\n<summary>Diff: +${added} −${removed} lines</summary>\n\n${fenced(diff, 'diff')}\n\n</details>`
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
