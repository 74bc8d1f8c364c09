import type { JsonObject, JsonValue } from '../model/object.js'
import { isJsonObject } from '../model/object.js'

/** What replaces a secret value wherever it shows up. */
export const SECRET_MARKER = '<secret>'
export const SECRET_CHANGED = '<secret: changed>'
export const SECRET_ADDED = '<secret: added>'

/**
 * Values at least this long are removed wherever they occur inside a string (a password in a
 * URL); shorter ones only when they are a whole value, so that a Secret holding `1` or `abc`
 * does not blank out every object. Secret objects themselves are masked field by field.
 */
const SUBSTRING_MIN = 8
const WHOLE_MIN = 3

/** Words so common that a Secret holding them says nothing secret; never redacted alone. */
const COMMON: ReadonlySet<string> = new Set(['true', 'false', 'null', 'none', 'yes', 'enabled', 'disabled', 'default'])

/**
 * Strips a fixed set of secret values from strings and JSON values. Pure and deterministic;
 * it is the last line of defence: every text that leaves the plan (objects, field changes,
 * diff text, notes, diagnostics) goes through it.
 */
export class Redactor {
  private readonly substrings: string[]
  private readonly wholes: ReadonlySet<string>

  constructor(values: Iterable<string>) {
    const subs: string[] = []
    const wholes = new Set<string>()
    for (const v of values) {
      if (COMMON.has(v.toLowerCase())) continue
      if (v.length >= SUBSTRING_MIN) subs.push(v)
      else if (v.length >= WHOLE_MIN) wholes.add(v)
    }
    // Longest first, so a value that contains another is removed whole.
    this.substrings = [...new Set(subs)].sort((a, b) => b.length - a.length)
    this.wholes = wholes
  }

  /** True when there is nothing to strip. */
  get empty(): boolean {
    return this.substrings.length === 0 && this.wholes.size === 0
  }

  /** `text` with every secret value replaced by `<secret>`. */
  text(text: string): string {
    if (this.wholes.has(text)) return SECRET_MARKER
    return this.substringsOf(text)
  }

  /** A copy of `value` with secret values removed from every string and key. */
  json<T extends JsonValue | undefined>(value: T): T {
    if (this.empty || value === undefined) return value
    return this.walk(value) as T
  }

  private walk(v: JsonValue): JsonValue {
    if (typeof v === 'string') return this.text(v)
    if (Array.isArray(v)) return v.map((x) => this.walk(x))
    if (!isJsonObject(v)) return v
    const out: JsonObject = {}
    // Keys lose only long values: a short key that happens to equal a short secret is a name.
    for (const [k, x] of Object.entries(v)) out[this.substringsOf(k)] = this.walk(x)
    return out
  }

  private substringsOf(text: string): string {
    let out = text
    for (const s of this.substrings) if (out.includes(s)) out = out.replaceAll(s, SECRET_MARKER)
    return out
  }
}
