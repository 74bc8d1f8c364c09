/**
 * Attack class: HelmRelease fields that reach helm's argv as flags. `releaseName:
 * "--post-renderer=sh"` made Helm 3 run `sh` on the rendered chart (the chart's text ran as
 * a shell script), and `--set-file=a=/etc/passwd` made Helm 4 put a host file into the
 * objects and the comment. Every field that reaches argv is now checked as Helm and
 * Kubernetes check it, and positionals follow `--`.
 */
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { HelmCli } from '../../src/infra/helm-cli.js'
import { describeWith } from '../support/components.js'
import { chart, fleet, gitRelease, headDiagnostics, HELMS, NAMESPACE, review, scratch, touched } from './support.js'

const HOST_CANARY = 'HOSTFILE-canary-5d0c7f1e'

describeWith(['helm'], 'helm flag injection through HelmRelease fields', () => {
  let s: ReturnType<typeof scratch>
  let hostFile = ''
  beforeEach(() => {
    s = scratch()
    hostFile = join(s.dir, 'host-secret.txt')
    writeFileSync(hostFile, `${HOST_CANARY}\n`)
  })
  afterEach(() => s.cleanup())

  // The chart's own text runs as a shell script when `sh` is the post-renderer.
  const shellChart = (mark: string) => chart({ 'templates/run.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: run\ndata:\n  run: x; touch ${mark}\n  file: {{ .Values.a | default "none" | quote }}\n` })

  const payloads = (mark: string, host: string): Record<string, string> => ({
    'releaseName --post-renderer=sh': `  releaseName: "--post-renderer=sh"\n`,
    'releaseName --post-renderer with a path': `  releaseName: "--post-renderer=/bin/sh"\n`,
    'releaseName --set-file of a host file': `  releaseName: "--set-file=a=${host}"\n`,
    'targetNamespace --set-file': `  targetNamespace: "--set-file=a=${host}"\n`,
    'storageNamespace with a flag': `  storageNamespace: "--post-renderer=sh"\n`,
    'releaseName with a space and a flag': `  releaseName: "web --set-file=a=${host}"\n`,
    'releaseName that is too long for Helm': `  releaseName: "${'a'.repeat(54)}"\n`,
    'releaseName with upper case': `  releaseName: "Web"\n`,
    'mark unused': `  # ${mark}\n`,
  })

  for (const [name, helmPath] of Object.entries(HELMS)) {
    for (const payload of Object.keys(payloads('', ''))) {
      if (payload === 'mark unused') continue
      it(`${name}: ${payload} runs no other program, reads no host file and is a located error`, async () => {
        const spec = payloads(s.mark, hostFile)[payload]!
        const base = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': gitRelease() }, shellChart(s.mark))
        const head = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': gitRelease(spec) }, shellChart(s.mark))
        const r = await review(base, head, { helmPath })
        expect(touched(s.dir, ['host-secret.txt'])).toBe(false)
        expect(r.published).not.toContain(HOST_CANARY)
        // Refused where Flux refuses it: by the API server (the CRD's length limits) or by
        // helm-controller (Helm's name rules), located at the HelmRelease either way.
        const cluster = r.planned.headFleet.clusters[0]!
        const bad = cluster.diagnostics.find((d) => d.code === 'helm/invalid-release' || d.code === 'render/invalid-flux-object')
        expect(bad).toMatchObject({ severity: 'error', location: { file: 'apps/web.yaml' } })
        expect(cluster.objects.filter((o) => o.owner.kind === 'HelmRelease')).toEqual([])
        expect(r.verdict.conclusion).toBe('failure')
      })
    }
  }

  it('a valid release still renders with both helm versions (the checks refuse only what Helm refuses)', async () => {
    for (const helmPath of Object.values(HELMS)) {
      const head = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': gitRelease('  releaseName: web.v2-1\n  targetNamespace: apps\n  storageNamespace: apps\n') }, shellChart(s.mark))
      const r = await review(head, head, { helmPath })
      expect(headDiagnostics(r).filter((d) => d.startsWith('helm/'))).toEqual([])
      const names = r.planned.headFleet.clusters[0]!.objects.map((o) => o.object.metadata.name)
      expect(names).toEqual(expect.arrayContaining(['web.v2-1-config', 'run']))
      expect(touched(s.dir, ['host-secret.txt'])).toBe(false)
    }
  })

  for (const [name, helmPath] of Object.entries(HELMS)) {
    it(`${name}: the helm runner itself refuses a flag as a release name or namespace`, async () => {
      const helm = new HelmCli({ helmPath })
      try {
        const files = new Map(Object.entries(shellChart(s.mark)).map(([p, t]) => [p, new TextEncoder().encode(String(t))]))
        const src = { type: 'files' as const, files, chartDir: 'charts/web', key: 'k' }
        for (const [releaseName, namespace] of [['--post-renderer=sh', 'apps'], [`--set-file=a=${hostFile}`, 'apps'], ['web', '--post-renderer=sh']] as const) {
          const out = await helm.template({ chart: src, releaseName, namespace, values: {} })
          expect(out.ok).toBe(false)
          expect(JSON.stringify(out)).not.toContain(HOST_CANARY)
        }
        expect(touched(s.dir, ['host-secret.txt'])).toBe(false)
      } finally {
        helm.dispose()
      }
    })
  }

  it('every helm command puts its positional arguments after `--` and flag values after `=`', async () => {
    // A stand-in helm that records its argv and prints nothing (so every render fails harmlessly).
    const argvLog = join(s.dir, 'argv.log')
    const fake = join(s.dir, 'helm')
    writeFileSync(fake, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${argvLog}'; done\necho END >> '${argvLog}'\nexit 1\n`)
    chmodSync(fake, 0o755)
    const helm = new HelmCli({ helmPath: fake })
    try {
      const files = new Map(Object.entries({ ...chart(), 'charts/web/Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - {name: lib, version: 0.1.0, repository: "file://../lib"}\n', 'charts/lib/Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n' }).map(([p, t]) => [p, new TextEncoder().encode(String(t))]))
      await helm.template({ chart: { type: 'files', files, chartDir: 'charts/web', key: 'dep' }, releaseName: 'web', namespace: 'apps', values: {} })
      await helm.template({ chart: { type: 'files', files: new Map([...files].filter(([p]) => p !== 'charts/web/Chart.yaml').concat([['charts/web/Chart.yaml', new TextEncoder().encode('apiVersion: v2\nname: web\nversion: 0.1.0\n')]])), chartDir: 'charts/web', key: 'plain' }, releaseName: 'web', namespace: 'apps', values: {}, apiVersions: ['example.com/v1'], kubeVersion: '1.33.0' })
      await helm.template({ chart: { type: 'oci', ref: 'oci://127.0.0.1:1/charts/web', tag: '1.0.0' }, releaseName: 'web', namespace: 'apps', values: {} })
      const calls = readFileSync(argvLog, 'utf8').split('END\n').filter(Boolean).map((c) => c.trim().split('\n'))
      // OCI charts are pulled by Fluxgate itself (oci-pull.ts), never by `helm pull`.
      expect(calls.map((c) => c[0])).toEqual(['dependency', 'template'])
      for (const argv of calls) {
        const dd = argv.indexOf('--')
        expect(dd).toBeGreaterThan(0)
        // Before `--`: only the subcommand words and flags; every flag with a value carries it after `=`.
        const before = argv.slice(0, dd)
        const words = before.filter((a) => !a.startsWith('-'))
        expect(words).toEqual(argv[0] === 'dependency' ? ['dependency', 'build'] : [argv[0]])
        for (const f of before.filter((a) => a.startsWith('-'))) expect(['--no-hooks', '--skip-tests', '--skip-schema-validation', '--plain-http'].includes(f) || f.includes('=')).toBe(true)
      }
      const template = calls[1]!
      expect(template.slice(template.indexOf('--') + 1)).toEqual(['web', expect.stringMatching(/\/chart$/)])
    } finally {
      helm.dispose()
    }
  })
})
