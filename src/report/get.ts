import type { Diagnostic, SourceLocation } from '../core/diagnostics/diagnostic.js'
import { isJsonObject, type JsonValue, type KubeObject } from '../core/model/object.js'
import { ownerKey, type OwnerRef, type OwnerStatus } from '../core/model/render-result.js'
import { stringifyYaml12 } from '../core/yaml/index.js'

/** What `fluxgate get` lists. */
export const GET_KINDS = ['clusters', 'kustomizations', 'helmreleases', 'sources'] as const
export type GetKind = (typeof GET_KINDS)[number]

/** Output formats of `fluxgate get`, as kubectl names them. */
export const GET_FORMATS = ['table', 'wide', 'json', 'yaml'] as const
export type GetFormat = (typeof GET_FORMATS)[number]

/** An owner as flows/render shows it (masked). */
export interface ListedOwner {
  cluster: string
  ref: OwnerRef
  object: KubeObject
  parent?: OwnerRef
  status: OwnerStatus
  suspended: boolean
  prune: boolean
  dependsOn: OwnerRef[]
  location?: SourceLocation
  chart?: { name: string; version: string }
  note?: string
}

/** An object as flows/render shows it (masked). */
export interface ListedObject {
  cluster: string
  owner: OwnerRef
  source?: SourceLocation
  object: KubeObject
}

/** A render as `fluxgate get` lists it. */
export interface Listing {
  clusters: { name: string; path: string }[]
  owners: readonly ListedOwner[]
  objects: readonly ListedObject[]
  diagnostics: readonly Diagnostic[]
}

type Row = Record<string, string | number | boolean | string[] | null>

interface Column {
  header: string
  key: string
  wide?: boolean
}

const COLUMNS: Record<GetKind, Column[]> = {
  clusters: [
    { header: 'NAME', key: 'name' },
    { header: 'PATH', key: 'path' },
    { header: 'KUSTOMIZATIONS', key: 'kustomizations' },
    { header: 'HELMRELEASES', key: 'helmReleases' },
    { header: 'OBJECTS', key: 'objects' },
    { header: 'ERRORS', key: 'errors' },
    { header: 'WARNINGS', key: 'warnings' },
  ],
  kustomizations: [
    { header: 'CLUSTER', key: 'cluster' },
    { header: 'NAMESPACE', key: 'namespace' },
    { header: 'NAME', key: 'name' },
    { header: 'PATH', key: 'path' },
    { header: 'SOURCE', key: 'source', wide: true },
    { header: 'STATUS', key: 'status' },
    { header: 'OBJECTS', key: 'objects', wide: true },
    { header: 'PRUNE', key: 'prune', wide: true },
    { header: 'PARENT', key: 'parent', wide: true },
    { header: 'DEPENDS ON', key: 'dependsOn', wide: true },
    { header: 'FILE', key: 'file' },
  ],
  helmreleases: [
    { header: 'CLUSTER', key: 'cluster' },
    { header: 'NAMESPACE', key: 'namespace' },
    { header: 'NAME', key: 'name' },
    { header: 'CHART', key: 'chart' },
    { header: 'VERSION', key: 'version' },
    { header: 'SOURCE', key: 'source', wide: true },
    { header: 'STATUS', key: 'status' },
    { header: 'OBJECTS', key: 'objects', wide: true },
    { header: 'PARENT', key: 'parent', wide: true },
    { header: 'DEPENDS ON', key: 'dependsOn', wide: true },
    { header: 'FILE', key: 'file' },
  ],
  sources: [
    { header: 'CLUSTER', key: 'cluster' },
    { header: 'KIND', key: 'kind' },
    { header: 'NAMESPACE', key: 'namespace' },
    { header: 'NAME', key: 'name' },
    { header: 'URL', key: 'url' },
    { header: 'REF', key: 'ref' },
    { header: 'INTERVAL', key: 'interval', wide: true },
    { header: 'OWNER', key: 'owner', wide: true },
    { header: 'FILE', key: 'file' },
  ],
}

// Source kinds Flux reconciles artifacts from (source-controller, and the source-watcher's generators).
const SOURCE_GROUPS: ReadonlySet<string> = new Set(['source.toolkit.fluxcd.io', 'source.extensions.fluxcd.io'])

/**
 * `fluxgate get KIND`: what the render found, one row per cluster, Kustomization, HelmRelease
 * or source, with where it is declared and how it rendered; `table` and `wide` like kubectl,
 * `json` and `yaml` with every column. Input is the masked render of flows/render.
 */
export function renderListing(kind: GetKind, listing: Listing, format: GetFormat): string {
  const rows = rowsOf(kind, listing)
  if (format === 'json') return JSON.stringify(rows, null, 2) + '\n'
  if (format === 'yaml') return rows.length ? stringifyYaml12(rows as unknown as JsonValue, { lineWidth: 0 }) : '[]\n'
  const columns = COLUMNS[kind].filter((c) => format === 'wide' || !c.wide)
  if (rows.length === 0) return `No ${kind === 'helmreleases' ? 'HelmReleases' : kind === 'kustomizations' ? 'Kustomizations' : kind} found.\n`
  return table(columns.map((c) => c.header), rows.map((r) => columns.map((c) => cellText(r[c.key]))))
}

