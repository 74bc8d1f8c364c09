import { LRUCache } from 'lru-cache'
import type { Clock } from '../../ports/clock.js'

/** A minted installation token and when GitHub lets it expire. */
export interface MintedToken {
  token: string
  /** ISO time, from the `expires_at` of the access-token answer. */
  expiresAt: string
}

/** A token is used until this long before it expires (a fetch started just before must still finish). */
const MARGIN_MS = 5 * 60_000

/**
 * The contents:read installation tokens the App fetches git with, one per installation,
 * kept in this process's memory (never in Redis, never logged) until shortly before they
 * expire, so a busy installation does not mint a token per review. Probot keeps the API
 * client's own installation token the same way.
 */
export class InstallationTokens {
  private readonly cache = new LRUCache<number, MintedToken>({ max: 1000 })
  private readonly minting = new Map<number, Promise<string>>()

  constructor(private readonly clock: Clock) {}

  get(installationId: number, mint: () => Promise<MintedToken>): Promise<string> {
    const held = this.cache.get(installationId)
    if (held && Date.parse(held.expiresAt) - MARGIN_MS > this.clock.now()) return Promise.resolve(held.token)
    // Two reviews starting together share one mint.
    const pending = this.minting.get(installationId)
    if (pending) return pending
    const p = mint()
      .then((t) => {
        if (Number.isFinite(Date.parse(t.expiresAt))) this.cache.set(installationId, t)
        return t.token
      })
      .finally(() => this.minting.delete(installationId))
    this.minting.set(installationId, p)
    return p
  }
}
