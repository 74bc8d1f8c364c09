/** Canary strings planted where secrets come from; none may reach any output. */
export const CANARIES = {
  secretData: 'CANARY-secret-data-9f1c2b7e',
  secretStringData: 'CANARY-string-data-4d8a0e63',
  substituted: 'CANARY-substitute-from-secret-71b5c9d2',
  helmValues: 'CANARY-helm-values-from-secret-2e6f8a14',
  sopsLike: 'CANARY-encrypted-payload-5a3d7c90',
} as const

/** Base64 of a UTF-8 string. */
export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64')
}

/**
 * Every form a canary can leak in: the plain text, its base64, and the stable middle of its
 * base64 at each of the three byte alignments (so a canary embedded in a longer base64 value
 * is caught too).
 */
export function leakForms(canary: string): string[] {
  const forms = [canary, b64(canary)]
  for (let k = 0; k < 3; k++) {
    const encoded = b64('\0'.repeat(k) + canary)
    // Characters touched by the leading pad bytes or by the unknown bytes after the canary vary.
    forms.push(encoded.slice(Math.ceil((k * 4) / 3) + 1, encoded.length - 4))
  }
  return forms
}

/** The canaries (in any form) that `text` contains, as `name:form` strings. */
export function leaksIn(text: string): string[] {
  const found: string[] = []
  for (const [name, canary] of Object.entries(CANARIES)) {
    for (const form of leakForms(canary)) if (text.includes(form)) found.push(`${name}:${form}`)
  }
  return found
}
