/**
 * Where render records outlive one render: a folder on disk for the CLI and the Action
 * (restored between runs by `actions/cache`), memory bounded by size for the App. Values are
 * opaque text the core writes and checks again when it reads them. An implementation may
 * drop any entry at any time; it returns exactly what was stored under a key, or nothing
 * (an entry it cannot vouch for, corrupted or written for another key, is nothing).
 */
export interface RenderCache {
  get(key: string): string | undefined
  set(key: string, value: string): void
}
