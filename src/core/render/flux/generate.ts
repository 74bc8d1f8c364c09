import type { FileTree } from '../../../ports/file-tree.js'
import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { isJsonObject, type JsonObject } from '../../model/object.js'
import { isYamlFile, parseYamlDocs } from '../../load/yaml-docs.js'

/** The kustomization file names kustomize recognises, in the order Flux checks them (K-3). */
export const KUSTOMIZATION_FILES = Object.freeze(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])

/** The kustomization a build directory uses: the user's file, or the one Flux generates. */
export type FoundKustomization =
  | { ok: true; file: string; content: JsonObject; generated: boolean }
  | { ok: false; diagnostic: Diagnostic }

/** The kustomization file in `dir`, if any (K-3): first regular file of the three names. */
export function kustomizationFileIn(tree: FileTree, dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const p = dir ? `${dir}/${name}` : name
    if (tree.stat(p)?.type === 'file') return p
  }
  return undefined
}

/** Finds the kustomization in `dir` or generates one exactly as Flux does (K-3 … K-5). */
export function findOrGenerateKustomization(tree: FileTree, dir: string): FoundKustomization {
  const existing = kustomizationFileIn(tree, dir)
  if (existing) {
    const { docs, diagnostics } = parseYamlDocs(tree.readFile(existing) ?? new Uint8Array(), existing)
    if (diagnostics.length > 0) return { ok: false, diagnostic: { ...diagnostics[0]!, code: 'kustomize/invalid-kustomization' } }
    const content = docs[0]?.value
    return { ok: true, file: existing, content: isJsonObject(content) ? content : {}, generated: false }
  }
  const resources: string[] = []
  const failure = scan(tree, dir, dir, resources)
  if (failure) return { ok: false, diagnostic: failure }
  const content: JsonObject = { apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' }
  // An empty kustomization is rejected by kustomize; Flux sets a placeholder namespace (K-5).
  if (resources.length === 0) content['namespace'] = '_placeholder'
  else content['resources'] = resources
  return { ok: true, file: dir ? `${dir}/kustomization.yaml` : 'kustomization.yaml', content, generated: true }
}

// K-4: Go filepath.Walk order; a sub-directory with a kustomization is one entry and not
// descended into; every .yaml/.yml file must decode as Kubernetes objects or the build fails.
function scan(tree: FileTree, base: string, dir: string, out: string[]): Diagnostic | undefined {
  for (const name of tree.list(dir)) {
    const p = dir ? `${dir}/${name}` : name
    const st = tree.stat(p)
    if (st?.type === 'dir') {
      if (kustomizationFileIn(tree, p)) {
        out.push(relative(base, p))
        continue
      }
      const failure = scan(tree, base, p, out)
      if (failure) return failure
      continue
    }
    if (st?.type !== 'file' || !isYamlFile(name)) continue
    const failure = checkManifest(tree, p)
    if (failure) return failure
    out.push(relative(base, p))
  }
  return undefined
}

function checkManifest(tree: FileTree, file: string): Diagnostic | undefined {
  const { docs, diagnostics } = parseYamlDocs(tree.readFile(file) ?? new Uint8Array(), file)
  const fail = (message: string, line?: number): Diagnostic => ({
    code: 'kustomize/not-kubernetes-yaml',
    severity: 'error',
    message: `failed to decode Kubernetes YAML from ${file}: ${message} (Flux generates a kustomization listing every YAML file, K-4)`,
    location: { file, ...(line ? { line } : {}) },
  })
  if (diagnostics.length > 0) return fail(diagnostics[0]!.message, diagnostics[0]!.location?.line)
  for (const d of docs) {
    if (d.value === null || d.value === undefined) continue
    if (!isJsonObject(d.value)) return fail('document is not a map', d.line)
    const kind = d.value['kind']
    if (typeof kind !== 'string' || kind === '') return fail("missing Resource metadata: 'kind' is required", d.line)
    if (kind.endsWith('List')) continue
    const meta = d.value['metadata']
    if (!isJsonObject(meta) || typeof meta['name'] !== 'string' || meta['name'] === '') return fail("missing metadata.name", d.line)
  }
  return undefined
}

function relative(base: string, p: string): string {
  return './' + (base ? p.slice(base.length + 1) : p)
}
