import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HelmCli, helmConcurrency } from './helm-cli.js'

describe('helm processes at once', () => {
  it('is one per CPU, at least 2 and at most 8', () => {
    expect([1, 2, 3, 4, 8, 16, 64].map(helmConcurrency)).toEqual([2, 2, 3, 4, 8, 8, 8])
  })

  it('is 2 when the CPU count is not a number a machine has', () => {
    expect([0, Number.NaN, -4, 2.7].map(helmConcurrency)).toEqual([2, 2, 2, 2])
  })
})

describe('helm processes', () => {
  const dirs: string[] = []
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true })
  })

  /** A helm that prints, as its manifest, the Go collector settings it was started with. */
  function envHelm(): string {
    const dir = mkdtempSync(join(tmpdir(), 'fluxgate-env-helm-'))
    dirs.push(dir)
    const p = join(dir, 'helm')
    writeFileSync(p, '#!/bin/sh\nprintf "gogc: %s\\nmemlimit: %s\\n" "$GOGC" "$GOMEMLIMIT"\n')
    chmodSync(p, 0o755)
    return p
  }

  const chart = { type: 'files' as const, key: 'env', chartDir: 'c', files: new Map([['c/Chart.yaml', new TextEncoder().encode('apiVersion: v2\nname: c\nversion: 0.1.0\n')]]) }

  async function settings(env: Record<string, string | undefined>): Promise<string> {
    const saved = { GOGC: process.env['GOGC'], GOMEMLIMIT: process.env['GOMEMLIMIT'] }
    for (const [k, v] of Object.entries(env)) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
    const helm = new HelmCli({ helmPath: envHelm() })
    try {
      const r = await helm.template({ chart, releaseName: 'r', namespace: 'n', values: {} })
      return r.ok ? r.manifest : `failed: ${r.error}`
    } finally {
      helm.dispose()
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k]
        else process.env[k] = v
      }
    }
  }

  it("start with Go's collector tuned for a short life, unless the environment sets it", async () => {
    expect(await settings({ GOGC: undefined, GOMEMLIMIT: undefined })).toBe('gogc: 400\nmemlimit: 1GiB\n')
    expect(await settings({ GOGC: '100', GOMEMLIMIT: '256MiB' })).toBe('gogc: 100\nmemlimit: 256MiB\n')
  })
})
