import type { Diagnostic } from '../../diagnostics/diagnostic.js'
import { renderTemplate } from '../../gotemplate/exec.js'
import { TemplateError } from '../../gotemplate/parse.js'
import { fromPlain, SPRIG_FUNCS } from '../../gotemplate/sprig.js'
import type { TemplateFunc } from '../../gotemplate/funcs.js'
import { decodeBase64 } from '../../model/base64.js'
import { isJsonObject, isKubeObject, type JsonObject, type JsonValue, type KubeObject } from '../../model/object.js'
import { setOwn } from '../../model/own.js'
import type { OwnerStatus } from '../../model/render-result.js'
import { groupOf } from '../../model/resource-id.js'
import { emitDocument, readYaml11 } from '../../yaml/index.js'
import { applyCommonMetadata, setMeta } from '../common-metadata.js'
import { normalize } from './post-build.js'

/** What a ResourceSet yields: the objects flux-operator would apply, or why none. */
export interface ResourceSetRender {
  status: OwnerStatus
  objects: KubeObject[]
  diagnostics: Diagnostic[]
  note?: string
}

/** Reads ConfigMaps and Secrets of the cluster render (for `copyFrom`). */
export type ConfigLookup = (kind: 'ConfigMap' | 'Secret', namespace: string, name: string) => KubeObject | undefined

const GROUP = 'fluxcd.controlplane.io'
const OWNER_LABEL = `resourceset.${GROUP}`
const RECONCILE = `${GROUP}/reconcile`
const COPY_FROM = `${GROUP}/copyFrom`
/** The operator stalls a ResourceSet with more input permutations than this. */
const MAX_INPUT_SETS = 10_000
const MAX_OBJECTS = 5_000
/** Template executions (input sets × templates) one ResourceSet may take. */
const MAX_EXECUTIONS = 50_000

/**
 * Expands a Flux Operator ResourceSet as flux-operator's builder does (internal/builder/
 * resourceset.go): each resource template is printed as YAML (sigs.k8s.io/yaml), executed as
 * a Go text/template with `<< >>` delimiters, slim-sprig functions, `inputs`, `toYaml`,
 * `slugify` and `missingkey=error`, once per input set, and read back; objects are
 * deduplicated by group, kind, namespace and name, and dropped when their
 * `fluxcd.controlplane.io/reconcile` annotation is `disabled`. `resourcesTemplate` and
 * `steps` work the same way. Then the apply steps: owner labels, `commonMetadata`, `copyFrom`
 * from ConfigMaps and Secrets the render holds, normalisation.
 *
 * Inline inputs (`spec.inputs`) are known; inputs from ResourceSetInputProviders (pull
 * requests, tags, registries) come from outside the repository and are reported as unknown.
 */
