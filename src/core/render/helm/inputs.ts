import { isJsonObject, type JsonObject, type KubeObject } from '../../model/object.js'

/*
 * The HelmRelease fields that end up in helm's command line, checked by the rules that decide
 * them in Flux: the CRD's length limits (the API server), then Helm's own release-name rule and
 * the Kubernetes namespace rule (helm-controller fails the release on them). A name that passes
 * can never read as a flag; the helm runner still puts every positional after `--`.
 */

/** Helm's ValidateReleaseName: a DNS-1123 subdomain of at most 53 characters. */
const RELEASE_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/
const RELEASE_NAME_MAX = 53
/** A namespace is a DNS-1123 label of at most 63 characters. */
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/
const DNS_LABEL_MAX = 63

/** True when Helm accepts `name` as a release name. */
export function isReleaseName(name: string): boolean {
  return name.length > 0 && name.length <= RELEASE_NAME_MAX && RELEASE_NAME.test(name)
}

/** True when `name` is a valid namespace name. */
export function isNamespaceName(name: string): boolean {
  return name.length > 0 && name.length <= DNS_LABEL_MAX && DNS_LABEL.test(name)
}

/**
 * Why a HelmRelease cannot be handed to helm: one message per offending field, empty when
 * every field is valid. `releaseName` and `namespace` are the values computed for helm (H-10,
 * H-11); the spec fields are checked as written too, so the message names what to fix.
 */
export function releaseInputErrors(hr: KubeObject, releaseName: string, namespace: string): string[] {
  const spec: JsonObject = isJsonObject(hr['spec']) ? hr['spec'] : {}
  const out: string[] = []
  const field = (key: string): string | undefined => (typeof spec[key] === 'string' ? (spec[key] as string) : undefined)
  const explicit = field('releaseName')
  if (explicit !== undefined && explicit !== '' && !isReleaseName(explicit)) out.push(`spec.releaseName ${quote(explicit)}: ${RELEASE_RULE}`)
  else if (!isReleaseName(releaseName)) out.push(`release name ${quote(releaseName)}: ${RELEASE_RULE}`)
  for (const key of ['targetNamespace', 'storageNamespace']) {
    const v = field(key)
    if (v !== undefined && v !== '' && !isNamespaceName(v)) out.push(`spec.${key} ${quote(v)}: ${NAMESPACE_RULE}`)
  }
  if (!isNamespaceName(namespace) && !out.some((m) => m.startsWith('spec.targetNamespace'))) out.push(`namespace ${quote(namespace)}: ${NAMESPACE_RULE}`)
  return out
}

const RELEASE_RULE = `Helm requires a release name of at most ${RELEASE_NAME_MAX} lower case letters, digits, '-' and '.', starting and ending with a letter or digit`
const NAMESPACE_RULE = `a namespace must be a DNS-1123 label: at most ${DNS_LABEL_MAX} lower case letters, digits and '-', starting and ending with a letter or digit`

/** Helm's chart name rule (helm create, OCI references): letters, digits, `.`, `_`, `-`. */
const CHART_NAME = /^[A-Za-z0-9._-]+$/

/**
 * Why a chart name from a HelmRepository cannot be fetched, or undefined. Helm repository
 * charts are names, OCI ones may have `/`-separated parts; none may be `.` or `..`.
 */
export function chartNameError(chart: string): string | undefined {
  const parts = chart.split('/')
  if (chart.length === 0 || chart.length > 250 || parts.some((p) => !CHART_NAME.test(p) || p === '.' || p === '..')) {
    return `chart name ${quote(chart)} is not a Helm chart name (letters, digits, '.', '_' and '-', at most 250 characters)`
  }
  return undefined
}

/** OCI distribution-spec tag and digest grammars (what a registry accepts in a reference). */
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/
const OCI_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[A-Za-z0-9=_-]+$/
/** `oci://host[:port]/path` with the reference grammar's characters only. */
const OCI_URL = /^oci:\/\/[A-Za-z0-9.-]+(?::[0-9]+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)+$/

/** Why an OCI chart reference cannot be pulled, or undefined. */
export function ociReferenceError(url: string, tag: string | undefined, digest: string | undefined): string | undefined {
  if (!OCI_URL.test(url)) return `${quote(url)} is not an OCI repository URL (oci://host/path with lower case path parts)`
  if (tag !== undefined && !OCI_TAG.test(tag)) return `${quote(tag)} is not an OCI tag`
  if (digest !== undefined && !OCI_DIGEST.test(digest)) return `${quote(digest)} is not an OCI digest`
  return undefined
}

/** A value quoted for a message, cut so that a huge field cannot flood the report. */
function quote(v: string): string {
  return JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v)
}
