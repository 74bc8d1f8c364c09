/**
 * Hostile fleets for the security suites: a one-cluster fleet whose `apps` Kustomization holds
 * what a test adds, planned head against base with the real helm, and everything a reviewer
 * would see (comment, check run, JSON) gathered into one text to search for leaks.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { MemoryTree } from '../../src/core/tree/memory-tree.js'
import type { Verdict } from '../../src/core/gate/index.js'
import { planTrees, verdictOf, type PlannedChange } from '../../src/flows/plan.js'
import { HelmCli } from '../../src/infra/helm-cli.js'
import { checkOutput, renderComment, renderJobSummary, renderJson, renderText } from '../../src/report/index.js'
import { fluxKs, gotkSync } from '../render/fixtures.js'

/** The packaged helm binaries the attacks are tried with. */
export const HELMS = { helm3: resolve('.tools/helm3/helm'), helm4: resolve('.tools/helm4/helm') } as const

/** A small local chart: one ConfigMap named after the release, plus what a test adds. */
export function chart(extra: Record<string, string | Uint8Array> = {}, dir = 'charts/web'): Record<string, string | Uint8Array> {
  return {
    [`${dir}/Chart.yaml`]: 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
    [`${dir}/values.yaml`]: 'message: hello\n',
    [`${dir}/templates/cm.yaml`]: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}-config\ndata:\n  message: {{ .Values.message | quote }}\n',
    ...Object.fromEntries(Object.entries(extra).map(([p, v]) => [`${dir}/${p}`, v])),
  }
}

/** A HelmRelease of the Git chart at ./charts/web; `spec` is YAML indented by two spaces. */
export function gitRelease(spec = '', name = 'web', namespace = 'apps'): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: ${namespace}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/web
      sourceRef: {kind: GitRepository, name: flux-system, namespace: flux-system}
${spec}`
}

/** The fleet: cluster `dev`, Kustomization `apps` at ./apps listing `resources`, plus `files`. */
export function fleet(apps: Record<string, string>, files: Record<string, string | Uint8Array> = {}, ksExtra = ''): Record<string, string | Uint8Array> {
  return {
    'clusters/dev/flux-system/gotk-sync.yaml': gotkSync('dev'),
    'clusters/dev/apps.yaml': fluxKs('apps', './apps', ksExtra),
    'apps/kustomization.yaml': `resources:\n${Object.keys(apps).map((f) => `  - ${f}`).join('\n')}\n`,
    ...Object.fromEntries(Object.entries(apps).map(([f, text]) => [`apps/${f}`, text])),
    ...chart(),
    ...files,
  }
}

/** Namespace `apps`, so the plain fleet has something to render. */
export const NAMESPACE = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: apps\n'

/** A planned change and everything published from it. */
export interface Reviewed {
  planned: PlannedChange
  verdict: Verdict
  /** Comment parts, job summary, check-run output, JSON and text reports, joined. */
  published: string
}

/** Plans `head` against `base` (both file records) as a trusted pull request, with `helmPath`. */
export async function review(base: Record<string, string | Uint8Array>, head: Record<string, string | Uint8Array>, opts: { helmPath?: string; trusted?: boolean; remoteCharts?: boolean } = {}): Promise<Reviewed> {
  const helm = new HelmCli({ helmPath: opts.helmPath ?? HELMS.helm4 })
  try {
    const planned = await planTrees({
      origin: opts.trusted === false ? { kind: 'local-untrusted' } : { kind: 'local' },
      from: { tree: MemoryTree.fromRecord(base), revision: 'a'.repeat(40), label: 'main' },
      to: { tree: MemoryTree.fromRecord(head), revision: 'b'.repeat(40), label: 'feature' },
      settings: MemoryTree.fromRecord(base),
      repoUrl: 'https://github.com/example/fleet',
      branch: 'main',
      offline: opts.remoteCharts !== true,
      helm,
    })
    const verdict = verdictOf(planned, [])
    const published = [
      ...renderComment(planned.plan),
      renderJobSummary(planned.plan),
      JSON.stringify(checkOutput(verdict, [], planned.plan.head.sha)),
      renderJson(planned.plan, { verdict }),
      renderText(planned.plan, { color: false }),
    ].join('\n')
    return { planned, verdict, published }
  } finally {
    helm.dispose()
  }
}

/** Every diagnostic of the head render and the plan, as `code: message`. */
export function headDiagnostics(r: Reviewed): string[] {
  const f = r.planned.headFleet
  return [...f.diagnostics, ...f.clusters.flatMap((c) => c.diagnostics), ...r.planned.plan.diagnostics].map((d) => `${d.code}: ${d.message}`)
}

/** A fresh folder under the temp dir; `mark` is a file that must never be created. */
export function scratch(): { dir: string; mark: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-attack-'))
  return { dir, mark: join(dir, 'PWNED'), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** True when anything was created in `dir` besides the listed names. */
export function touched(dir: string, allowed: string[] = []): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => !allowed.includes(f))
}
