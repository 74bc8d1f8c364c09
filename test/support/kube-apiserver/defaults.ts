/**
 * Server-side defaulting, standing in for the API server's defaulting functions, CRD schema
 * defaults and mutating webhooks, so that a live diff sees fields Git never declares. Only a
 * handful of well-known defaults are modelled; they are what the tests rely on.
 */
import type { Json } from './patch.js'

type Obj = { [k: string]: Json }

function map(parent: Obj, key: string): Obj {
  const v = parent[key]
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v
  const fresh: Obj = {}
  parent[key] = fresh
  return fresh
}

function setDefault(obj: Obj, key: string, value: Json): void {
  if (obj[key] === undefined) obj[key] = value
}

function defaultPodSpec(pod: Obj): void {
  setDefault(pod, 'restartPolicy', 'Always')
  setDefault(pod, 'dnsPolicy', 'ClusterFirst')
  setDefault(pod, 'schedulerName', 'default-scheduler')
  setDefault(pod, 'terminationGracePeriodSeconds', 30)
  setDefault(pod, 'securityContext', {})
  const containers = Array.isArray(pod['containers']) ? pod['containers'] : []
  for (const c of containers) {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) continue
    const image = typeof c['image'] === 'string' ? c['image'] : ''
    setDefault(c, 'imagePullPolicy', image.endsWith(':latest') || !image.includes(':') ? 'Always' : 'IfNotPresent')
    setDefault(c, 'terminationMessagePath', '/dev/termination-log')
    setDefault(c, 'terminationMessagePolicy', 'File')
    setDefault(c, 'resources', {})
    for (const p of Array.isArray(c['ports']) ? c['ports'] : []) {
      if (typeof p === 'object' && p !== null && !Array.isArray(p)) setDefault(p, 'protocol', 'TCP')
    }
  }
}

function defaultWorkload(obj: Obj, kind: string): void {
  const spec = map(obj, 'spec')
  setDefault(spec, 'replicas', 1)
  setDefault(spec, 'revisionHistoryLimit', 10)
  if (kind === 'Deployment') {
    setDefault(spec, 'progressDeadlineSeconds', 600)
    setDefault(spec, 'strategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } })
  } else {
    setDefault(spec, 'podManagementPolicy', 'OrderedReady')
    setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } })
  }
  defaultPodSpec(map(map(spec, 'template'), 'spec'))
}

function defaultService(obj: Obj, clusterIp: string): void {
  const spec = map(obj, 'spec')
  setDefault(spec, 'type', 'ClusterIP')
  setDefault(spec, 'sessionAffinity', 'None')
  setDefault(spec, 'clusterIP', clusterIp)
  setDefault(spec, 'clusterIPs', [spec['clusterIP'] ?? clusterIp])
  setDefault(spec, 'ipFamilies', ['IPv4'])
  setDefault(spec, 'ipFamilyPolicy', 'SingleStack')
  setDefault(spec, 'internalTrafficPolicy', 'Cluster')
  for (const p of Array.isArray(spec['ports']) ? spec['ports'] : []) {
    if (typeof p !== 'object' || p === null || Array.isArray(p)) continue
    setDefault(p, 'protocol', 'TCP')
    setDefault(p, 'targetPort', p['port'] ?? null)
  }
}

/**
 * Applies the defaults of `kind` in place. `seq` makes assigned values (cluster IPs) unique
 * per object.
 */
export function applyDefaults(obj: Obj, group: string, kind: string, seq: number): void {
  if (group === 'apps' && (kind === 'Deployment' || kind === 'StatefulSet')) defaultWorkload(obj, kind)
  else if (group === '' && kind === 'Service') defaultService(obj, `10.96.${Math.floor(seq / 250) % 250}.${(seq % 250) + 2}`)
  else if (group === '' && kind === 'Namespace') {
    const spec = map(obj, 'spec')
    setDefault(spec, 'finalizers', ['kubernetes'])
    const meta = map(obj, 'metadata')
    const labels = map(meta, 'labels')
    setDefault(labels, 'kubernetes.io/metadata.name', meta['name'] ?? null)
  } else if (group === 'kustomize.toolkit.fluxcd.io' && kind === 'Kustomization') {
    // CRD schema defaults of kustomize-controller v1.
    setDefault(map(obj, 'spec'), 'force', false)
  } else if (group === 'source.toolkit.fluxcd.io' && kind === 'GitRepository') {
    setDefault(map(obj, 'spec'), 'timeout', '60s')
  }
}
