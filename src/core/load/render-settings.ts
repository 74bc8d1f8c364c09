import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { isJsonObject } from '../model/object.js'
import { parseYaml12, YamlError } from '../yaml/index.js'

/**
 * What `.github/fluxgate.yml` says about rendering (beside the gate's settings):
 *
 * ```yaml
 * sources:                       # sources that carry this repository: Kind/namespace/name → folder
 *   OCIRepository/flux-system/apps: ./kubernetes/apps
 * clusterNames:                  # names of remote clusters, by their kubeConfig Secret namespace/name
 *   production/cluster-kubeconfig: production
 * ```
 */
export interface RenderSettings {
  sources: Map<string, string>
  clusterNames: Map<string, string>
  diagnostics: Diagnostic[]
}

const FILE = '.github/fluxgate.yml'
const SOURCE_KINDS = new Set(['GitRepository', 'OCIRepository', 'Bucket', 'ExternalArtifact'])
const NAME = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/

/** The render settings of the file's text; problems are `settings/invalid` warnings, the rest still applies. */
export function parseRenderSettings(text: string | undefined): RenderSettings {
  const out: RenderSettings = { sources: new Map(), clusterNames: new Map(), diagnostics: [] }
  if (text === undefined) return out
  let data: unknown
  try {
    data = parseYaml12(text)
  } catch (err) {
    if (!(err instanceof YamlError)) throw err
    return out // the gate's parser reports the broken file
  }
  if (!isJsonObject(data)) return out
  const warn = (message: string): void => {
    out.diagnostics.push({ code: 'settings/invalid', severity: 'warning', message, location: { file: FILE } })
  }
  const sources = data['sources']
  if (sources !== undefined) {
    if (!isJsonObject(sources)) warn('sources must map Kind/namespace/name to a folder of the repository')
    else
      for (const [key, value] of Object.entries(sources)) {
        const m = sourceMapping(key, typeof value === 'string' ? value : '')
        if ('error' in m) warn(`sources.${key}: ${m.error}`)
        else out.sources.set(m.key, m.path)
      }
  }
  const names = data['clusterNames']
  if (names !== undefined) {
    if (!isJsonObject(names)) warn('clusterNames must map a kubeConfig Secret namespace/name to a cluster name')
    else
      for (const [key, value] of Object.entries(names)) {
        if (typeof value !== 'string' || value.trim() === '' || /[\n\r]/.test(value)) warn(`clusterNames.${key} must be a one-line name`)
        else out.clusterNames.set(key, value.trim())
      }
  }
  return out
}

/**
 * One source mapping (`--source KIND/NS/NAME=PATH`, or a `sources:` entry): the key checked
 * against Flux's source kinds and Kubernetes names, the folder kept inside the repository.
 */
export function sourceMapping(key: string, path: string): { key: string; path: string } | { error: string } {
  const [kind, namespace, name, ...rest] = key.split('/')
  if (!kind || !SOURCE_KINDS.has(kind) || !namespace || !name || rest.length > 0 || !NAME.test(namespace) || !NAME.test(name)) {
    return { error: `'${key}' is not Kind/namespace/name of a GitRepository, OCIRepository, Bucket or ExternalArtifact` }
  }
  const segs = path.split('/').filter((s) => s !== '' && s !== '.')
  if (path.trim() === '') return { error: 'the folder is empty' }
  if (segs.includes('..')) return { error: `folder '${path}' leaves the repository` }
  return { key: `${kind}/${namespace}/${name}`, path: segs.join('/') }
}

/** `KIND/NS/NAME=PATH` as given on the command line. */
export function parseSourceFlag(flag: string): { key: string; path: string } | { error: string } {
  const eq = flag.indexOf('=')
  if (eq < 0) return { error: `--source ${flag}: expected KIND/NAMESPACE/NAME=PATH` }
  const m = sourceMapping(flag.slice(0, eq), flag.slice(eq + 1))
  return 'error' in m ? { error: `--source ${flag}: ${m.error}` } : m
}
