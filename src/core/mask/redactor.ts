import type { JsonValue } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import { mapEntries, mapItems } from '../model/map-json.js'
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

  /** Whether `other` strips exactly what this one strips (the same values). */
  sameAs(other: Redactor): boolean {
    if (other === this) return true
    if (other.substrings.length !== this.substrings.length || other.wholes.size !== this.wholes.size) return false
    for (let i = 0; i < this.substrings.length; i++) if (other.substrings[i] !== this.substrings[i]) return false
    for (const w of this.wholes) if (!other.wholes.has(w)) return false
    return true
  }

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
    if (Array.isArray(v)) return mapItems(v, (x) => this.walk(x))
    if (!isJsonObject(v)) return v
    // Keys lose only long values: a short key that happens to equal a short secret is a name.
    return mapEntries(
      v,
      (k) => this.substringsOf(k),
      (_k, x) => this.walk(x),
    )
  }

  private substringsOf(text: string): string {
    if (text.length < this.shortest || !this.held.occursIn(text)) return text
    let out = text
    for (const s of this.substrings) if (out.includes(s)) out = out.replaceAll(s, MASK)
    return out
  }
}