export function renderResourceSet(rset: KubeObject, lookup: ConfigLookup): ResourceSetRender {
  const spec = isJsonObject(rset['spec']) ? rset['spec'] : {}
  const name = rset.metadata.name
  const namespace = rset.metadata.namespace ?? 'default'
  const diagnostics: Diagnostic[] = []
  const steps = Array.isArray(spec['steps']) ? spec['steps'].filter(isJsonObject) : []
  const resources = Array.isArray(spec['resources']) ? spec['resources'] : []
  const template = typeof spec['resourcesTemplate'] === 'string' ? spec['resourcesTemplate'] : ''
  if (steps.length > 0 && (resources.length > 0 || template !== '')) return failed('spec.steps is mutually exclusive with spec.resources and spec.resourcesTemplate')

  const providers = Array.isArray(spec['inputsFrom']) ? spec['inputsFrom'].filter(isJsonObject) : []
  const strategy = isJsonObject(spec['inputStrategy']) && typeof spec['inputStrategy']['name'] === 'string' ? spec['inputStrategy']['name'] : 'Flatten'
  const inline = (Array.isArray(spec['inputs']) ? spec['inputs'] : []).filter(isJsonObject).map((i) => withProvider(i, rset))
  if (providers.length > 0) {
    const names = providers.map((p) => (typeof p['name'] === 'string' ? p['name'] : 'a label selector')).join(', ')
    const known = strategy !== 'Permute' && inline.length > 0
    diagnostics.push({
      code: 'render/resourceset-external-inputs',
      severity: known ? 'info' : 'warning',
      message: `ResourceSet ${namespace}/${name} takes inputs from ResourceSetInputProvider ${names}: they come from outside the repository (pull requests, tags, registries) and are unknown here; ${known ? 'only its inline inputs are rendered' : 'nothing it generates from them is rendered'}`,
    })
    if (!known) return { status: 'external', objects: [], diagnostics, note: 'its inputs come from ResourceSetInputProviders, outside the repository' }
  }
  if (inline.length > MAX_INPUT_SETS) return failed(`more than ${MAX_INPUT_SETS} input sets`)

  let built: KubeObject[]
  try {
    if (steps.length > 0) {
      built = []
      const stepOf = new Map<string, string>()
      for (const step of steps) {
        const stepName = typeof step['name'] === 'string' ? step['name'] : ''
        const stepResources = Array.isArray(step['resources']) ? step['resources'] : []
        const stepTemplate = typeof step['resourcesTemplate'] === 'string' ? step['resourcesTemplate'] : ''
        if (stepResources.length === 0 && stepTemplate === '') return failed(`step "${stepName}": at least one of resources or resourcesTemplate must be set`)
        for (const o of buildSet(stepTemplate, stepResources, inline)) {
          const key = objectKey(o)
          const prev = stepOf.get(key)
          if (prev !== undefined && prev !== stepName) return failed(`duplicate resource ${fmt(o)} in step "${stepName}", already defined in step "${prev}"`)
          stepOf.set(key, stepName)
          built.push(o)
        }
      }
    } else built = buildSet(template, resources, inline)
  } catch (err) {
    if (err instanceof TemplateError || err instanceof BuildError) return failed(err.message)
    throw err
  }

  for (const o of built) {
    setMeta(o, 'labels', { [`${OWNER_LABEL}/name`]: name, [`${OWNER_LABEL}/namespace`]: namespace })
    const cm = isJsonObject(spec['commonMetadata']) ? spec['commonMetadata'] : undefined
    if (cm) applyCommonMetadata(o, cm)
    const copied = copyFrom(o, lookup)
    if (copied) diagnostics.push({ code: 'render/resourceset-copy-unknown', severity: 'info', message: `ResourceSet ${namespace}/${name}: ${fmt(o)} copies its data from ${copied}, which the cluster holds outside Git: its data is unknown here` })
    normalize(o)
  }
  return { status: 'rendered', objects: built, diagnostics }

  function failed(message: string): ResourceSetRender {
    const m = `ResourceSet ${namespace}/${name}: ${message}`
    return { status: 'failed', objects: [], diagnostics: [...diagnostics, { code: 'render/resourceset-build-failed', severity: 'error', message: m }], note: message }
  }
}

class BuildError extends Error {}

/** BuildResourceSet: templated resources, then the multi-document template, deduplicated. */
function buildSet(template: string, resources: JsonValue[], inputs: JsonObject[]): KubeObject[] {
  if (Math.max(1, inputs.length) * (resources.length + (template ? 1 : 0)) > MAX_EXECUTIONS) throw new BuildError(`${inputs.length} input sets × ${resources.length + (template ? 1 : 0)} templates is more than ${MAX_EXECUTIONS} expansions`)
  const out: KubeObject[] = []
  const keys = new Set<string>()
  const add = (o: KubeObject, dedup: boolean): void => {
    const key = objectKey(o)
    if (dedup && keys.has(key)) return
    if (out.length >= MAX_OBJECTS) throw new BuildError(`generates more than ${MAX_OBJECTS} objects`)
    keys.add(key)
    out.push(o)
  }
  resources.forEach((tmpl, i) => {
    if (!isJsonObject(tmpl)) throw new BuildError(`resources[${i}] is not an object`)
    const text = emitDocument(tmpl)
    if (inputs.length === 0) {
      add(readObject(run(text, undefined), `resources[${i}]`), false)
      return
    }
    for (const input of inputs) {
      const o = readObject(run(text, input), `resources[${i}]`)
      if (o.metadata.annotations?.[RECONCILE] === 'disabled') continue
      add(o, true)
    }
  })
  if (template !== '') {
    const objects = inputs.length === 0 ? readObjects(run(template, undefined)) : inputs.flatMap((input) => readObjects(run(template, input)))
    for (const o of objects) if (o.metadata.annotations?.[RECONCILE] !== 'disabled') add(o, true)
  }
  return out
}

