/**
 * The OCI distribution API as the image scan sees it (flux-semantics §6.1–6.3). The core asks
 * for tags and digests by the ImageRepository's `spec.image` verbatim; naming (Docker Hub's
 * `library/`), authentication, paging, retries and caching are the implementation's business.
 */
export interface RegistryCallOptions {
  /**
   * The ImageRepository says `insecure: true`: plain HTTP may be used for this host. The
   * client may still refuse it when its configuration does not allow insecure registries.
   */
  insecure?: boolean
}

/**
 * Why a registry call failed. `external-host` is the registry's fault (429, 5xx, network)
 * after bounded retries; the others say the configuration or the reference is wrong.
 */
export type RegistryErrorKind =
  | 'invalid-reference'
  | 'unauthorized'
  | 'not-found'
  | 'insecure-refused'
  | 'budget-exhausted'
  | 'external-host'
  | 'bad-response'

/** A failed call. `message` never carries a credential or token. */
export interface RegistryError {
  kind: RegistryErrorKind
  message: string
  /** The last HTTP status seen, when there was one. */
  status?: number
}

/** The outcome of one registry call: a value, or the reason there is none. */
export type RegistryResult<T> = { ok: true; value: T } | { ok: false; error: RegistryError }

/** Reads an OCI registry. Implementations never throw for registry problems: they return them. */
export interface RegistryClient {
  /** Every tag of `image` (ImageRepository `spec.image`), in the order the registry sent them. */
  listTags(image: string, opts?: RegistryCallOptions): Promise<RegistryResult<string[]>>
  /** The manifest digest (`sha256:…`) `image:tag` points at. */
  getDigest(image: string, tag: string, opts?: RegistryCallOptions): Promise<RegistryResult<string>>
}
