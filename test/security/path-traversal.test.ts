/**
 * Attack class: chart paths that leave their source. A Git chart's `valuesFiles:
 * [../../../../tmp/host/secret.yaml]` read a host file (and told whether one existed, and
 * quoted the first line of a non-YAML one); a Git tree with `..` entries under a chart wrote
 * outside the temporary folder when the chart was copied; a remote chart's symlink
 * `files/passwd -> /etc/passwd` was followed by `.Files.Get`.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describeWith } from '../support/components.js'
import { indexRepo, serveDir } from '../render/support.js'
import { chart, fleet, gitRelease, headDiagnostics, HELMS, NAMESPACE, review, scratch } from './support.js'

const HOST_CANARY = 'HOSTFILE-canary-9b2e41aa'
const up = '../'.repeat(24)

describeWith(['helm'], 'chart paths never leave the chart source', () => {
  let s: ReturnType<typeof scratch>
  beforeEach(() => {
    s = scratch()
    writeFileSync(join(s.dir, 'secret.yaml'), `token: ${HOST_CANARY}\n`)
    writeFileSync(join(s.dir, 'notyaml.txt'), `${HOST_CANARY}: [unclosed\n`)
  })
  afterEach(() => s.cleanup())

  const valuesChart = () => chart({ 'templates/token.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: token\ndata:\n  token: {{ .Values.token | default "none" | quote }}\n' })
  const withValuesFiles = (files: string[], extra = '') => `      valuesFiles: [${files.map((f) => JSON.stringify(f)).join(', ')}]\n${extra}`
  const release = (chartExtra: string) => gitRelease().replace('      sourceRef:', `${chartExtra}      sourceRef:`)

  for (const [label, path] of [
    ['relative with ..', `${up}${s0()}/secret.yaml`],
    ['absolute', `${s0()}/secret.yaml`],
    ['a non-YAML host file', `${up}${s0()}/notyaml.txt`],
  ] as const) {
    it(`Git chart valuesFiles ${label}: no host file is read, and its existence is not told`, async () => {
      const p = path.replace('SCRATCH', s.dir.slice(1))
      const missing = p.replace(/[^/]+$/, 'no-such-file.yaml')
      const head = (f: string) => fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': release(withValuesFiles([f])) }, valuesChart())
      const base = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': release('') }, valuesChart())
      const hit = await review(base, head(p))
      const miss = await review(base, head(missing))
      expect(hit.published).not.toContain(HOST_CANARY)
      const errors = (r: typeof hit) => headDiagnostics(r).filter((d) => d.startsWith('helm/')).map((d) => d.replace(/'[^']*'/g, "'…'"))
      // The same answer whether the host file exists or not: an error about the repository's own path.
      expect(errors(hit)).toEqual(errors(miss))
      expect(errors(hit)).toEqual([expect.stringMatching(/^helm\/template-failed: no values file found at path/)])
      expect(hit.verdict.conclusion).toBe('failure')
    })
  }

  it('Git chart valuesFiles with .. resolve inside the repository as source-controller does (securejoin)', async () => {
    const head = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': release(withValuesFiles([`${up}values/prod.yaml`])) }, { ...valuesChart(), 'values/prod.yaml': 'token: from-the-repository\n' })
    const r = await review(head, head)
    const token = r.planned.headFleet.clusters[0]!.objects.find((o) => o.object.metadata.name === 'token')
    expect(token?.object['data']).toEqual({ token: 'from-the-repository' })
  })

  it('a Git tree with .. entries under a chart writes nothing outside the temporary folder', async () => {
    const outside = join(tmpdir(), `fluxgate-escape-${process.pid}`)
    rmSync(outside, { recursive: true, force: true })
    const escape = `charts/web/${up}${outside.slice(1)}/pwned.yaml`
    const head = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': gitRelease() }, { [escape]: 'written: outside\n' })
    const r = await review(fleet({ 'namespace.yaml': NAMESPACE }), head)
    expect(existsSync(outside)).toBe(false)
    expect(headDiagnostics(r)).toContainEqual(expect.stringMatching(/^helm\/template-failed: chart path .* leaves the chart's source/))
    expect(r.verdict.conclusion).toBe('failure')
  })

  for (const [name, helmPath] of Object.entries(HELMS)) {
    it(`${name}: a remote chart's symlink to a host file is read as an empty file, as Helm reads archives`, async () => {
      const repo = join(s.dir, 'repo')
      const src = join(s.dir, 'src', 'web')
      mkdirSync(join(src, 'templates'), { recursive: true })
      mkdirSync(join(src, 'files'), { recursive: true })
      mkdirSync(repo)
      writeFileSync(join(src, 'Chart.yaml'), 'apiVersion: v2\nname: web\nversion: 1.0.0\n')
      writeFileSync(join(src, 'templates', 'leak.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n  passwd: {{ .Files.Get "files/passwd" | quote }}\n  values: {{ .Values | toJson | quote }}\n')
      symlinkSync(join(s.dir, 'secret.yaml'), join(src, 'files', 'passwd'))
      symlinkSync(join(s.dir, 'secret.yaml'), join(src, 'values-prod.yaml'))
      // Packed as an attacker would, links kept as links (helm package would follow them).
      execFileSync('tar', ['-czf', join(repo, 'web-1.0.0.tgz'), '-C', join(s.dir, 'src'), 'web'])
      indexRepo(repo)
      const server = await serveDir(repo)
      try {
        const helmRepo = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: HelmRepository\nmetadata:\n  name: charts\n  namespace: apps\nspec:\n  interval: 10m\n  url: ${server.url}\n`
        const hr = (extra: string) => `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: apps\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: web\n      version: 1.0.0\n${extra}      sourceRef: {kind: HelmRepository, name: charts}\n`
        for (const extra of ['', withValuesFiles(['values-prod.yaml']), withValuesFiles([`${up}${s.dir.slice(1)}/secret.yaml`]), withValuesFiles([`${s.dir}/secret.yaml`])]) {
          const head = fleet({ 'namespace.yaml': NAMESPACE, 'repo.yaml': helmRepo, 'web.yaml': hr(extra) })
          const r = await review(fleet({ 'namespace.yaml': NAMESPACE }), head, { helmPath, remoteCharts: true })
          expect(r.published).not.toContain(HOST_CANARY)
          if (extra === '') {
            const leak = r.planned.headFleet.clusters[0]!.objects.find((o) => o.object.metadata.name === 'leak')
            expect(leak?.object['data']).toMatchObject({ passwd: '' })
          } else if (extra.includes('secret.yaml')) {
            expect(headDiagnostics(r)).toContainEqual(expect.stringMatching(/no values file found at path/))
          }
        }
      } finally {
        await server.stop()
      }
    })
  }
})

/** Where the scratch folder will be, as a placeholder filled in per test (paths are built before it exists). */
function s0(): string {
  return '/SCRATCH'
}
