import type { JsonObject, JsonValue } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import { LiteralSet } from './literal-set.js'
import { MASK } from './markers.js'

/**
 * Values at least this long are removed wherever they occur inside a string (a password in a
 * URL); shorter ones only where they are a whole string, so that a Secret holding `1` does not
 * blank every digit of the plan. Four characters is where a substring stops being noise:
 * `abc1` inside an image tag is rare, a four-character PIN inside a URL is not.
 */
const SUBSTRING_MIN = 4

/** Words so common that a Secret holding them says nothing secret; never redacted alone. */
const COMMON: ReadonlySet<string> = new Set(['true', 'false', 'null', 'none', 'yes', 'no', 'on', 'off', 'enabled', 'disabled', 'default'])

/**
 * Strips a fixed set of secret values from strings and JSON values, replacing each with the
 * fixed marker `***`. Pure and deterministic; it is the last line of defence: every text that
 * leaves a render or a plan (objects, field changes, diff text, notes, diagnostics, errors)
 * goes through one.
 */
export class Redactor {
  private readonly substrings: string[]
  private readonly wholes: ReadonlySet<string>

  constructor(values: Iterable<string>) {
    const subs: string[] = []
    const wholes = new Set<string>()
    for (const v of values) {
      if (v === '' || COMMON.has(v.toLowerCase())) continue
      if (v.length >= SUBSTRING_MIN) subs.push(v)
      else wholes.add(v)
    }
    // Longest first, so a value that contains another is removed whole.
    this.substrings = [...new Set(subs)].sort((a, b) => b.length - a.length)
    this.wholes = wholes
    this.shortest = this.substrings.at(-1)?.length ?? Infinity
    this.held = new LiteralSet(this.substrings)
  }

  /** Tells the strings that hold a substring value: only those are searched value by value. */
  private readonly held: LiteralSet

  /** The shortest substring value: a plan is mostly names and labels shorter than a secret. */
  private readonly shortest: number

  /** True when there is nothing to strip. */
  get empty(): boolean {
    return this.substrings.length === 0 && this.wholes.size === 0
  }

  /** `text` with every secret value replaced by the marker. */
  text(text: string): string {
    if (this.wholes.has(text)) return MASK
    return this.substringsOf(text)
  }

  /**
   * `value` with secret values removed from every string and key: a copy of each list and
   * map that holds one, the parts that hold none as they are (most of a render holds none,
   * and copying every object was a twentieth of it). Never modify what it returns.
   */
  json<T extends JsonValue | undefined>(value: T): T {
    if (this.empty || value === undefined) return value
    return this.walk(value) as T
  }

  private walk(v: JsonValue): JsonValue {
    if (typeof v === 'string') return this.text(v)
    if (Array.isArray(v)) {
      let out: JsonValue[] | undefined
      for (let i = 0; i < v.length; i++) {
        const x = this.walk(v[i] as JsonValue)
        if (!out && !Object.is(x, v[i])) out = v.slice(0, i)
        out?.push(x)
      }
      return out ?? v
    }
    if (!isJsonObject(v)) return v
    // Keys lose only long values: a short key that happens to equal a short secret is a
    // name. fromEntries defines own properties, so a `__proto__` key stays an ordinary key.
    // Entries are made only once one changes (most objects hold no secret, and an array per
    // entry was most of this walk); the entries before it are as they were.
    let entries: [string, JsonValue][] | undefined
    let seen = 0
    for (const k in v) {
      const x = v[k] as JsonValue
      const key = this.substringsOf(k)
      const value = this.walk(x)
      if (!entries && (key !== k || !Object.is(value, x))) entries = Object.entries(v).slice(0, seen)
      entries?.push([key, value])
      seen++
    }
    return entries ? (Object.fromEntries(entries) as JsonObject) : v
  }

  private substringsOf(text: string): string {
    if (text.length < this.shortest || !this.held.occursIn(text)) return text
    let out = text
    for (const s of this.substrings) if (out.includes(s)) out = out.replaceAll(s, MASK)
    return out
  }
}
