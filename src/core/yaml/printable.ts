/**
 * libyaml's printable-character rule (go-yaml v2 and v3 `is_printable`): what its emitter
 * may write as it is. Line feed, ASCII 0x20–0x7E, U+00A0–U+D7FF and U+E000–U+FFFD without
 * the byte-order mark. Everything else, U+0085 and every character beyond the BMP included,
 * is escaped in a double-quoted scalar, which also rules out the plain and block styles.
 */
export function isPrintable(cp: number): boolean {
  return (
    cp === 0x0a ||
    (cp >= 0x20 && cp <= 0x7e) ||
    (cp >= 0xa0 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff)
  )
}
