import type { FileTree } from '../../ports/file-tree.js'
import { isJsonObject, type JsonObject } from '../model/object.js'
import { normalizeGitUrl } from './repo-url.js'
import { parseYaml12 } from '../yaml/index.js'

/** An OCI artifact a workflow of this repository pushes from one of its folders. */
export interface PushedArtifact {
  /** `host/path` of the OCI repository (no `oci://`, no tag), lower case. */
  repository: string
  /** Repository folder the artifact is built from (`''`: the root). */
  path: string
  file: string
}

const WORKFLOWS = '.github/workflows'
const MAX_WORKFLOW_BYTES = 512 * 1024
const MAX_MATRIX_VALUES = 64

/**
 * The OCI artifacts this repository's GitHub workflows push, and from which folder: the
 * Flux Operator's `distribution/actions/push` step (`repository`, `path`) and
 * `flux push artifact oci://… --path=…` in a `run` script. `${{ github.repository }}`,
 * `${{ github.repository_owner }}` and `${{ matrix.x }}` (each value of a listed matrix) are
 * filled in; a step with any other expression is left out, as its target cannot be known.
 */
export function pushedArtifacts(tree: FileTree, repoUrl: string | undefined): PushedArtifact[] {
  const slug = githubSlug(repoUrl)
  const out: PushedArtifact[] = []
  for (const name of tree.list(WORKFLOWS)) {
    if (!/\.ya?ml$/.test(name)) continue
    const file = `${WORKFLOWS}/${name}`
    const bytes = tree.readFile(file)
    if (!bytes || bytes.byteLength > MAX_WORKFLOW_BYTES) continue
    let doc: unknown
    try {
      doc = parseYaml12(new TextDecoder().decode(bytes))
    } catch {
      continue
    }
    const jobs = isJsonObject(doc) && isJsonObject(doc['jobs']) ? doc['jobs'] : {}
    for (const job of Object.values(jobs)) {
      if (!isJsonObject(job)) continue
      const steps = Array.isArray(job['steps']) ? job['steps'].filter(isJsonObject) : []
      for (const binding of matrixBindings(job)) {
        for (const step of steps) {
          for (const push of pushesOf(step)) {
            // The tag (`:$(git rev-parse HEAD)`, `:latest`) does not name the repository.
            const repository = fill(withoutTag(push.repository), binding, slug)
            const path = fill(push.path, binding, slug)
            if (repository === undefined || path === undefined) continue
            out.push({ repository: repository.toLowerCase(), path: folder(path), file })
          }
        }
      }
    }
  }
  return out
}

/** The OCI repository (`host/path`, lower case, no scheme or tag) of an `oci://` URL. */
export function ociRepository(url: string): string {
  return withoutTag(url).toLowerCase()
}

function withoutTag(url: string): string {
  let u = url.trim().replace(/^oci:\/\//, '')
  const at = u.indexOf('@')
  if (at >= 0) u = u.slice(0, at)
  const colon = u.lastIndexOf(':')
  if (colon > u.lastIndexOf('/')) u = u.slice(0, colon)
  return u.replace(/\/+$/, '')
}

function pushesOf(step: JsonObject): { repository: string; path: string }[] {
  const out: { repository: string; path: string }[] = []
  const uses = typeof step['uses'] === 'string' ? step['uses'] : ''
  const w = isJsonObject(step['with']) ? step['with'] : {}
  if (/^controlplaneio-fluxcd\/distribution\/actions\/push@/.test(uses) && typeof w['repository'] === 'string') {
    out.push({ repository: w['repository'], path: typeof w['path'] === 'string' ? w['path'] : '.' })
  }
  // Expressions lose their inner spaces so a command line splits into its arguments.
  const run = (typeof step['run'] === 'string' ? step['run'] : '').replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, '$${{$1}}')
  // One command per logical line: backslash continuations joined.
  for (const line of run.replace(/\\\r?\n/g, ' ').split('\n')) {
    const m = /\bflux\s+push\s+artifact\s+(.*)$/.exec(line)
    if (!m) continue
    const args = m[1]!.split(/\s+/).map(unquote)
    const url = args.find((a) => a.startsWith('oci://'))
    const pathAt = args.findIndex((a) => a === '--path' || a.startsWith('--path='))
    const path = pathAt < 0 ? undefined : unquote(args[pathAt]!.startsWith('--path=') ? args[pathAt]!.slice('--path='.length) : (args[pathAt + 1] ?? ''))
    if (url && path) out.push({ repository: url, path })
  }
  return out
}

function unquote(s: string): string {
  return s.replace(/^["']|["']$/g, '')
}

/** Every binding of a job's matrix keys to one of their listed values (one empty binding without a matrix). */
function matrixBindings(job: JsonObject): Map<string, string>[] {
  const strategy = isJsonObject(job['strategy']) ? job['strategy'] : {}
  const matrix = isJsonObject(strategy['matrix']) ? strategy['matrix'] : {}
  let out: Map<string, string>[] = [new Map()]
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values)) continue
    const scalars = values.filter((v) => typeof v === 'string' || typeof v === 'number').map(String)
    const next: Map<string, string>[] = []
    for (const b of out) for (const v of scalars) next.push(new Map([...b, [key, v]]))
    if (next.length > MAX_MATRIX_VALUES) return out
    out = next
  }
  return out
}

/** A workflow string with its expressions filled in, or undefined when one cannot be known. */
function fill(text: string, matrix: ReadonlyMap<string, string>, slug: { repository: string; owner: string } | undefined): string | undefined {
  let unknown = false
  const filled = text.replace(/\$\{\{\s*([\w.-]+)\s*\}\}/g, (_m, expr: string) => {
    if (expr === 'github.repository' && slug) return slug.repository
    if (expr === 'github.repository_owner' && slug) return slug.owner
    const key = /^matrix\.([\w-]+)$/.exec(expr)?.[1]
    const v = key ? matrix.get(key) : undefined
    if (v !== undefined) return v
    unknown = true
    return ''
  })
  if (unknown || /\$\{\{|\$[A-Za-z_{(]/.test(filled)) return undefined
  return filled
}

/** `owner/name` of a GitHub repository URL. */
function githubSlug(repoUrl: string | undefined): { repository: string; owner: string } | undefined {
  if (!repoUrl) return undefined
  const m = /^github\.com\/([^/]+)\/([^/]+)$/.exec(normalizeGitUrl(repoUrl))
  return m ? { repository: `${m[1]}/${m[2]}`, owner: m[1]! } : undefined
}

/** A workflow path as a repository folder, `..` clamped at the root (it never leaves the repository). */
function folder(p: string): string {
  const out: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return out.join('/')
}
