import type { Diagnostic, SourceLocation } from '../core/diagnostics/diagnostic.js'
import type { Finding } from '../core/gate/index.js'

/**
 * Repeated problems shown once: a fleet with 70 HelmReleases on remote charts yields 70
 * warnings that differ only in a URL, and a reviewer needs one line with the count and where
 * to look first. Every presenter (stderr, text, markdown, check run) groups with this; the
 * JSON report keeps each item.
 */
export interface Repeated<T> {
  /** The first item of the group, whose message is shown. */
  first: T
  count: number
  /** Distinct places (`file:line`, else cluster and owner), in order of appearance. */
  places: string[]
  /** Every item of the group has the same message (else they differ in names only). */
  sameMessage: boolean
}

/** Items that differ in names only collapse from this many on; identical ones from two. */
export const SIMILAR_MIN = 4

/** How many places a collapsed line names before `and N more`. */
export const PLACES_SHOWN = 3

// Names, paths, URLs, quoted text and numbers: what varies between otherwise equal messages.
const VARYING = /`[^`]*`|'[^']*'|"[^"]*"|\b[a-z][a-z0-9+.-]*:\/\/\S+|[\w.@${}-]*\/[\w./@${}-]*|\d+(?:\.\d+)*/gi

/** The message with everything that names something replaced, for grouping. */
export function messageShape(message: string): string {
  return message.replace(VARYING, '…')
}

/**
 * Groups items whose `kind` (severity and code, or rule) and message shape are equal, in order
 * of first appearance. Identical messages always share a line; messages that differ in names
 * only share one from SIMILAR_MIN items on, and stay separate below it (each is short enough
 * to read, and its names matter).
 */
export function groupRepeats<T>(items: readonly T[], kind: (t: T) => string, message: (t: T) => string, place: (t: T) => string): Repeated<T>[] {
  const byShape = new Map<string, T[]>()
  for (const item of items) {
    const key = `${kind(item)}\0${messageShape(message(item))}`
    const list = byShape.get(key)
    if (list) list.push(item)
    else byShape.set(key, [item])
  }
  const out: Repeated<T>[] = []
  for (const list of byShape.values()) {
    if (list.length >= SIMILAR_MIN) {
      out.push(groupOf(list, message, place))
      continue
    }
    const byMessage = new Map<string, T[]>()
    for (const item of list) {
      const m = message(item)
      byMessage.set(m, [...(byMessage.get(m) ?? []), item])
    }
    for (const same of byMessage.values()) out.push(groupOf(same, message, place))
  }
  return out
}

function groupOf<T>(list: T[], message: (t: T) => string, place: (t: T) => string): Repeated<T> {
  const places = [...new Set(list.map(place).filter(Boolean))]
  const first = list[0]!
  return { first, count: list.length, places, sameMessage: list.every((t) => message(t) === message(first)) }
}

/** `a.yaml:3, b.yaml:5, c.yaml:9 and 9 more` (each place passed through `show`). */
export function placesText(places: readonly string[], show: (p: string) => string = (p) => p, max = PLACES_SHOWN): string {
  const shown = places.slice(0, max).map(show).join(', ')
  return places.length > max ? `${shown} and ${places.length - max} more` : shown
}

/** `(12 times: a.yaml:3, …)` / `(and 11 like it: …)`, or '' for a single item. */
export function repeatSuffix<T>(g: Repeated<T>, show?: (p: string) => string): string {
  if (g.count === 1) return ''
  const where = g.places.length > 1 || !g.sameMessage ? `: ${placesText(g.places, show)}` : ''
  return g.sameMessage ? ` (${g.count} times${where})` : ` (and ${g.count - 1} like it${where})`
}

function locationText(l: SourceLocation | undefined): string {
  return l ? `${l.file}${l.line ? `:${l.line}` : ''}` : ''
}

/** Where a diagnostic points, for a collapsed line: its file:line, else its cluster and owner. */
export function diagnosticPlace(d: Diagnostic): string {
  return locationText(d.location) || [d.cluster, d.owner].filter(Boolean).join(' ')
}

/** Diagnostics grouped for display (severity and code must match to share a line). */
export function groupDiagnostics(list: readonly Diagnostic[]): Repeated<Diagnostic>[] {
  return groupRepeats(list, (d) => `${d.severity}\0${d.code}`, (d) => d.message, diagnosticPlace)
}

/** Gate findings grouped for display (rule and level must match to share a line). */
export function groupFindings(list: readonly Finding[]): Repeated<Finding>[] {
  return groupRepeats(list, (f) => `${f.level}\0${f.ruleId}`, (f) => f.message, (f) => locationText(f.location))
}

/**
 * One line per group for a terminal or a log: `severity [code] file:line: message [cluster
 * owner]` for a single diagnostic (as formatDiagnostic, with where it came from), and the first
 * one with its count and places for a repeated one.
 */
export function diagnosticLines(list: readonly Diagnostic[]): string[] {
  return groupDiagnostics(list).map((g) => {
    const d = g.first
    const origin = g.count === 1 && d.cluster ? ` [${d.cluster}${d.owner ? ` ${d.owner}` : ''}]` : ''
    const where = g.count === 1 || g.places.length <= 1 ? (d.location ? `${locationText(d.location)}: ` : '') : ''
    return `${d.severity} [${d.code}] ${where}${d.message}${origin}${repeatSuffix(g)}`
  })
}
