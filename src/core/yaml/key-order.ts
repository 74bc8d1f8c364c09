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

function keyLess(a: string, b: string): boolean {
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
