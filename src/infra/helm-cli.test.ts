import { chmodSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { HelmCli, helmConcurrency } from './helm-cli.js'
import { describeWith } from '../../test/support/components.js'

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

describeWith(['helm'], 'helm template with the real helm: releases of one chart', () => {
  const enc = (t: string): Uint8Array => new TextEncoder().encode(t)
  // A chart in Git (H-6a): a values file beside it, a template that prints the values it got.
  const chart = {
    type: 'files' as const,
    key: 'shared',
    chartDir: 'charts/web',
    files: new Map([
      ['charts/web/Chart.yaml', enc('apiVersion: v2\nname: web\nversion: 1.2.0\n')],
      ['charts/web/values.yaml', enc('replicas: 1\ntier: base\n')],
      ['charts/web/templates/cm.yaml', enc('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\ndata:\n  replicas: "{{ .Values.replicas }}"\n  tier: {{ .Values.tier }}\n  version: {{ .Chart.Version }}\n')],
      ['charts/web/crds/crd.yaml', enc('apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n')],
      ['envs/prod.yaml', enc('tier: prod\n')],
    ]),
  }
  let helm: HelmCli
  beforeAll(() => {
    helm = new HelmCli({ helmPath: resolve('.tools/helm4/helm') })
  })
  afterAll(() => helm.dispose())

  it('renders each release with its own values, values files and version, at once, from one chart', async () => {
    const runs = await Promise.all([
      helm.template({ chart, releaseName: 'a', namespace: 'n', values: { replicas: 2 } }),
      helm.template({ chart, releaseName: 'b', namespace: 'n', values: { replicas: 3 } }),
      helm.template({ chart, releaseName: 'c', namespace: 'n', values: {}, valuesFiles: ['envs/prod.yaml'] }),
      helm.template({ chart, releaseName: 'd', namespace: 'n', values: {}, versionMetadata: { revision: '0123456789ab' } }),
      helm.template({ chart, releaseName: 'e', namespace: 'n', values: { replicas: 5 } }),
      helm.template({ chart, releaseName: 'f', namespace: 'n', values: {}, valuesFiles: ['envs/missing.yaml'] }),
    ])
    const data = runs.map((r) => (r.ok ? /replicas: "([^"]*)"\n {2}tier: (\w+)\n {2}version: (\S+)/.exec(r.manifest)?.slice(1).join(' ') : r.error))
    expect(data).toEqual(['2 base 1.2.0', '3 base 1.2.0', ' prod 1.2.0', '1 base 1.2.0+0123456789ab', '5 base 1.2.0', "no values file found at path 'envs/missing.yaml'"])
    for (const r of runs.slice(0, 5)) {
      if (!r.ok) throw new Error(r.error)
      expect(r.crds).toContain('name: things.example.com')
      expect(r.chartName).toBe('web')
    }
    expect(runs[3]!.ok && runs[3]!.chartVersion).toBe('1.2.0+0123456789ab')
    // The values files replace the chart's values.yaml (H-4): release c has no replicas of its own.
    // Asked again, the release that read a values file renders as before.
    const again = await helm.template({ chart, releaseName: 'c', namespace: 'n', values: { replicas: 4 }, valuesFiles: ['envs/prod.yaml'] })
    expect(again.ok && /replicas: "4"\n {2}tier: prod/.test(again.manifest)).toBe(true)
  })

  it('keeps copies of a chart for a bounded number of kinds of request, and renders every one past it', async () => {
    // A pull request can give each release a values file list of its own: past the bound each
    // run's copy is removed after it, so the folder does not grow with the releases.
    const files = new Map(chart.files)
    for (let i = 0; i < 40; i++) files.set(`envs/e${i}.yaml`, enc(`tier: t${i}\n`))
    const many = { ...chart, key: 'many', files }
    // Its own temporary folder, so what it leaves there is all its own.
    const root = mkdtempSync(join(tmpdir(), 'fluxgate-helm-test-'))
    const own = new HelmCli({ helmPath: resolve('.tools/helm4/helm'), tempRoot: root })
    try {
      const home = readdirSync(root).filter((n) => n.startsWith('fluxgate-helm-'))
      expect(home).toHaveLength(1)
      const runs = await Promise.all(Array.from({ length: 40 }, (_, i) => own.template({ chart: many, releaseName: `r${i}`, namespace: 'n', values: {}, valuesFiles: [`envs/e${i}.yaml`] })))
      expect(runs.map((r) => (r.ok ? /tier: (\w+)/.exec(r.manifest)?.[1] : r.error))).toEqual(Array.from({ length: 40 }, (_, i) => `t${i}`))
      const copies = readdirSync(join(root, home[0]!)).filter((n) => n.startsWith('ready-') || n.startsWith('render-'))
      expect(copies).toHaveLength(32)
    } finally {
      own.dispose()
      rmSync(root, { recursive: true, force: true })
    }
  })
})

