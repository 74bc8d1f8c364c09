import type { ChangeAction, ObjectChange } from '../model/plan.js'
import type { ClusterRender, EncryptedObject, OwnerRef } from '../model/render-result.js'
import { ownerKey } from '../model/render-result.js'
import { ENCRYPTED_KIND } from '../model/resource-id.js'
import type { SourceLocation } from '../diagnostics/diagnostic.js'
import { deepEqual } from './field-changes.js'

/** The whole-file SOPS documents of one file (or of one owner, when the file is not known). */
interface EncryptedFile {
  owner: OwnerRef
  file: string
  source?: SourceLocation
  contents: EncryptedObject['content'][]
}

/**
 * Whole-file SOPS documents, compared by the file that holds them (K-17): their identity is
 * ciphertext, so one file is one entry, unchanged when its documents are the same, else one
 * "changed, encrypted" entry; added or removed when only one side has the file. Never shows
 * content (not even a digest of it): the entry names the file and what happened.
 */
export function compareEncrypted(base: ClusterRender | undefined, head: ClusterRender | undefined, skipped: ReadonlyMap<string, unknown>): ObjectChange[] {
  const before = byFile(base)
  const after = byFile(head)
  const out: ObjectChange[] = []
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(key)
    const a = after.get(key)
    const main = (a ?? b)!
    if (skipped.has(ownerKey(main.owner)) || (b && skipped.has(ownerKey(b.owner)))) continue
    const moved = b !== undefined && a !== undefined && ownerKey(b.owner) !== ownerKey(a.owner)
    const same = b !== undefined && a !== undefined && b.contents.length === a.contents.length && b.contents.every((c, i) => deepEqual(c as never, a.contents[i] as never))
    if (same && !moved) continue
    const action: ChangeAction = !b ? 'added' : !a ? 'removed' : moved ? 'moved' : 'changed'
    const change: ObjectChange = {
      action,
      id: { group: '', kind: ENCRYPTED_KIND, namespace: '', name: main.file },
      apiVersion: '',
      owner: main.owner,
      prune: null,
      highRisk: false,
      fields: [],
      diff: '',
      encrypted: 'identity',
      note: NOTES[action],
    }
    if (moved) change.previousOwner = b.owner
    if (main.source) change.source = main.source
    out.push(change)
  }
  return out
}

const NOTES: Record<ChangeAction, string> = {
  added: 'encrypted object added: its kind and name are SOPS ciphertext, unknown offline',
  changed: 'changed, encrypted: the ciphertext differs (a re-encryption or a new value); what changed is unknown offline',
  removed: 'encrypted object removed: its kind and name are SOPS ciphertext, so what Flux prunes is unknown offline',
  moved: 'encrypted object now applied by another owner; what it is is unknown offline',
}

function byFile(cluster: ClusterRender | undefined): Map<string, EncryptedFile> {
  const out = new Map<string, EncryptedFile>()
  for (const e of cluster?.encrypted ?? []) {
    // Unlocated documents (not from this repository) are told apart by owner only.
    const file = e.source?.file ?? `(${ownerKey(e.owner)})`
    const entry = out.get(file)
    if (entry) entry.contents.push(e.content)
    else out.set(file, { owner: e.owner, file, ...(e.source ? { source: e.source } : {}), contents: [e.content] })
  }
  return out
}
