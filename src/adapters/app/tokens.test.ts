import type { Clock } from '../../ports/clock.js'
import { InstallationTokens } from './tokens.js'

function clockAt(iso: string): Clock & { set(iso: string): void } {
  let now = Date.parse(iso)
  return { now: () => now, after: () => () => undefined, set: (t) => (now = Date.parse(t)) }
}

describe('InstallationTokens', () => {
  it('reuses a token until five minutes before it expires, then mints another', async () => {
    const clock = clockAt('2026-01-01T10:00:00Z')
    const tokens = new InstallationTokens(clock)
    let minted = 0
    const mint = () => Promise.resolve({ token: `t${++minted}`, expiresAt: '2026-01-01T11:00:00Z' })
    expect(await tokens.get(7, mint)).toBe('t1')
    clock.set('2026-01-01T10:54:59Z')
    expect(await tokens.get(7, mint)).toBe('t1')
    clock.set('2026-01-01T10:55:01Z')
    expect(await tokens.get(7, mint)).toBe('t2')
    // Another installation has its own.
    expect(await tokens.get(8, mint)).toBe('t3')
  })

  it('shares one mint between reviews that start together, and keeps no token whose expiry it cannot read', async () => {
    const tokens = new InstallationTokens(clockAt('2026-01-01T10:00:00Z'))
    let minted = 0
    const mint = () => new Promise<{ token: string; expiresAt: string }>((r) => setTimeout(() => r({ token: `t${++minted}`, expiresAt: '' }), 10))
    expect(await Promise.all([tokens.get(1, mint), tokens.get(1, mint)])).toEqual(['t1', 't1'])
    expect(await tokens.get(1, mint)).toBe('t2')
  })

  it('mints again after a failed mint', async () => {
    const tokens = new InstallationTokens(clockAt('2026-01-01T10:00:00Z'))
    await expect(tokens.get(1, () => Promise.reject(new Error('401')))).rejects.toThrow('401')
    expect(await tokens.get(1, () => Promise.resolve({ token: 'ok', expiresAt: '2026-01-01T11:00:00Z' }))).toBe('ok')
  })
})
