/**
 * The order go-yaml sorts map keys in (kustomize's printer): a "natural" order where runs
 * of digits compare as numbers ("9" < "10"), letters compare by code point, and a letter
 * sorts after a non-letter except right after a digit run.
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0
  return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0
}

const isDigit = (c: string | undefined): boolean => c !== undefined && c >= '0' && c <= '9'
const isLetter = (c: string): boolean => /\p{L}/u.test(c)

const isDigitCode = (c: number): boolean => c >= 48 && c <= 57
const isAsciiLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122)

/**
 * keyLess on UTF-16 code units, for keys whose characters up to the decision are ASCII (code
 * units are then code points, and `\p{L}` is A-Z and a-z): every object a render sorts or
 * prints goes through here, and splitting both keys into code points for each comparison was
 * a few percent of a fleet's render. Anything else is decided by keyLessByCodePoints.
 */
function keyLess(a: string, b: string): boolean {
  const n = Math.min(a.length, b.length)
  let digits = false
  for (let i = 0; i < n; i++) {
    const ac = a.charCodeAt(i)
    const bc = b.charCodeAt(i)
    if (ac >= 0x80 || bc >= 0x80) return keyLessByCodePoints(a, b)
    if (ac === bc) {
      digits = isDigitCode(ac)
      continue
    }
    const al = isAsciiLetter(ac)
    const bl = isAsciiLetter(bc)
    if (al && bl) return ac < bc
    if (al || bl) return digits ? al : bl
    // The digit runs from here, as numbers: leading zeros count when the run began earlier with another digit.
    let lead = false
    if (ac === 48 || bc === 48) {
      for (let j = i - 1; j >= 0 && isDigitCode(a.charCodeAt(j)); j--) {
        if (a.charCodeAt(j) !== 48) {
          lead = true
          break
        }
      }
    }
    let ai = i
    while (ai < a.length && isDigitCode(a.charCodeAt(ai))) ai++
    let bi = i
    while (bi < b.length && isDigitCode(b.charCodeAt(bi))) bi++
    const an = lead ? `1${a.slice(i, ai)}` : a.slice(i, ai).replace(/^0+/, '')
    const bn = lead ? `1${b.slice(i, bi)}` : b.slice(i, bi).replace(/^0+/, '')
    if (an !== bn) return an.length !== bn.length ? an.length < bn.length : an < bn
    if (ai !== bi) return ai < bi
    return ac < bc
  }
  return a.length < b.length
}

/** go-yaml's order on code points, for keys with characters beyond ASCII. */
export function keyLessByCodePoints(a: string, b: string): boolean {
  const ar = [...a]
  const br = [...b]
  let digits = false
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const ac = ar[i] as string
    const bc = br[i] as string
    if (ac === bc) {
      digits = isDigit(ac)
      continue
    }
    const al = isLetter(ac)
    const bl = isLetter(bc)
    if (al && bl) return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number)
    if (al || bl) return digits ? al : bl
    let an = 0n
    let bn = 0n
    if (ac === '0' || bc === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n
          bn = 1n
          break
        }
      }
    }
    let ai = i
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai] as string)
    let bi = i
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi] as string)
    if (an !== bn) return an < bn
    if (ai !== bi) return ai < bi
    return (ac.codePointAt(0) as number) < (bc.codePointAt(0) as number)
  }
  return ar.length < br.length
}
