/**
 * Where an ImageRepository's `spec.image` lives: the registry host to call and the repository
 * path inside it, with the naming conventions of the big registries.
 */
export type RegistryProvider = 'dockerhub' | 'ghcr' | 'ecr' | 'gar' | 'gcr' | 'quay' | 'generic'

/** A parsed repository reference (no tag, no digest: I-1). */
export interface RepositoryRef {
  /** Host (and port) the HTTP API is served on: `registry-1.docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  apiHost: string
  /** Host as credentials are keyed: `docker.io` for Docker Hub, else the apiHost. */
  credentialHost: string
  /** Repository path: `library/nginx`, `org/app`. */
  repository: string
  provider: RegistryProvider
}

/** A failed parse, with a reason for the diagnostic. */
export interface InvalidReference {
  error: string
}

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'])
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$/

/**
 * Splits `spec.image` the way the Docker reference grammar does: the first path component is
 * a host when it has a `.` or `:` or is `localhost`; otherwise the image is on Docker Hub,
 * where a single-component name lives under `library/` (I-1).
 */
export function parseRepository(image: string): RepositoryRef | InvalidReference {
  if (image.includes('://')) return { error: `image '${image}' must not have a scheme (I-1)` }
  if (image.includes('@')) return { error: `image '${image}' must not have a digest (I-1)` }
  const parts = image.split('/')
  const first = parts[0] ?? ''
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
  const host = hasHost ? first.toLowerCase() : 'docker.io'
  const path = hasHost ? parts.slice(1) : parts
  const last = path[path.length - 1] ?? ''
  if (last.includes(':')) return { error: `image '${image}' must not have a tag (I-1)` }
  if (path.length === 0 || !path.every((c) => COMPONENT.test(c))) {
    return { error: `image '${image}' is not a valid repository name` }
  }
  if (DOCKER_HUB_ALIASES.has(host)) {
    const repository = path.length === 1 ? `library/${path[0]}` : path.join('/')
    return { apiHost: 'registry-1.docker.io', credentialHost: 'docker.io', repository, provider: 'dockerhub' }
  }
  return { apiHost: host, credentialHost: host, repository: path.join('/'), provider: providerOf(host) }
}

/**
 * The provider conventions by host name: GHCR (`ghcr.io`), ECR
 * (`<account>.dkr.ecr.<region>.amazonaws.com[.cn]`), Artifact Registry
 * (`<region>-docker.pkg.dev`), Container Registry (`gcr.io`, `<region>.gcr.io`), Quay (`quay.io`).
 */
export function providerOf(host: string): RegistryProvider {
  const h = host.replace(/:\d+$/, '')
  if (h === 'ghcr.io') return 'ghcr'
  if (/^\d{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/.test(h)) return 'ecr'
  if (/^[a-z0-9-]+-docker\.pkg\.dev$/.test(h)) return 'gar'
  if (h === 'gcr.io' || h.endsWith('.gcr.io')) return 'gcr'
  if (h === 'quay.io') return 'quay'
  return 'generic'
}

/**
 * The user name a provider expects beside a bare token, when the configuration gives only a
 * token: ECR wants `AWS` with the `get-login-password` output, Google wants
 * `oauth2accesstoken` with an access token; GHCR and Quay accept any user with a token.
 */
export function tokenUserFor(provider: RegistryProvider): string {
  if (provider === 'ecr') return 'AWS'
  if (provider === 'gar' || provider === 'gcr') return 'oauth2accesstoken'
  return 'fluxgate'
}

/** True when a parse failed. */
export function isInvalidReference(r: RepositoryRef | InvalidReference): r is InvalidReference {
  return 'error' in r
}
