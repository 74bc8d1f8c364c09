import { isJsonObject, type JsonObject, type JsonValue } from '../../model/object.js'
import { display, KustomizeError, yamlError, type Loader } from './loader.js'
import { parseYamlDocumentsLocated, YamlError, type KyamlDocument } from '../../yaml/index.js'

/** The file names kustomize looks for, in its order. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const

/** A parsed kustomization with deprecated fields folded into their replacements. */
export interface Kustomization {
  raw: JsonObject
  fileName: string
  /** The line of each entry of each list field, as written (where generated objects point). */
  entryLines: Map<string, number[]>
  kind: 'Kustomization' | 'Component'
  resources: string[]
  components: string[]
  crds: string[]
  configurations: string[]
  generators: string[]
  transformers: string[]
  validators: string[]
  namespace: string
  namePrefix: string
  nameSuffix: string
  commonLabels: Record<string, string>
  labels: JsonObject[]
  commonAnnotations: Record<string, string>
  images: JsonObject[]
  replicas: JsonObject[]
  patches: JsonObject[]
  patchesStrategicMerge: string[]
  patchesJson6902: JsonObject[]
  configMapGenerator: JsonObject[]
  secretGenerator: JsonObject[]
  generatorOptions?: JsonObject
  replacements: JsonObject[]
  vars: JsonObject[]
  buildMetadata: string[]
  sortOptions?: JsonObject
  openapi?: JsonObject
  helmCharts: JsonValue[]
}

/**
 * Go's JSON decoding matches struct fields case-insensitively, so kustomize accepts
 * `NamePrefix:` or `fieldref:`; we look fields up the same way.
 */
export function field(obj: JsonObject, name: string): JsonValue | undefined {
  if (Object.hasOwn(obj, name)) return obj[name]
  const lower = name.toLowerCase()
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k]
  return undefined
}

function strings(v: JsonValue | undefined): string[] {
  return Array.isArray(v) ? v.map((x) => (typeof x === 'string' ? x : JSON.stringify(x))) : []
}

function objects(v: JsonValue | undefined): JsonObject[] {
  return Array.isArray(v) ? v.filter(isJsonObject) : []
}

function stringMap(v: JsonValue | undefined): Record<string, string> {
  if (!isJsonObject(v)) return {}
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === null ? '' : typeof x === 'string' ? x : String(x)]))
}

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : ''
}

/** Finds and parses the kustomization file of the loader's folder. */
export function loadKustomization(ldr: Loader): Kustomization {
  const found = KUSTOMIZATION_FILES.filter((f) => ldr.exists(f) && !ldr.isDir(f))
  if (found.length === 0) {
    throw new KustomizeError(
      `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${display(ldr.root)}'`,
      'kustomize/missing-kustomization',
      display(ldr.root),
    )
  }
  if (found.length > 1) throw new KustomizeError(`Found multiple kustomization files under: ${display(ldr.root)}\n`, 'kustomize/multiple-kustomizations')
  const fileName = found[0] as string
  const text = ldr.load(fileName)
  let docs: KyamlDocument[]
  try {
    // kustomize decodes its kustomization with sigs.k8s.io/yaml, not through kyaml's round trip.
    docs = parseYamlDocumentsLocated(text, { uniqueKeys: false, marshalRoundTrip: false })
  } catch (e) {
    if (e instanceof YamlError) throw yamlError(e, e.message, display(ldr.resolve(fileName)))
    throw e
  }
  const raw = docs[0] ? docs[0].value : {}
  if (!isJsonObject(raw)) {
    if (raw === null) throw new KustomizeError('kustomization.yaml is empty', 'kustomize/empty-kustomization', display(ldr.resolve(fileName)))
    throw new KustomizeError(`invalid kustomization: not a map`, 'kustomize/invalid-kustomization', display(ldr.resolve(fileName)))
  }
  return normalize(raw, fileName, display(ldr.resolve(fileName)), docs[0]?.entryLines ?? new Map())
}

