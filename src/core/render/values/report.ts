import type { Diagnostic, SourceLocation } from '../../diagnostics/diagnostic.js'
import { ownerKey, type OwnerRef } from '../../model/render-result.js'
import type { ResolvedSource, SourceOrigin, ValueSourceRef } from './sources.js'

interface Use {
  ref: ValueSourceRef
  origin: SourceOrigin
  readers: string[]
  location?: SourceLocation
  effects: Set<string>
}

/**
 * The sources whose values the render could not have, gathered over a cluster walk so that each
 * is reported once (however many owners read it), saying where its values come from and what
 * was left unknown.
 */
export class UnknownValueSources {
  private readonly uses = new Map<string, Use>()
  private readonly byOwner = new Map<string, Use[]>()

  /** Notes that `owner` read `ref` (as `via`) and could not know all of its values. */
  record(ref: ValueSourceRef, resolved: ResolvedSource, owner: OwnerRef, via: 'substituteFrom' | 'valuesFrom', location?: SourceLocation): void {
    if (resolved.origin.type === 'render' || resolved.origin.type === 'supplied' && !(resolved.unknownKeys?.length || resolved.anyKey)) return
    const key = `${ref.kind}/${ref.namespace}/${ref.name}`
    const use = this.uses.get(key) ?? { ref, origin: resolved.origin, readers: [], effects: new Set<string>(), ...(location ? { location } : {}) }
    this.uses.set(key, use)
    const reader = `${via} of ${ownerKey(owner).replace(/\//, ' ')}`
    if (!use.readers.includes(reader)) use.readers.push(reader)
    const mine = this.byOwner.get(ownerKey(owner)) ?? []
    if (!mine.includes(use)) mine.push(use)
    this.byOwner.set(ownerKey(owner), mine)
  }

  /** What the owner's render did for want of these values (placeholders left, a values document skipped). */
  effect(owner: OwnerRef, text: string, ref?: ValueSourceRef): void {
    for (const use of this.byOwner.get(ownerKey(owner)) ?? []) {
      if (ref && (use.ref.kind !== ref.kind || use.ref.name !== ref.name || use.ref.namespace !== ref.namespace)) continue
      use.effects.add(text)
    }
  }

  /**
   * One diagnostic per source: a warning for values that live only in the cluster, an info for
   * SOPS-encrypted ones. `final` re-resolves with the whole render, so a creator rendered after
   * the reader is still named.
   */
  diagnostics(cluster: string, final: (ref: ValueSourceRef) => SourceOrigin | undefined): Diagnostic[] {
    const out: Diagnostic[] = []
    for (const use of this.uses.values()) {
      const origin = final(use.ref) ?? use.origin
      const { ref } = use
      const readers = use.readers.length > 2 ? `${use.readers.slice(0, 2).join(', ')} and ${use.readers.length - 2} more` : use.readers.join(' and ')
      const effects = [...use.effects]
      const effect = effects.length === 0 ? 'no value of it was needed' : effects.slice(0, 6).join('; ') + (effects.length > 6 ? `; and ${effects.length - 6} more` : '')
      // Known to be unknowable (SOPS in Git) or said so by the user (keys supplied without values): an info.
      const expected = origin.type === 'sops' || origin.type === 'supplied'
      const hint = expected ? '' : ' Supply its values under clusterValues in .github/fluxgate.yml, or with --values-file, to render them.'
      out.push({
        code: origin.type === 'sops' ? 'render/encrypted-values' : 'render/cluster-only-values',
        severity: expected ? 'info' : 'warning',
        message: `${ref.kind} ${ref.namespace}/${ref.name} (${readers}) ${whereFrom(origin)}: ${effect}.${hint}`,
        cluster,
        ...(use.location ? { location: use.location } : {}),
      })
    }
    return out
  }
}

function at(l: SourceLocation | undefined): string {
  return l ? ` (${l.file}${l.line ? `:${l.line}` : ''})` : ''
}

function whereFrom(o: SourceOrigin): string {
  switch (o.type) {
    case 'creator':
      return `is not in the repository: ${o.what}${at(o.location)} creates it in the cluster`
    case 'bootstrap':
      return `is declared in ${o.location.file}${o.location.line ? `:${o.location.line}` : ''}, which no Kustomization of this cluster applies: it is created at bootstrap`
    case 'encrypted':
      return `is not found by name; it may be the SOPS-encrypted object in ${o.locations.map((l) => `${l.file}${l.line ? `:${l.line}` : ''}`).join(', ')} (its name is encrypted)`
    case 'sops':
      return `is SOPS-encrypted${at(o.location)}: Flux decrypts it, its values are unknown offline`
    case 'supplied':
      return `has keys supplied without values in ${o.from}`
    case 'render':
      return 'is applied by a Kustomization rendered after the one that reads it (nothing orders them with dependsOn), so its values were not used'
    case 'cluster':
      return 'is not in the repository and nothing in it creates it: it lives only in the cluster (made at bootstrap or by hand)'
  }
}
