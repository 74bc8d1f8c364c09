import type { RegistryClient, RegistryError } from '../../ports/registry.js'
import type { Diagnostic } from '../diagnostics/diagnostic.js'
import type { LatestRef } from './marker.js'
import type { ImageObjects, ImagePolicyObject, ImageRepositoryObject } from './objects.js'
import type { PolicyEngine, PolicySpec } from './policy-engine.js'

/** What the scan found for one ImagePolicy: Flux's `status.latestRef`, or why there is none. */
export interface PolicyResult {
  /** `<namespace>:<name>`, the key setter markers use. */
  key: string
  policy: ImagePolicyObject
  repository?: ImageRepositoryObject
  spec?: PolicySpec
  latest?: LatestRef
  /** Tags left after the exclusion list (what the policy chose from). */
  candidates: number
}

/** The scan of a repository: one result per ImagePolicy, plus diagnostics. */
export interface ScanResult {
  policies: PolicyResult[]
  diagnostics: Diagnostic[]
}

export interface ScanOptions {
  registry: RegistryClient
  engine: PolicyEngine
  /**
   * A digest already pinned in the repository for `image:tag`: with
   * `digestReflectionPolicy: IfNotPresent` it is kept instead of asking the registry (I-10).
   */
  knownDigest?: (image: string, tag: string) => string | undefined
}

/**
 * Plays image-reflector-controller for every ImagePolicy (I-1…I-10):
 * 1. find the ImageRepository it refers to;
 * 2. list the repository's tags once (shared by its policies), drop the exclusion list (I-2)
 *    and sort them as Flux stores them (I-3);
 * 3. let the policy choose (I-4…I-9);
 * 4. reflect the digest when the policy asks for it (I-10).
 * Registry and policy problems become diagnostics; other policies carry on.
 */
