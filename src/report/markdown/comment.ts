import type { Plan } from '../../core/model/plan.js'
import { changeCount, planTotals } from '../totals.js'
import { mermaidGraph } from './md-mermaid.js'
import { fitObjects, ownerBlockSize, ownerBlocks, renderOwnerBlock, type ObjectLevel, type OwnerBlock } from './md-owners.js'
import { clusterSections, diagnosticsSection, footer, partMarker, prunePlanSection, totalsTable, unknownSection, type PruneLevel } from './md-sections.js'
import { plural } from './md-util.js'
import { headline, verdictSection, type ReviewView } from './md-verdict.js'

/** GitHub rejects an issue or pull-request comment body longer than this. */
export const GITHUB_COMMENT_LIMIT = 65_536

/** Options of the markdown presenters. */
export interface MarkdownOptions {
  /** Hard limit per part, in characters (UTF-16 code units, as GitHub counts). Default 65,536. */
  maxChars?: number
  /** How many comments a plan may use before the rest is only pointed to. Default 10; 1 never splits. */
  maxParts?: number
  /** Where the full report is, for pointers: a link or words. Default: the job summary and JSON report. */
  fullReport?: string
  /** An object diff longer than this is left out and pointed to. Default 12,000. */
  maxObjectDiff?: number
  /**
   * The gate's verdict and the approvals, for a verdict-first comment: the headline says
   * whether the merge may go ahead, then what blocks it and how to unblock. Without it the
   * comment is the plan alone.
   */
  review?: ReviewView
  /** The footer points to `/fluxgate help` (where chat commands are answered: the pull request). */
  commands?: boolean
}

/** Room kept free in every part for the part heading, notes and rounding. */
const SLACK = 600

interface HeaderLevel {
  prune: PruneLevel
  graphs: boolean
  maxRows: number
  maxDiagnostics: number
}

const HEADER_LEVELS: readonly HeaderLevel[] = [
  { prune: 'full', graphs: true, maxRows: Infinity, maxDiagnostics: 30 },
  { prune: 'counts', graphs: true, maxRows: Infinity, maxDiagnostics: 30 },
  { prune: 'counts', graphs: false, maxRows: 50, maxDiagnostics: 15 },
  { prune: 'counts', graphs: false, maxRows: 10, maxDiagnostics: 5 },
]

/**
 * The plan as one or more GitHub comments, each within `maxChars`, never cutting a code block
 * or a `<details>` section in half. In order, until it fits:
 * 1. everything: summary, prune plan, per-cluster tables and graphs, every owner's diffs;
 * 2. collapse: object diffs that do not fit become one line each (earlier owners keep theirs);
 * 3. split (maxParts > 1): part 1 holds the summary and a table of contents, the owners follow
 *    in parts 2…N, an owner too big for one part continues in the next; past maxParts the
 *    rest is only counted and pointed to;
 * 4. summarize (maxParts = 1): the summary alone, with counts and a pointer to the full report.
 * The summary itself shrinks (prune plan as counts per kind, no graphs, fewer rows) when it
 * would take more than half a part. Part 1 carries `<!-- fluxgate:plan -->`, part N
 * `<!-- fluxgate:plan part N -->`.
 */
export function renderComment(plan: Plan, opts: MarkdownOptions = {}): string[] {
  const limit = opts.maxChars ?? GITHUB_COMMENT_LIMIT
  const budget = Math.max(limit - SLACK, 2_000)
  const fullReport = opts.fullReport ?? 'the job summary and the JSON report'
  const blocks = ownerBlocks(plan, { maxObjectDiff: opts.maxObjectDiff ?? 12_000, fullReport })
  const head = pickHeader(plan, budget, opts.review)
  const foot = footer(plan, { commands: opts.commands === true })

  const whole = joinParts([head, ...blocks.map((b) => renderOwnerBlock(b, b.objects.map(() => 'full')))], foot)
  if (whole.length <= budget) return [whole]

  const collapsed = collapse(blocks, budget - head.length - foot.length - 400)
  if (collapsed) return [joinParts([head, `_Some diffs are collapsed to one line per object to fit a comment: the full diffs are in ${fullReport}._`, ...collapsed], foot)]

  const maxParts = opts.maxParts ?? 10
  const parts = maxParts <= 1 ? [summarized(plan, head, foot, fullReport)] : split(plan, blocks, head, foot, budget, maxParts, fullReport, opts.review)
  return parts.map((p, i) => (p.length <= limit ? p : lastResort(plan, i + 1, fullReport, opts.review)))
}

/** When even the smallest layout does not fit (thousands of clusters): headline and a pointer. */
function lastResort(plan: Plan, part: number, fullReport: string, review: ReviewView | undefined): string {
  return `${partMarker(part)}\n${headline(plan, review)}\n\n_This plan is too large for a comment: see ${fullReport}._\n`
}

function joinParts(sections: string[], foot: string): string {
  return [...sections.filter(Boolean), foot].join('\n\n') + '\n'
}

/** The first header level that takes at most half the budget (else the smallest). */
function pickHeader(plan: Plan, budget: number, review: ReviewView | undefined): string {
  let text = ''
  for (const level of HEADER_LEVELS) {
    text = headerText(plan, level, review)
    if (text.length <= budget / 2) return text
  }
  return text.length <= budget - 1_000 ? text : minimalHeader(plan, review)
}

