/**
 * Records of incremental planning kept between runs (UnitMemo): opaque values by key, keys
 * SHA-256 hex. Values are structured data as structuredClone carries them (Maps, byte arrays,
 * objects shared within one value); a record that cannot be read back is simply missing.
 */
export interface RenderCache {
  get(key: string): unknown
  /** Keeps a record; it may reach the store after `set` returns (see `settled`). */
  set(key: string, value: unknown): void
  /**
   * Ends when every record given to `set` so far is kept (or failed to be): a store that
   * writes in the background says so here, and a run awaits it before it ends or prunes.
   */
  settled?(): Promise<void>
  /**
   * Data with which another thread of this process opens the same store (a ThreadPool task
   * carries it); absent for a store that lives in this thread only (the App's, in memory).
   */
  readonly threadHandle?: unknown
}