function run(text: string, input: JsonObject | undefined): string {
  const funcs = new Map<string, TemplateFunc>(SPRIG_FUNCS)
  const data = input === undefined ? undefined : fromPlain(input)
  funcs.set('inputs', () => data)
  return renderTemplate(text, undefined, { delims: ['<<', '>>'], funcs, missingKey: 'error', context: 'ResourceSet templates', maxOutput: 4 * 1024 * 1024 })
}

/** ssautil.ReadObject: one object from YAML (sigs.k8s.io/yaml, YAML 1.1). */
function readObject(text: string, what: string): KubeObject {
  const r = readYaml11(text)
  if (!r.ok) throw new BuildError(`failed to read object of ${what}: ${r.error}`)
  if (!isKubeObject(r.value)) throw new BuildError(`${what} is not a Kubernetes object (apiVersion, kind and metadata.name are required)`)
  return r.value
}

/**
 * ssautil.ReadObjects: documents split as apimachinery's YAMLReader splits them (a line that
 * starts with `---`, then only spaces or a comment), each read as sigs.k8s.io/yaml reads it;
 * empty documents are skipped.
 */
function readObjects(text: string): KubeObject[] {
  const out: KubeObject[] = []
  const docs: string[] = []
  let cur: string[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('---') && /^(\s*|\s*#.*)$/.test(line.slice(3))) {
      docs.push(cur.join('\n'))
      cur = []
    } else cur.push(line)
  }
  docs.push(cur.join('\n'))
  for (const doc of docs) {
    const r = readYaml11(doc)
    if (!r.ok) throw new BuildError(`failed to read objects from the multi-document template: ${r.error}`)
    if (r.value === null) continue
    if (!isKubeObject(r.value)) throw new BuildError('a document of the multi-document template is not a Kubernetes object')
    out.push(r.value)
  }
  return out
}

/** inputs.provider: who gave the input set (here always the ResourceSet itself). */
function withProvider(input: JsonObject, rset: KubeObject): JsonObject {
  return { ...input, provider: { apiVersion: `${GROUP}/v1`, kind: 'ResourceSet', name: rset.metadata.name, namespace: rset.metadata.namespace ?? 'default' } }
}

/** Copies a ConfigMap's or Secret's data from `copyFrom`; returns the source when it is not in the render. */
function copyFrom(o: KubeObject, lookup: ConfigLookup): string | undefined {
  if (o.apiVersion !== 'v1' || (o.kind !== 'ConfigMap' && o.kind !== 'Secret')) return undefined
  const from = o.metadata.annotations?.[COPY_FROM]
  if (from === undefined) return undefined
  const [ns, n, extra] = from.split('/')
  if (!ns || !n || extra !== undefined) return `${o.kind} ${from} (not namespace/name)`
  const src = lookup(o.kind, ns, n)
  if (!src) return `${o.kind} ${from}`
  if (o.kind === 'ConfigMap') {
    if (isJsonObject(src['data'])) o['data'] = { ...src['data'] }
    if (isJsonObject(src['binaryData'])) o['binaryData'] = { ...src['binaryData'] }
    return undefined
  }
  if (o['type'] === undefined) o['type'] = typeof src['type'] === 'string' && src['type'] ? src['type'] : 'Opaque'
  const data: JsonObject = {}
  for (const [k, v] of Object.entries(isJsonObject(src['data']) ? src['data'] : {})) if (typeof v === 'string') setOwn(data, k, decodeBase64(v))
  for (const [k, v] of Object.entries(isJsonObject(src['stringData']) ? src['stringData'] : {})) setOwn(data, k, v)
  o['stringData'] = data
  return undefined
}

function objectKey(o: KubeObject): string {
  return `${groupOf(o.apiVersion)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`
}

function fmt(o: KubeObject): string {
  return `${o.kind}/${o.metadata.namespace ? `${o.metadata.namespace}/` : ''}${o.metadata.name}`
}
