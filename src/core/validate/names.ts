import { isUnknownValue } from '../mask/markers.js'
import { isJsonObject, type KubeObject } from '../model/object.js'
import type { Violation } from './walk.js'

/*
 * Object names, namespaces, label and annotation keys, label values and ConfigMap/Secret keys,
 * checked with the rules and messages of k8s.io/apimachinery's validation package, which the
 * API server applies to every object on create and update (so Flux's dry-run fails on them).
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/
const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/
const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/

const SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
const LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
const DNS1035_MSG = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
const QUALIFIED_MSG = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"
const LABEL_VALUE_MSG = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"
const CONFIG_KEY_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"

/** Annotations may take at most this many bytes in all (keys and values). */
const ANNOTATIONS_MAX_BYTES = 256 * 1024

function tooLong(n: number): string {
  return `must be no more than ${n} characters`
}

function dnsSubdomain(v: string): string[] {
  const out: string[] = []
  if (v.length > 253) out.push(tooLong(253))
  if (!DNS1123_SUBDOMAIN.test(v)) out.push(SUBDOMAIN_MSG)
  return out
}

function dnsLabel(v: string): string[] {
  const out: string[] = []
  if (v.length > 63) out.push(tooLong(63))
  if (!DNS1123_LABEL.test(v)) out.push(LABEL_MSG)
  return out
}

function dns1035Label(v: string): string[] {
  const out: string[] = []
  if (v.length > 63) out.push(tooLong(63))
  if (!DNS1035_LABEL.test(v)) out.push(DNS1035_MSG)
  return out
}

/** RBAC and a few other kinds accept any name usable as one URL path segment. */
function pathSegment(v: string): string[] {
  if (v === '.' || v === '..') return [`may not be '${v}'`]
  const out: string[] = []
  for (const c of ['/', '%']) if (v.includes(c)) out.push(`may not contain '${c}'`)
  return out
}

/** Label and annotation keys: `[prefix/]name`, the prefix a DNS subdomain. */
export function qualifiedNameErrors(key: string): string[] {
  const parts = key.split('/')
  let name = key
  const out: string[] = []
  if (parts.length === 2) {
    const [prefix, rest] = parts as [string, string]
    name = rest
    if (prefix.length === 0) out.push('prefix part must be non-empty')
    else out.push(...dnsSubdomain(prefix).map((m) => `prefix part ${m}`))
  } else if (parts.length > 2) {
    return [`a qualified name ${QUALIFIED_MSG.replace('name part ', '')} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`]
  }
  if (name.length === 0) out.push('name part must be non-empty')
  else if (name.length > 63) out.push(`name part ${tooLong(63)}`)
  if (name.length > 0 && !QUALIFIED_NAME.test(name)) out.push(QUALIFIED_MSG)
  return out
}

function labelValueErrors(v: string): string[] {
  const out: string[] = []
  if (v.length > 63) out.push(tooLong(63))
  if (!LABEL_VALUE.test(v)) out.push(LABEL_VALUE_MSG)
  return out
}

function configKeyErrors(k: string): string[] {
  const out: string[] = []
  if (k.length > 253) out.push(tooLong(253))
  if (!CONFIG_KEY.test(k)) out.push(CONFIG_KEY_MSG)
  if (k === '.') out.push("must not be '.'")
  else if (k === '..') out.push("must not be '..'")
  else if (k.startsWith('..')) out.push("must not start with '..'")
  return out
}

const RBAC = 'rbac.authorization.k8s.io'
/** Built-in kinds known to take a DNS-1123 subdomain name (apimachinery's NameIsDNSSubdomain). */
const SUBDOMAIN_KINDS: ReadonlySet<string> = new Set([
  '/ConfigMap', '/Secret', '/ServiceAccount', '/Pod', '/ReplicationController', '/Endpoints', '/LimitRange', '/ResourceQuota',
  '/PersistentVolumeClaim', '/Node', '/PodTemplate',
  'apps/Deployment', 'apps/StatefulSet', 'apps/DaemonSet', 'apps/ReplicaSet', 'apps/ControllerRevision',
  'batch/Job', 'batch/CronJob', 'networking.k8s.io/Ingress', 'networking.k8s.io/IngressClass', 'networking.k8s.io/NetworkPolicy',
  'storage.k8s.io/StorageClass', 'storage.k8s.io/CSIDriver', 'scheduling.k8s.io/PriorityClass', 'policy/PodDisruptionBudget',
  'autoscaling/HorizontalPodAutoscaler', 'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration', 'apiextensions.k8s.io/CustomResourceDefinition',
  'coordination.k8s.io/Lease', 'node.k8s.io/RuntimeClass', 'discovery.k8s.io/EndpointSlice',
])