/** The summary every first part starts with: the verdict first, then the plan's tables. */
export function headerText(plan: Plan, level: HeaderLevel = HEADER_LEVELS[0]!, review?: ReviewView): string {
  const sections = [
    `${partMarker(1)}\n${headline(plan, review)}`,
    review ? verdictSection(plan, review, level.maxDiagnostics) : '',
    totalsTable(plan),
    prunePlanSection(plan, level.prune),
    unknownSection(plan, level.maxRows),
    ...clusterSections(plan, level.maxRows, (c) => (level.graphs ? mermaidGraph(c) : '')),
    diagnosticsSection(plan, level.maxDiagnostics),
  ]
  return sections.filter(Boolean).join('\n\n')
}

function minimalHeader(plan: Plan, review: ReviewView | undefined): string {
  return [`${partMarker(1)}\n${headline(plan, review)}`, review ? verdictSection(plan, review, 5) : '', totalsTable(plan), prunePlanSection(plan, 'counts', 10), unknownSection(plan, 10)].filter(Boolean).join('\n\n')
}

/** Every owner with every object at least as a line, diffs kept in order while they fit. */
function collapse(blocks: OwnerBlock[], space: number): string[] | undefined {
  const levels: ObjectLevel[][] = blocks.map((b) => b.objects.map((): ObjectLevel => 'line'))
  let used = blocks.reduce((n, b, i) => n + ownerBlockSize(b, levels[i]!) + 2, 0)
  if (used > space) return undefined
  blocks.forEach((b, i) => {
    const lv = levels[i]!
    for (let j = 0; j < b.objects.length; j++) {
      const o = b.objects[j]!
      // Growing one object changes its own text and the blank lines on either side of it.
      const grown = o.full.length - o.line.length + (j > 0 && lv[j - 1] === 'line' ? 1 : 0) + (j + 1 < lv.length ? 1 : 0)
      if (used + grown > space) continue
      lv[j] = 'full'
      used += grown
    }
  })
  return blocks.map((b, i) => renderOwnerBlock(b, levels[i]!))
}

function summarized(plan: Plan, head: string, foot: string, fullReport: string): string {
  const objects = changeCount(planTotals(plan))
  const note = `_${plural(objects, 'object change')} are too many to show here: the full report is in ${fullReport}._`
  return joinParts([head, note], foot)
}

interface PackedPart {
  sections: string[]
  owners: string[]
}

function split(plan: Plan, blocks: OwnerBlock[], head: string, foot: string, budget: number, maxParts: number, fullReport: string, review: ReviewView | undefined): string[] {
  const parts: PackedPart[] = []
  let current: PackedPart = { sections: [], owners: [] }
  let used = 0
  let left = 0
  const newPart = (): void => {
    if (current.sections.length) parts.push(current)
    current = { sections: [], owners: [] }
    used = 0
  }
  for (let bi = 0; bi < blocks.length; bi++) {
    const block = blocks[bi]!
    let from = 0
    while (from < block.objects.length) {
      if (parts.length >= maxParts - 1) {
        left = blocks.length - bi
        break
      }
      const continued = from > 0
      const levels = fitObjects(block, from, budget - used, continued)
      const takesAll = from + levels.length === block.objects.length
      if ((levels.length === 0 || !takesAll) && used > 0) {
        newPart()
        continue
      }
      if (levels.length === 0) throw new Error(`an object line of ${block.places[0]?.key ?? 'an owner'} does not fit a comment part`)
      const text = renderOwnerBlock(block, levels, from, continued)
      current.sections.push(text)
      current.owners.push(`${block.label}${continued ? ' (continued)' : ''}`)
      used += text.length + 2
      from += levels.length
    }
    if (left) break
  }
  newPart()
  return assemble(plan, parts, head, foot, budget, left, fullReport, review)
}

function assemble(plan: Plan, parts: PackedPart[], head: string, foot: string, budget: number, left: number, fullReport: string, review: ReviewView | undefined): string[] {
  const total = parts.length + 1
  const leftNote = left ? `_${plural(left, 'more Flux object')} did not fit in ${total} comments: see ${fullReport}._` : ''
  const toc = tableOfContents(parts, budget - head.length - foot.length - leftNote.length - 200)
  const first = joinParts([head, `**Part 1 of ${total}.** The changes of each Flux object follow in the next comments:`, toc, leftNote], foot)
  const rest = parts.map((p, i) => {
    const n = i + 2
    const heading = `${partMarker(n)}\n### Fluxgate plan · part ${n} of ${total}`
    const tail = n === total && leftNote ? [leftNote] : []
    return joinParts([heading, ...p.sections, ...tail], `<sub>Part ${n} of ${total} · ${headline(plan, review).replace(/^## /, '')}</sub>`)
  })
  return [first, ...rest]
}

function tableOfContents(parts: PackedPart[], space: number): string {
  const detailed = parts.flatMap((p, i) => p.owners.map((o) => `- Part ${i + 2}: ${o}`)).join('\n')
  if (detailed.length <= space) return detailed
  const compact = parts
    .map((p, i) => `- Part ${i + 2}: ${plural(p.owners.length, 'Flux object')}, ${p.owners[0]} … ${p.owners[p.owners.length - 1]}`)
    .join('\n')
  if (compact.length <= space) return compact
  return `Parts 2–${parts.length + 1} hold the changes of ${plural(parts.reduce((n, p) => n + p.owners.length, 0), 'Flux object')}, in cluster order.`
}
