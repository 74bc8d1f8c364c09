import type { CatFile } from './git-cat-file.js'

/** Commits read looking for an ancestor before the caller asks git itself (`git merge-base`). */
export const ANCESTRY_WALK = 256

/** A full object id (SHA-1 or SHA-256): what it names never changes. */
export const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/

/** The parents a commit object names: its header's `parent` lines, which follow its `tree` line. */
export function commitParents(body: Uint8Array): string[] {
  const bytes = Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  const end = bytes.indexOf('\n\n')
  const header = bytes.subarray(0, end < 0 ? bytes.length : end).toString('latin1')
  const parents: string[] = []
  for (const line of header.split('\n')) {
    if (line.startsWith('parent ')) {
      const id = line.slice('parent '.length)
      if (OBJECT_ID.test(id)) parents.push(id)
    } else if (parents.length > 0 || !line.startsWith('tree ')) break
  }
  return parents
}

/**
 * Whether commit `ancestor` is `id` or one of its ancestors within `limit` commits, read a
 * generation at a time through a long-lived `cat-file --batch`. As git walks: a commit listed
 * in `shallow` (the repository's shallow file) has no parents, and a commit whose object is
 * missing ends its line. False means "not found within the walk", not "not an ancestor": the
 * caller then asks git.
 */
export async function descendsFrom(objects: CatFile, id: string, ancestor: string, shallow: ReadonlySet<string>, limit = ANCESTRY_WALK): Promise<boolean> {
  const seen = new Set<string>([id])
  let generation = [id]
  let read = 0
  while (generation.length > 0) {
    read += generation.length
    if (read > limit) return false
    const next: string[] = []
    for (const c of await objects.ask(generation)) {
      if ('missing' in c || c.type !== 'commit' || !c.body) continue
      if (c.id === ancestor) return true
      if (shallow.has(c.id)) continue
      for (const p of commitParents(c.body)) {
        if (seen.has(p)) continue
        seen.add(p)
        next.push(p)
      }
    }
    generation = next
  }
  return false
}

/** The commits a repository's `shallow` file lists (git treats them as having no parents); none when there is no such file. */
export function shallowCommits(text: string | undefined): Set<string> {
  return new Set((text ?? '').split('\n').filter((l) => OBJECT_ID.test(l)))
}
