/**
 * Records of incremental planning kept between runs (UnitMemo): opaque values by key, keys
 * SHA-256 hex. Values are structured data as structuredClone carries them (Maps, byte arrays,
 * objects shared within one value); a record that cannot be read back is simply missing.
 */
export interface RenderCache {
  get(key: string): unknown
  set(key: string, value: unknown): void
}