function rowsOf(kind: GetKind, l: Listing): Row[] {
  const count = (cluster: string, ref: OwnerRef): number => l.objects.filter((o) => o.cluster === cluster && ownerKey(o.owner) === ownerKey(ref)).length
  switch (kind) {
    case 'clusters':
      return l.clusters.map((c) => ({
        name: c.name,
        path: c.path,
        kustomizations: l.owners.filter((o) => o.cluster === c.name && o.ref.kind === 'Kustomization').length,
        helmReleases: l.owners.filter((o) => o.cluster === c.name && o.ref.kind === 'HelmRelease').length,
        objects: l.objects.filter((o) => o.cluster === c.name).length,
        errors: l.diagnostics.filter((d) => d.cluster === c.name && d.severity === 'error').length,
        warnings: l.diagnostics.filter((d) => d.cluster === c.name && d.severity === 'warning').length,
      }))
    case 'kustomizations':
      return l.owners
        .filter((o) => o.ref.kind === 'Kustomization')
        .map((o) => ({
          cluster: o.cluster,
          namespace: o.ref.namespace,
          name: o.ref.name,
          path: str(spec(o.object)['path']) || './',
          source: refText(spec(o.object)['sourceRef'], o.ref.namespace),
          status: statusText(o),
          objects: count(o.cluster, o.ref),
          prune: o.prune,
          parent: o.parent ? ownerKey(o.parent) : null,
          dependsOn: o.dependsOn.map(ownerKey),
          file: where(o.location),
          note: o.note ?? null,
        }))
    case 'helmreleases':
      return l.owners
        .filter((o) => o.ref.kind === 'HelmRelease')
        .map((o) => {
          const s = spec(o.object)
          const chartSpec = isJsonObject(s['chart']) && isJsonObject(s['chart']['spec']) ? s['chart']['spec'] : {}
          return {
            cluster: o.cluster,
            namespace: o.ref.namespace,
            name: o.ref.name,
            chart: o.chart?.name || str(chartSpec['chart']),
            version: o.chart?.version || str(chartSpec['version']) || '*',
            source: refText(chartSpec['sourceRef'] ?? s['chartRef'], o.ref.namespace),
            status: statusText(o),
            objects: count(o.cluster, o.ref),
            parent: o.parent ? ownerKey(o.parent) : null,
            dependsOn: o.dependsOn.map(ownerKey),
            file: where(o.location),
            note: o.note ?? null,
          }
        })
    case 'sources':
      return l.objects
        .filter((o) => SOURCE_GROUPS.has(o.object.apiVersion.split('/')[0] ?? ''))
        .map((o) => {
          const s = spec(o.object)
          return {
            cluster: o.cluster,
            kind: o.object.kind,
            namespace: o.object.metadata.namespace ?? '',
            name: o.object.metadata.name,
            url: str(s['url']) || str(s['bucketName']) || (s['chart'] !== undefined ? `chart ${str(s['chart'])}` : ''),
            ref: sourceRef(o.object.kind, s),
            interval: str(s['interval']),
            owner: ownerKey(o.owner),
            file: where(o.source),
          }
        })
  }
}

function spec(o: KubeObject): Record<string, JsonValue> {
  const s = (o as unknown as { spec?: JsonValue }).spec
  return isJsonObject(s) ? s : {}
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : ''
}

/** `GitRepository/flux-system` (the namespace only when it differs from the referrer's). */
function refText(ref: JsonValue | undefined, namespace: string): string {
  if (!isJsonObject(ref)) return ''
  const ns = str(ref['namespace'])
  return `${str(ref['kind'])}/${ns && ns !== namespace ? `${ns}/` : ''}${str(ref['name'])}`
}

/** The revision a source follows: `branch main`, `tag v1.2.0`, `semver >=1.0`, a HelmChart's version. */
function sourceRef(kind: string, s: Record<string, JsonValue>): string {
  if (kind === 'HelmChart') return str(s['version']) || '*'
  const ref = s['ref']
  if (!isJsonObject(ref)) return ''
  for (const key of ['commit', 'digest', 'name', 'tag', 'semver', 'branch']) {
    const v = str(ref[key])
    if (v) return `${key} ${v}`
  }
  return ''
}

function statusText(o: ListedOwner): string {
  return `${o.status}${o.suspended ? ' (suspended)' : ''}`
}

function where(l: SourceLocation | undefined): string {
  return l ? `${l.file}${l.line ? `:${l.line}` : ''}` : ''
}

function cellText(v: Row[string] | undefined): string {
  if (v === null || v === undefined || v === '') return '-'
  if (Array.isArray(v)) return v.length ? v.join(',') : '-'
  return String(v)
}

/** Columns padded to their widest cell, three spaces apart, as kubectl prints them. */
function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)))
  const line = (cells: string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('   ').trimEnd()
  return [line(header), ...rows.map(line)].join('\n') + '\n'
}