/**
 * The name rule of a kind. Custom resources take a DNS-1123 subdomain. Built-in kinds this table
 * does not know get the most lenient rule (a path segment), so an unknown rule never invents an
 * error.
 */
function nameRule(group: string, kind: string, builtin: boolean): (v: string) => string[] {
  if (group === '' && kind === 'Namespace') return dnsLabel
  if (group === '' && kind === 'Service') return dns1035Label
  if (group === RBAC) return pathSegment
  if (!builtin || SUBDOMAIN_KINDS.has(`${group}/${kind}`)) return dnsSubdomain
  return pathSegment
}

function push(out: Violation[], path: string, value: string, msgs: string[]): void {
  // A masked value or a placeholder (a value only the cluster has) proves nothing either way.
  if (isUnknownValue(value)) return
  for (const m of msgs) out.push({ code: 'invalid-value', path, message: `${path}: Invalid value: ${JSON.stringify(value)}: ${m}` })
}

/** Options of identityErrors. */
export interface IdentityOptions {
  /** Whether the kind is one the API server has built in (else a custom resource). */
  builtin: boolean
}

/**
 * What the API server's object-meta and key validation rejects in one object: its name (per
 * kind), namespace, label keys and values, annotation keys and size, and ConfigMap/Secret keys.
 * Masked values and placeholders (src/core/mask/markers.ts) are not judged.
 */
export function identityErrors(obj: KubeObject, opts: IdentityOptions): Violation[] {
  const out: Violation[] = []
  const slash = obj.apiVersion.indexOf('/')
  const group = slash < 0 ? '' : obj.apiVersion.slice(0, slash)
  const meta = obj.metadata
  if (typeof meta.name === 'string' && meta.name !== '') {
    const errs = nameRule(group, obj.kind, opts.builtin)(meta.name)
    // CronJob names become Job names with an 11-character suffix.
    if (group === 'batch' && obj.kind === 'CronJob' && meta.name.length > 52) errs.push(tooLong(52))
    push(out, 'metadata.name', meta.name, errs)
  }
  if (typeof meta.namespace === 'string' && meta.namespace !== '') push(out, 'metadata.namespace', meta.namespace, dnsLabel(meta.namespace))
  const labels = isJsonObject(meta.labels) ? meta.labels : {}
  for (const [k, v] of Object.entries(labels)) {
    push(out, 'metadata.labels', k, qualifiedNameErrors(k))
    if (typeof v === 'string') push(out, 'metadata.labels', v, labelValueErrors(v))
  }
  const annotations = isJsonObject(meta.annotations) ? meta.annotations : {}
  let size = 0
  for (const [k, v] of Object.entries(annotations)) {
    push(out, 'metadata.annotations', k, qualifiedNameErrors(k.toLowerCase()))
    size += k.length + (typeof v === 'string' ? v.length : 0)
  }
  if (size > ANNOTATIONS_MAX_BYTES) out.push({ code: 'invalid-value', path: 'metadata.annotations', message: `metadata.annotations: Too long: may not be more than ${ANNOTATIONS_MAX_BYTES} bytes` })
  if (group === '' && (obj.kind === 'ConfigMap' || obj.kind === 'Secret')) {
    const fields = obj.kind === 'ConfigMap' ? ['data', 'binaryData'] : ['data', 'stringData']
    const seen = new Set<string>()
    for (const field of fields) {
      const data = obj[field]
      if (!isJsonObject(data)) continue
      for (const k of Object.keys(data)) {
        push(out, `${field}[${k}]`, k, configKeyErrors(k))
        if (obj.kind === 'ConfigMap' && seen.has(k)) push(out, `${field}[${k}]`, k, ['duplicate of key present in data'])
        seen.add(k)
      }
    }
  }
  return out
}
