import type { FileTree } from '../../ports/file-tree.js'
import { findMarkedFiles } from './marked-files.js'
import { splitImage } from './marker.js'
import { readMarkedValues } from './setters.js'

/**
 * The digests the repository already pins with full-reference markers
 * (`name:tag@sha256:…`), as a lookup by image and tag. With `digestReflectionPolicy:
 * IfNotPresent` Flux keeps a digest it already has for the same name and tag (I-10); the
 * files are Fluxgate's stand-in for that status, which saves a registry request per image.
 */
export function pinnedDigests(tree: FileTree): (image: string, tag: string) => string | undefined {
  const pins = new Map<string, string>()
  for (const file of findMarkedFiles(tree, '')) {
    for (const v of readMarkedValues(file.text)) {
      if (v.marker.field !== 'image') continue
      const ref = splitImage(v.value)
      if (ref.tag && ref.digest && /^sha256:[0-9a-f]{64}$/.test(ref.digest)) pins.set(`${ref.name}:${ref.tag}`, ref.digest)
    }
  }
  return (image, tag) => pins.get(`${image}:${tag}`)
}
