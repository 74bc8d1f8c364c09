import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'

/** One cached tags page: the validator the registry sent, its tags and its next link. */
export interface EtagEntry {
  etag: string
  tags: string[]
  next?: string
}

/**
 * Remembers tag pages by URL (never with credentials in it) so that a repeated listing sends
 * `If-None-Match` and a `304 Not Modified` costs no transfer.
 */
export interface EtagCache {
  get(url: string): EtagEntry | undefined
  set(url: string, entry: EtagEntry): void
}

/** An EtagCache for the life of one process. */
export class MemoryEtagCache implements EtagCache {
  protected readonly entries = new Map<string, EtagEntry>()

  get(url: string): EtagEntry | undefined {
    return this.entries.get(url)
  }

  set(url: string, entry: EtagEntry): void {
    this.entries.set(url, entry)
  }
}

/**
 * An EtagCache kept in a JSON file between runs (the CLI's `--cache-dir`). A missing or
 * unreadable file starts an empty cache; `save()` writes it back.
 */
export class FileEtagCache extends MemoryEtagCache {
  constructor(private readonly file: string) {
    super()
    try {
      const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, EtagEntry>
      for (const [k, v] of Object.entries(raw)) {
        if (typeof v?.etag === 'string' && Array.isArray(v.tags)) this.entries.set(k, v)
      }
    } catch {
      // first run, or a cache from an incompatible version: start empty
    }
  }

  save(): void {
    mkdirSync(dirname(this.file), { recursive: true })
    writeFileSync(this.file, JSON.stringify(Object.fromEntries(this.entries)))
  }
}
