/**
 * Go `Regexp.ExpandString` for `filterTags.extract` (I-4): `$$` is `$`; `$name` takes the
 * longest run of letters, digits and `_` as the name (so `$1x` is the group called `1x`,
 * which does not exist and expands to nothing; write `${1}x`); `${name}` needs its `}`;
 * a malformed reference leaves the `$` as text; a group that did not participate is ''.
 */
export function goExpand(template: string, match: RegExpExecArray): string {
  let out = ''
  let rest = template
  for (;;) {
    const at = rest.indexOf('$')
    if (at < 0) break
    out += rest.slice(0, at)
    rest = rest.slice(at + 1)
    if (rest.startsWith('$')) {
      out += '$'
      rest = rest.slice(1)
      continue
    }
    const ref = readReference(rest)
    if (!ref) {
      out += '$'
      continue
    }
    rest = ref.rest
    out += groupText(ref.name, match)
  }
  return out + rest
}

const NAME_CHAR = /^[\p{L}\p{Nd}_]/u

function readReference(text: string): { name: string; rest: string } | undefined {
  const brace = text.startsWith('{')
  let s = brace ? text.slice(1) : text
  let name = ''
  for (;;) {
    const m = NAME_CHAR.exec(s)
    if (!m) break
    name += m[0]
    s = s.slice(m[0].length)
  }
  if (name === '') return undefined
  if (brace) {
    if (!s.startsWith('}')) return undefined
    s = s.slice(1)
  }
  return { name, rest: s }
}

function groupText(name: string, match: RegExpExecArray): string {
  // digits only, no leading zero, below 1e8: a group number; anything else: a group name
  if (/^(0|[1-9][0-9]{0,7})$/.test(name)) return match[Number(name)] ?? ''
  if (/^[0-9]+$/.test(name) && name.length > 1 && !name.startsWith('0')) return ''
  return match.groups?.[name] ?? ''
}
