import type { FileTree } from '../../ports/file-tree.js'
import type { Diagnostic, SourceLocation } from '../diagnostics/diagnostic.js'
import { findFluxObjects } from '../load/clusters.js'
import { isJsonObject, type JsonObject, type KubeObject } from '../model/object.js'

/** Namespace assumed for image objects that declare none (where `flux bootstrap` puts them). */
export const DEFAULT_NAMESPACE = 'flux-system'

interface Located {
  namespace: string
  name: string
  object: KubeObject
  location: SourceLocation
}

/** An ImageRepository (I-1, I-2). */
export interface ImageRepositoryObject extends Located {
  image: string
  insecure: boolean
  /** `spec.exclusionList` when set (it replaces Flux's default), else undefined. */
  exclusionList?: string[]
  suspended: boolean
}

/** An ImagePolicy; `object` is handed to the policy module's parser. */
export interface ImagePolicyObject extends Located {
  repositoryRef: { namespace: string; name: string }
  labels: Record<string, string>
  digestReflectionPolicy: 'Never' | 'IfNotPresent' | 'Always'
  suspended: boolean
}

/** An ImageUpdateAutomation (I-18…I-23), with the fields a pull request needs. */
export interface ImageUpdateAutomationObject extends Located {
  /** `spec.update.path`, normalised, repository-relative; '' for the root. */
  updatePath: string
  policySelector?: JsonObject
  pushBranch?: string
  checkoutBranch?: string
  messageTemplate?: string
  messageTemplateValues: Record<string, string>
  author?: { name?: string; email: string }
  suspended: boolean
}

/** Every image automation object of a repository. */
export interface ImageObjects {
  repositories: ImageRepositoryObject[]
  policies: ImagePolicyObject[]
  automations: ImageUpdateAutomationObject[]
  diagnostics: Diagnostic[]
}

const GROUP = 'image.toolkit.fluxcd.io/'

/**
 * Finds the ImageRepository, ImagePolicy and ImageUpdateAutomation objects in the YAML files
 * of `tree` (any served version). Objects without a namespace get DEFAULT_NAMESPACE and an
 * info diagnostic, since the namespace a Kustomization would give them is not known here.
 */
export function findImageObjects(tree: FileTree): ImageObjects {
  const found = findFluxObjects(tree, '')
  const out: ImageObjects = { repositories: [], policies: [], automations: [], diagnostics: [...found.diagnostics] }
  for (const { object, file, line } of found.objects) {
    if (!object.apiVersion.startsWith(GROUP)) continue
    const location = { file, line }
    const namespace = object.metadata.namespace ?? DEFAULT_NAMESPACE
    if (object.metadata.namespace === undefined) {
      out.diagnostics.push({ code: 'images/namespace-defaulted', severity: 'info', message: `${object.kind} ${object.metadata.name} has no namespace; assuming ${DEFAULT_NAMESPACE}`, location })
    }
    const base = { namespace, name: object.metadata.name, object, location }
    const spec = isJsonObject(object['spec']) ? object['spec'] : {}
    if (object.kind === 'ImageRepository') out.repositories.push(repositoryOf(base, spec))
    else if (object.kind === 'ImagePolicy') out.policies.push(policyOf(base, spec))
    else if (object.kind === 'ImageUpdateAutomation') out.automations.push(automationOf(base, spec))
  }
  return out
}

function repositoryOf(base: Located, spec: JsonObject): ImageRepositoryObject {
  const list = spec['exclusionList']
  return {
    ...base,
    image: typeof spec['image'] === 'string' ? spec['image'] : '',
    insecure: spec['insecure'] === true,
    ...(Array.isArray(list) ? { exclusionList: list.filter((x): x is string => typeof x === 'string') } : {}),
    suspended: spec['suspend'] === true,
  }
}

function policyOf(base: Located, spec: JsonObject): ImagePolicyObject {
  const ref = isJsonObject(spec['imageRepositoryRef']) ? spec['imageRepositoryRef'] : {}
  const reflect = spec['digestReflectionPolicy']
  return {
    ...base,
    repositoryRef: {
      namespace: typeof ref['namespace'] === 'string' ? ref['namespace'] : base.namespace,
      name: typeof ref['name'] === 'string' ? ref['name'] : '',
    },
    labels: base.object.metadata.labels ?? {},
    digestReflectionPolicy: reflect === 'IfNotPresent' || reflect === 'Always' ? reflect : 'Never',
    suspended: spec['suspend'] === true,
  }
}

function automationOf(base: Located, spec: JsonObject): ImageUpdateAutomationObject {
  const git = obj(spec['git'])
  const commit = obj(git['commit'])
  const author = obj(commit['author'])
  const update = obj(spec['update'])
  const values = obj(commit['messageTemplateValues'])
  const pushBranch = str(obj(git['push'])['branch'])
  const checkoutBranch = str(obj(obj(git['checkout'])['ref'])['branch'])
  const template = str(commit['messageTemplate'])
  const email = str(author['email'])
  const name = str(author['name'])
  return {
    ...base,
    updatePath: normalizeUpdatePath(str(update['path']) ?? ''),
    ...(isJsonObject(spec['policySelector']) ? { policySelector: spec['policySelector'] } : {}),
    ...(pushBranch ? { pushBranch } : {}),
    ...(checkoutBranch ? { checkoutBranch } : {}),
    ...(template !== undefined ? { messageTemplate: template } : {}),
    messageTemplateValues: Object.fromEntries(Object.entries(values).filter((e): e is [string, string] => typeof e[1] === 'string')),
    ...(email ? { author: { email, ...(name ? { name } : {}) } } : {}),
    suspended: spec['suspend'] === true,
  }
}

/**
 * `./clusters/prod/` → `clusters/prod`. I-21: the path is resolved securely inside the
 * checkout, so `..` cannot climb above the root (it stops there, like securejoin).
 */
export function normalizeUpdatePath(path: string): string {
  const out: string[] = []
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue
    if (seg === '..') out.pop()
    else out.push(seg)
  }
  return out.join('/')
}

function obj(v: unknown): JsonObject {
  return isJsonObject(v) ? v : {}
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined
}
