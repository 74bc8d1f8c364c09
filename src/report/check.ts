import type { Listing } from './get.js'
import { diagnosticLines } from './repeats.js'

const ANSI = { red: '31', green: '32', yellow: '33', bold: '1' } as const

/**
 * `fluxgate check` (flux-local's `test`): one line per cluster saying whether it renders, with
 * what it holds; under a failing cluster each error naming its file and line; warnings once,
 * repeated ones on one line; then a summary. Plain text when `color` is false.
 */
export function renderCheck(l: Listing, opts: { color: boolean }): string {
  const paint = (c: keyof typeof ANSI, s: string): string => (opts.color ? `\u001b[${ANSI[c]}m${s}\u001b[0m` : s)
  const out: string[] = []
  let failed = 0
  for (const c of l.clusters) {
    const ks = l.owners.filter((o) => o.cluster === c.name && o.ref.kind === 'Kustomization').length
    const hr = l.owners.filter((o) => o.cluster === c.name && o.ref.kind === 'HelmRelease').length
    const objects = l.objects.filter((o) => o.cluster === c.name).length
    const errors = l.diagnostics.filter((d) => d.cluster === c.name && d.severity === 'error')
    const holds = `${count(ks, 'Kustomization')}, ${count(hr, 'HelmRelease')}, ${count(objects, 'object')}`
    if (errors.length === 0) {
      out.push(`${paint('green', 'ok  ')} ${c.name} (${c.path}): ${holds}`)
      continue
    }
    failed++
    out.push(`${paint('red', 'FAIL')} ${c.name} (${c.path}): ${count(errors.length, 'error')}; ${holds}`)
    for (const line of diagnosticLines(errors)) out.push(`     ${paint('red', line)}`)
  }
  const repoErrors = l.diagnostics.filter((d) => !d.cluster && d.severity === 'error')
  if (repoErrors.length) {
    out.push(`${paint('red', 'FAIL')} repository: ${count(repoErrors.length, 'error')}`)
    for (const line of diagnosticLines(repoErrors)) out.push(`     ${paint('red', line)}`)
  }
  const warnings = l.diagnostics.filter((d) => d.severity === 'warning')
  if (warnings.length) {
    out.push('', paint('yellow', `Warnings (${warnings.length}):`))
    for (const line of diagnosticLines(warnings)) out.push(`  ${line}`)
  }
  const errors = l.diagnostics.filter((d) => d.severity === 'error').length
  const ks = l.owners.filter((o) => o.ref.kind === 'Kustomization').length
  const hr = l.owners.filter((o) => o.ref.kind === 'HelmRelease').length
  const verdict = errors ? paint('red', `${count(errors, 'error')}`) : paint('green', 'no errors')
  out.push(
    '',
    `${paint('bold', 'Checked')} ${count(l.clusters.length, 'cluster')}${failed ? ` (${failed} failing)` : ''}: ${count(ks, 'Kustomization')}, ${count(hr, 'HelmRelease')}, ${count(l.objects.length, 'object')}; ${verdict}, ${count(warnings.length, 'warning')}.`,
  )
  return out.join('\n') + '\n'
}

function count(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}
