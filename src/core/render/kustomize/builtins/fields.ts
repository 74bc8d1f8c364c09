import { isJsonObject, type JsonObject, type JsonValue } from '../../../model/object.js'
import { fieldSpecsFromYaml, mergeSpecs, type FieldSpec } from '../fieldspec.js'
import { field } from '../kustomization.js'
import { KustomizeError } from '../loader.js'
import { mapEntriesTransform, namespaceTransform, prefixSuffixTransform, replicaTransform, type SubjectMode } from '../transformers/basic.js'
import { imageTagFromYaml, imageTransform } from '../transformers/images.js'
import type { BuiltinTransformer } from './plugin.js'

// Builtin transformers that write fields named by field specs: the kustomization lowers
// its field plus the accumulated transformer config (`configurations:` and defaults) into
// `fieldSpecs`, as kustomize's configurators do.

function str(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v)
}

function strMap(v: JsonValue | undefined): Record<string, string> {
  return isJsonObject(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, str(x)])) : {}
}

function specs(c: JsonObject): FieldSpec[] {
  return fieldSpecsFromYaml(field(c, 'fieldSpecs'))
}

/** Field specs as plugin config (they are already JSON-shaped). */
function specsJson(fss: readonly FieldSpec[]): JsonValue {
  return fss as unknown as JsonValue
}

function subjectMode(v: JsonValue | undefined): SubjectMode {
  const s = str(v)
  if (s === '' || s === 'defaultOnly') return 'defaultOnly'
  if (s === 'allServiceAccounts') return 'allServiceAccounts'
  if (s === 'none') return 'none'
  throw new KustomizeError(`invalid value "${s}" for setRoleBindingSubjects: must be one of "defaultOnly", "none" or "allServiceAccounts"`, 'kustomize/plugin-config')
}

export const namespaceTransformer: BuiltinTransformer = {
  kind: 'NamespaceTransformer',
  lower: (k, tc) => (k.namespace ? [{ metadata: { namespace: k.namespace }, fieldSpecs: specsJson(tc.namespace) }] : []),
  configure(_h, c) {
    const m = field(c, 'metadata')
    const ns = isJsonObject(m) ? str(m['namespace']) : ''
    const fss = specs(c)
    const mode = subjectMode(field(c, 'setRoleBindingSubjects'))
    const unsetOnly = field(c, 'unsetOnly') === true
    return { transform: (ra) => namespaceTransform(ra.resources, ns, fss, mode, unsetOnly) }
  },
}

function prefixSuffix(kind: string, lower: BuiltinTransformer['lower']): BuiltinTransformer {
  return {
    kind,
    ...(lower ? { lower } : {}),
    configure(_h, c) {
      const p = str(field(c, 'prefix'))
      const s = str(field(c, 'suffix'))
      const fss = specs(c)
      return { transform: (ra) => void ((p || s) && prefixSuffixTransform(ra.resources, p, s, fss)) }
    },
  }
}

export const prefixTransformer = prefixSuffix('PrefixTransformer', (k, tc) => (k.namePrefix ? [{ prefix: k.namePrefix, fieldSpecs: specsJson(tc.namePrefix) }] : []))
export const suffixTransformer = prefixSuffix('SuffixTransformer', (k, tc) => (k.nameSuffix ? [{ suffix: k.nameSuffix, fieldSpecs: specsJson(tc.nameSuffix) }] : []))
/** The older combined plugin, still accepted in `transformers:`. */
export const prefixSuffixTransformer = prefixSuffix('PrefixSuffixTransformer', undefined)

export const labelTransformer: BuiltinTransformer = {
  kind: 'LabelTransformer',
  // One instance per `labels:` entry plus one for commonLabels, when either is set.
  lower(k, tc) {
    if (k.labels.length === 0 && Object.keys(k.commonLabels).length === 0) return []
    const out: JsonObject[] = k.labels.map((l) => {
      let fss: FieldSpec[] = mergeSpecs(fieldSpecsFromYaml(field(l, 'fields')), tc.labels)
      if (field(l, 'includeSelectors') === true) fss = mergeSpecs(fss, tc.commonLabels)
      else {
        if (field(l, 'includeTemplates') === true) fss = mergeSpecs(fss, tc.templateLabels)
        // Newer kustomize (v5.6+) option; v5.5 rejects the field, we honour it.
        if (field(l, 'includeVolumeClaimTemplates') === true) fss = mergeSpecs(fss, tc.volumeClaimTemplateLabels)
        fss = mergeSpecs(fss, [{ path: 'metadata/labels', create: true }])
      }
      const pairs = field(l, 'pairs')
      return { labels: isJsonObject(pairs) ? pairs : {}, fieldSpecs: specsJson(fss) }
    })
    out.push({ labels: k.commonLabels, fieldSpecs: specsJson(tc.commonLabels) })
    return out
  },
  configure(_h, c) {
    const labels = strMap(field(c, 'labels'))
    const fss = specs(c)
    return { transform: (ra) => mapEntriesTransform(ra.resources, labels, fss) }
  },
}

export const annotationsTransformer: BuiltinTransformer = {
  kind: 'AnnotationsTransformer',
  lower: (k, tc) => (Object.keys(k.commonAnnotations).length > 0 ? [{ annotations: k.commonAnnotations, fieldSpecs: specsJson(tc.commonAnnotations) }] : []),
  configure(_h, c) {
    const annotations = strMap(field(c, 'annotations'))
    const fss = specs(c)
    return { transform: (ra) => mapEntriesTransform(ra.resources, annotations, fss) }
  },
}

export const replicaCountTransformer: BuiltinTransformer = {
  kind: 'ReplicaCountTransformer',
  lower: (k, tc) => k.replicas.map((r) => ({ replica: r, fieldSpecs: specsJson(tc.replicas) })),
  configure(_h, c) {
    const r = field(c, 'replica')
    const rr = isJsonObject(r) ? r : {}
    const name = str(field(rr, 'name'))
    const count = Number(field(rr, 'count') ?? 0)
    const fss = specs(c)
    return { transform: (ra) => replicaTransform(ra.resources, name, count, fss) }
  },
}

export const imageTagTransformer: BuiltinTransformer = {
  kind: 'ImageTagTransformer',
  lower: (k, tc) => k.images.map((i) => ({ imageTag: i, fieldSpecs: specsJson(tc.images) })),
  configure(_h, c) {
    const it = field(c, 'imageTag')
    const tag = imageTagFromYaml(isJsonObject(it) ? it : {})
    const fss = specs(c)
    return { transform: (ra) => imageTransform(ra.resources, tag, fss) }
  },
}
