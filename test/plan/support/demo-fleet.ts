import type { FleetRender } from '../../../src/core/model/index.js'
import { cluster, fleet, hr, ks, objs } from './fleet.js'

/**
 * A two-cluster fleet laid out the way `flux bootstrap` does it (flux-system → infra-controllers
 * → infra-configs → apps), before and after a pull request that swaps ingress-nginx for
 * Envoy Gateway, bumps podinfo, rotates a Secret key and removes a protected ConfigMap.
 * Hand-built FleetRenders, so presenter tests do not depend on the renderer.
 */
export function demoFleets(): { base: FleetRender; head: FleetRender } {
  return { base: fleet('1556b4265c9d0f0d3c05bb4e64d530af719892af', [side('staging', false), side('production', false)], 1830), head: fleet('7c6e245ac4e2498361cb6f9ad0f8b616c617bdc4', [side('staging', true), side('production', true)], 1910) }
}

function side(env: string, after: boolean) {
  const entry = ks('flux-system')
  const controllers = ks('infra-controllers', { parent: entry.ref })
  const configs = ks('infra-configs', { parent: entry.ref, dependsOn: [controllers.ref] })
  const apps = ks('apps', { parent: entry.ref, dependsOn: [configs.ref] })
  const podinfo = hr('podinfo', 'podinfo', { parent: apps.ref, values: after ? { httpRoute: { enabled: true, hostnames: [`podinfo.${env}`] } } : { ingress: { enabled: true, className: 'nginx' } } })
  const nginx = hr('ingress-nginx', 'ingress-nginx', { parent: controllers.ref })
  const envoy = hr('envoy-gateway', 'envoy-gateway-system', { parent: controllers.ref })
  const owners = after ? [entry, controllers, configs, apps, podinfo, envoy] : [entry, controllers, configs, apps, podinfo, nginx]
  const server = env === 'production' ? 'https://acme-v02.api.letsencrypt.org/directory' : 'https://acme-staging-v02.api.letsencrypt.org/directory'
  const solver = after ? '{gatewayHTTPRoute: {parentRefs: [{name: envoy, namespace: envoy-gateway-system, kind: Gateway}]}}' : '{ingress: {class: nginx}}'
  const objects = [
    ...objs(controllers, after ? `
apiVersion: v1
kind: Namespace
metadata: {name: envoy-gateway-system}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: envoy-gateway, namespace: envoy-gateway-system}
spec: {type: oci, interval: 24h, url: oci://docker.io/envoyproxy}
` : `
apiVersion: v1
kind: Namespace
metadata: {name: ingress-nginx}
---
apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata: {name: ingress-nginx, namespace: ingress-nginx}
spec: {interval: 24h, url: https://kubernetes.github.io/ingress-nginx}
`),
    ...objs(configs, `
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec:
  acme:
    email: fluxcdbot@users.noreply.github.com
    server: ${server}
    privateKeySecretRef: {name: ${after ? 'letsencrypt' : 'letsencrypt-nginx'}}
    solvers: [${solver}]
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: legacy-dashboard
  namespace: monitoring
  annotations: {kustomize.toolkit.fluxcd.io/prune: disabled}
data: {dashboard.json: "{}"}
`.replace(after ? /---\napiVersion: v1\nkind: ConfigMap[\s\S]*$/ : /^$/, '')),
    ...objs(apps, `
apiVersion: v1
kind: Secret
metadata: {name: podinfo-auth, namespace: podinfo}
type: Opaque
data: {username: cG9kaW5mby1hZG1pbg==, token: ${after ? 'cm90YXRlZC10b2tlbi0y' : 'b3JpZ2luYWwtdG9rZW4tMQ=='}}
`),
    ...objs(podinfo, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: podinfo, namespace: podinfo}
spec:
  replicas: ${env === 'production' ? 2 : 1}
  template:
    spec:
      containers:
        - name: podinfo
          image: ghcr.io/stefanprodan/podinfo:${after ? '6.9.2' : '6.9.1'}
          ports: [{containerPort: 9898, name: http}]
`),
    ...(after ? objs(envoy, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: envoy-gateway, namespace: envoy-gateway-system}
spec: {replicas: 1}
`) : objs(nginx, `
apiVersion: apps/v1
kind: Deployment
metadata: {name: ingress-nginx-controller, namespace: ingress-nginx}
spec: {replicas: 1}
`)),
  ]
  return cluster(env, owners, objects)
}