const KNOWN_FIELDS = new Set(
  [
    'apiVersion', 'kind', 'metadata', 'openapi', 'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'labels',
    'commonAnnotations', 'patchesStrategicMerge', 'patchesJson6902', 'patches', 'images', 'imageTags', 'replacements',
    'replicas', 'vars', 'sortOptions', 'resources', 'components', 'crds', 'bases', 'configMapGenerator', 'secretGenerator',
    'helmGlobals', 'helmCharts', 'helmChartInflationGenerator', 'generatorOptions', 'configurations', 'generators',
    'transformers', 'validators', 'buildMetadata',
  ].map((f) => f.toLowerCase()),
)

function normalize(raw: JsonObject, fileName: string, where: string, entryLines: Map<string, number[]>): Kustomization {
  for (const key of Object.keys(raw)) {
    if (!KNOWN_FIELDS.has(key.toLowerCase())) throw new KustomizeError(`invalid Kustomization: json: unknown field "${key}"`, 'kustomize/invalid-kustomization', where)
  }
  const kindText = str(field(raw, 'kind')) || 'Kustomization'
  const apiVersion = str(field(raw, 'apiVersion'))
  if (kindText === 'Component' && apiVersion !== '' && apiVersion !== 'kustomize.config.k8s.io/v1alpha1') {
    throw new KustomizeError('apiVersion for Component should be kustomize.config.k8s.io/v1alpha1', 'kustomize/invalid-kustomization', where)
  }
  if (kindText === 'Kustomization' && apiVersion !== '' && apiVersion !== 'kustomize.config.k8s.io/v1beta1') {
    throw new KustomizeError('apiVersion for Kustomization should be kustomize.config.k8s.io/v1beta1', 'kustomize/invalid-kustomization', where)
  }
  const images = objects(field(raw, 'images'))
  for (const t of objects(field(raw, 'imageTags'))) images.push(t)
  const k: Kustomization = {
    raw,
    fileName,
    entryLines,
    kind: kindText === 'Component' ? 'Component' : 'Kustomization',
    resources: [...strings(field(raw, 'resources')), ...strings(field(raw, 'bases'))],
    components: strings(field(raw, 'components')),
    crds: strings(field(raw, 'crds')),
    configurations: strings(field(raw, 'configurations')),
    generators: strings(field(raw, 'generators')),
    transformers: strings(field(raw, 'transformers')),
    validators: strings(field(raw, 'validators')),
    namespace: str(field(raw, 'namespace')),
    namePrefix: str(field(raw, 'namePrefix')),
    nameSuffix: str(field(raw, 'nameSuffix')),
    commonLabels: stringMap(field(raw, 'commonLabels')),
    labels: objects(field(raw, 'labels')),
    commonAnnotations: stringMap(field(raw, 'commonAnnotations')),
    images,
    replicas: objects(field(raw, 'replicas')),
    patches: objects(field(raw, 'patches')),
    patchesStrategicMerge: strings(field(raw, 'patchesStrategicMerge')),
    patchesJson6902: objects(field(raw, 'patchesJson6902')),
    configMapGenerator: objects(field(raw, 'configMapGenerator')),
    secretGenerator: objects(field(raw, 'secretGenerator')),
    replacements: objects(field(raw, 'replacements')),
    vars: objects(field(raw, 'vars')),
    buildMetadata: strings(field(raw, 'buildMetadata')),
    helmCharts: Array.isArray(field(raw, 'helmCharts')) ? (field(raw, 'helmCharts') as JsonValue[]) : [],
  }
  const go = field(raw, 'generatorOptions')
  if (isJsonObject(go)) k.generatorOptions = go
  const so = field(raw, 'sortOptions')
  if (isJsonObject(so)) k.sortOptions = so
  const oa = field(raw, 'openapi')
  if (isJsonObject(oa)) k.openapi = oa
  return k
}