export async function scanImages(objects: ImageObjects, opts: ScanOptions): Promise<ScanResult> {
  const listings = new Map<string, Promise<Listing>>()
  const ctx: PolicyContext = {
    objects,
    opts,
    listOnce(repo) {
      const key = `${repo.namespace}/${repo.name}`
      let p = listings.get(key)
      if (!p) {
        p = opts.registry.listTags(repo.image, { insecure: repo.insecure }).then((r) => (r.ok ? { tags: r.value } : { error: r.error }))
        listings.set(key, p)
      }
      return p
    },
  }
  const scanned = await Promise.all(objects.policies.map((policy) => scanPolicy(policy, ctx)))
  // Policies run concurrently: diagnostics are gathered in policy order, and a registry
  // failure shared by several policies of one repository is reported once.
  const seen = new Set<string>()
  const diagnostics = scanned
    .flatMap((s) => s.diagnostics)
    .filter((d) => {
      const key = `${d.code}\0${d.owner ?? ''}\0${d.message}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
  return { policies: scanned.map((s) => s.result), diagnostics }
}

type Listing = { tags?: string[]; error?: RegistryError }

interface PolicyContext {
  objects: ImageObjects
  opts: ScanOptions
  listOnce(repo: ImageRepositoryObject): Promise<Listing>
}

async function scanPolicy(policy: ImagePolicyObject, ctx: PolicyContext): Promise<{ result: PolicyResult; diagnostics: Diagnostic[] }> {
  const { opts } = ctx
  const diagnostics: Diagnostic[] = []
  const result: PolicyResult = { key: `${policy.namespace}:${policy.name}`, policy, candidates: 0 }
  const done = { result, diagnostics }
  const where = { location: policy.location, owner: `ImagePolicy/${policy.namespace}/${policy.name}` }
  const parsed = opts.engine.parse(policy.object)
  if (!parsed.ok) {
    diagnostics.push({ code: 'images/invalid-policy', severity: 'error', message: parsed.error, ...where })
    return done
  }
  result.spec = parsed.spec
  const repo = ctx.objects.repositories.find((r) => r.namespace === policy.repositoryRef.namespace && r.name === policy.repositoryRef.name)
  if (!repo) {
    const ref = `${policy.repositoryRef.namespace}/${policy.repositoryRef.name}`
    diagnostics.push({ code: 'images/repository-not-found', severity: 'error', message: `ImageRepository ${ref} is not in the repository`, ...where })
    return done
  }
  result.repository = repo
  if (repo.namespace !== policy.namespace) {
    // I-1 accessFrom: the ACL depends on namespace labels only the cluster knows.
    diagnostics.push({ code: 'images/cross-namespace-ref', severity: 'info', message: `uses ImageRepository ${repo.namespace}/${repo.name}; Flux allows it only when its accessFrom admits namespace ${policy.namespace} (not checked)`, ...where })
  }
  if (policy.suspended || repo.suspended) {
    diagnostics.push({ code: 'images/suspended', severity: 'info', message: `${policy.suspended ? 'ImagePolicy' : 'ImageRepository'} is suspended; Flux keeps its last result`, ...where })
    return done
  }
  const listing = await ctx.listOnce(repo)
  if (!listing.tags) {
    diagnostics.push(registryDiagnostic(listing.error!, repo))
    return done
  }
  const stored = opts.engine.exclude(listing.tags, repo.exclusionList)
  if (!stored.ok) {
    diagnostics.push({ code: 'images/invalid-exclusion-list', severity: 'error', message: stored.error, location: repo.location, owner: `ImageRepository/${repo.namespace}/${repo.name}` })
    return done
  }
  result.candidates = stored.tags.length
  const chosen = opts.engine.select(parsed.spec, stored.tags)
  if (!chosen.ok) {
    diagnostics.push({ code: 'images/no-tag-selected', severity: 'warning', message: `${repo.image}: ${chosen.error}`, ...where })
    return done
  }
  if (chosen.tieBroken) {
    // I-9: Flux itself would pick among equal keys in random map order.
    diagnostics.push({ code: 'images/tie-broken', severity: 'info', message: `${repo.image}: several tags rank equal; ${chosen.tag} chosen in stored order (Flux's choice is random here)`, ...where })
  }
  const digest = await reflectDigest(policy, repo, chosen.tag, opts, diagnostics)
  result.latest = { name: repo.image, tag: chosen.tag, ...(digest ? { digest } : {}) }
  return done
}

async function reflectDigest(policy: ImagePolicyObject, repo: ImageRepositoryObject, tag: string, opts: ScanOptions, diagnostics: Diagnostic[]): Promise<string | undefined> {
  if (policy.digestReflectionPolicy === 'Never') return undefined
  if (policy.digestReflectionPolicy === 'IfNotPresent') {
    const known = opts.knownDigest?.(repo.image, tag)
    if (known) return known
  }
  const res = await opts.registry.getDigest(repo.image, tag, { insecure: repo.insecure })
  if (res.ok) return res.value
  diagnostics.push(registryDiagnostic(res.error, repo))
  return undefined
}

/** A registry failure as a diagnostic: `external-host` problems are the registry's, not the repo's. */
function registryDiagnostic(error: RegistryError, repo: ImageRepositoryObject): Diagnostic {
  const code =
    error.kind === 'external-host' ? 'images/registry-unavailable'
    : error.kind === 'unauthorized' ? 'images/registry-unauthorized'
    : error.kind === 'budget-exhausted' ? 'images/registry-budget'
    : error.kind === 'insecure-refused' ? 'images/registry-insecure'
    : error.kind === 'invalid-reference' ? 'images/invalid-image'
    : error.kind === 'not-found' ? 'images/registry-not-found'
    : 'images/registry-error'
  return {
    code,
    severity: 'error',
    message: `ImageRepository ${repo.namespace}/${repo.name} (${repo.image}): ${error.message}`,
    location: repo.location,
    owner: `ImageRepository/${repo.namespace}/${repo.name}`,
  }
}
