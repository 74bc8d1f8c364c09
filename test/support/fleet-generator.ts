/**
 * A generated Flux fleet repository, shaped like real ones, for `npm run bench` and the
 * incremental-planning property test. Per cluster:
 * - `flux-system` (bootstrap: controllers, a small CRD, the sync objects, cluster variables);
 * - `infrastructure`: an overlay of shared infrastructure (namespaces, an ingress controller);
 * - `tenants`: one file per team holding the team's Flux Kustomizations, with a parent patch
 *   that reaches every child and postBuild variables from a ConfigMap (`substituteFrom`);
 * - one Flux Kustomization per app: a per-cluster overlay of the app's base, which builds on
 *   one of a few shared bases, with shared components, strategic and JSON patches,
 *   configMap/secret generators, images and postBuild substitution. Every `helmEvery`-th
 *   app is a HelmRelease of a chart in this repository, with values from a generated ConfigMap.
 * Kustomizations per cluster: apps + 3. Deterministic: the same options give the same bytes.
 */

export interface FleetOptions {
  clusters: number
  /** Apps per cluster (each one Flux Kustomization). */
  apps: number
  /** Every n-th app is a HelmRelease of a local chart (0: none). */
  helmEvery?: number
  /** Every n-th app has a secretGenerator (0: none). */
  secretEvery?: number
  repoUrl?: string
}

export const FLEET_REPO_URL = 'https://github.com/acme/fleet'

const KINDS = ['web', 'api', 'worker', 'gateway', 'batch', 'frontend']
const TEAMS = 10

/** Apps per cluster so that the fleet has about `kustomizations` Flux Kustomizations. */
export function appsFor(kustomizations: number, clusters: number): number {
  return Math.max(1, Math.round(kustomizations / clusters) - 3)
}

/** The fleet repository as `{ path: text }`, sorted by path. */
export function generateFleet(opts: FleetOptions): Record<string, string> {
  const files: Record<string, string> = {}
  const repoUrl = opts.repoUrl ?? FLEET_REPO_URL
  const helmEvery = opts.helmEvery ?? 20
  const secretEvery = opts.secretEvery ?? 25
  const put = (path: string, text: string): void => {
    files[path] = text
  }
  for (const kind of KINDS) sharedBase(put, kind)
  components(put)
  chart(put)
  infrastructureBase(put)
  for (let a = 0; a < opts.apps; a++) appBase(put, a, helmEvery)
  for (let c = 0; c < opts.clusters; c++) {
    cluster(put, c, opts.apps, repoUrl)
    for (let a = 0; a < opts.apps; a++) appOverlay(put, c, a, helmEvery, secretEvery)
  }
  return Object.fromEntries(Object.entries(files).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
}

type Put = (path: string, text: string) => void

const clusterName = (c: number): string => `c${c}`
const appName = (a: number): string => `app${a}`
const teamOf = (a: number): string => `team${a % TEAMS}`
const kindOf = (a: number): string => KINDS[a % KINDS.length]!
const isHelm = (a: number, every: number): boolean => every > 0 && a % every === every - 1

function sharedBase(put: Put, kind: string): void {
  const dir = `platform/bases/${kind}`
  put(`${dir}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- deployment.yaml
- service.yaml
- hpa.yaml
- serviceaccount.yaml
labels:
- pairs:
    app.kubernetes.io/component: ${kind}
  includeSelectors: false
configMapGenerator:
- name: runtime
  literals:
  - LOG_FORMAT=json
  - COMPONENT=${kind}
`)
  put(`${dir}/deployment.yaml`, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${kind}
  annotations:
    fleet.example.com/cluster: \${cluster:=unknown}
    fleet.example.com/region: \${region:=none}
spec:
  replicas: 1
  revisionHistoryLimit: 5
  selector:
    matchLabels:
      app.kubernetes.io/name: ${kind}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  template:
    metadata:
      labels:
        app.kubernetes.io/name: ${kind}
    spec:
      serviceAccountName: ${kind}
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: main
        image: registry.example.com/platform/${kind}:1.0.0
        args: ["--port=8080", "--metrics-port=9090", "--log-format=json"]
        ports:
        - name: http
          containerPort: 8080
        - name: metrics
          containerPort: 9090
        envFrom:
        - configMapRef:
            name: runtime
        - configMapRef:
            name: settings
        env:
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        readinessProbe:
          httpGet:
            path: /ready
            port: http
          periodSeconds: 10
        livenessProbe:
          httpGet:
            path: /healthz
            port: http
          initialDelaySeconds: 15
        resources:
          requests:
            cpu: 100m
            memory: 128Mi
          limits:
            memory: 256Mi
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: ["ALL"]
        volumeMounts:
        - name: settings
          mountPath: /etc/app
        - name: tmp
          mountPath: /tmp
      volumes:
      - name: settings
        configMap:
          name: settings
      - name: tmp
        emptyDir: {}
`)
  put(`${dir}/service.yaml`, `apiVersion: v1
kind: Service
metadata:
  name: ${kind}
spec:
  selector:
    app.kubernetes.io/name: ${kind}
  ports:
  - name: http
    port: 80
    targetPort: http
  - name: metrics
    port: 9090
    targetPort: metrics
`)
  put(`${dir}/hpa.yaml`, `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: ${kind}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: ${kind}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 75
`)
  put(`${dir}/serviceaccount.yaml`, `apiVersion: v1
kind: ServiceAccount
metadata:
  name: ${kind}
automountServiceAccountToken: false
`)
}

function components(put: Put): void {
  put('platform/components/monitoring/kustomization.yaml', `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
- servicemonitor.yaml
patches:
- target:
    kind: Deployment
  patch: |-
    - op: add
      path: /spec/template/metadata/annotations
      value:
        prometheus.io/scrape: "true"
        prometheus.io/port: "9090"
`)
  put('platform/components/monitoring/servicemonitor.yaml', `apiVersion: monitoring.example.com/v1
kind: ServiceMonitor
metadata:
  name: metrics
spec:
  endpoints:
  - port: metrics
    interval: 30s
  selector:
    matchLabels:
      fleet.example.com/monitored: "true"
`)
  put('platform/components/network-policy/kustomization.yaml', `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
- policy.yaml
`)
  put('platform/components/network-policy/policy.yaml', `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
spec:
  podSelector: {}
  policyTypes:
  - Ingress
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: ingress
`)
  put('platform/components/disruption-budget/kustomization.yaml', `apiVersion: kustomize.config.k8s.io/v1alpha1
kind: Component
resources:
- pdb.yaml
`)
  put('platform/components/disruption-budget/pdb.yaml', `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: budget
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      fleet.example.com/monitored: "true"
`)
}

function chart(put: Put): void {
  put('charts/webapp/Chart.yaml', `apiVersion: v2
name: webapp
description: A web application
type: application
version: 1.4.2
appVersion: "2.3.0"
`)
  put('charts/webapp/values.yaml', `replicas: 1
image:
  repository: registry.example.com/webapp
  tag: "2.3.0"
port: 8080
resources:
  requests:
    cpu: 50m
    memory: 64Mi
`)
  put('charts/webapp/templates/_helpers.tpl', `{{- define "webapp.labels" -}}
app.kubernetes.io/name: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end }}
`)
  put('charts/webapp/templates/deployment.yaml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "webapp.labels" . | nindent 4 }}
spec:
  replicas: {{ .Values.replicas }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ .Release.Name }}
  template:
    metadata:
      labels:
        {{- include "webapp.labels" . | nindent 8 }}
    spec:
      containers:
      - name: web
        image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        ports:
        - containerPort: {{ .Values.port }}
        resources:
          {{- toYaml .Values.resources | nindent 10 }}
`)
  put('charts/webapp/templates/service.yaml', `apiVersion: v1
kind: Service
metadata:
  name: {{ .Release.Name }}
  labels:
    {{- include "webapp.labels" . | nindent 4 }}
spec:
  selector:
    app.kubernetes.io/name: {{ .Release.Name }}
  ports:
  - port: 80
    targetPort: {{ .Values.port }}
`)
}

function infrastructureBase(put: Put): void {
  put('infrastructure/base/kustomization.yaml', `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- namespaces.yaml
- ingress.yaml
- servicemonitor-crd.yaml
`)
  put('infrastructure/base/namespaces.yaml', ['ingress', 'monitoring', ...Array.from({ length: TEAMS }, (_, t) => `team${t}`)].map((n) => `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${n}\n  labels:\n    fleet.example.com/tier: ${n.startsWith('team') ? 'tenant' : 'platform'}\n`).join('---\n'))
  put('infrastructure/base/ingress.yaml', `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ingress-controller
  namespace: ingress
spec:
  replicas: 2
  selector:
    matchLabels:
      app: ingress-controller
  template:
    metadata:
      labels:
        app: ingress-controller
    spec:
      containers:
      - name: controller
        image: registry.example.com/ingress/controller:1.11.2
        args: ["--election-id=ingress", "--watch-ingress-without-class=true"]
        ports:
        - containerPort: 80
        - containerPort: 443
---
apiVersion: v1
kind: Service
metadata:
  name: ingress-controller
  namespace: ingress
spec:
  type: LoadBalancer
  selector:
    app: ingress-controller
  ports:
  - name: http
    port: 80
  - name: https
    port: 443
`)
  put('infrastructure/base/servicemonitor-crd.yaml', `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: servicemonitors.monitoring.example.com
spec:
  group: monitoring.example.com
  names:
    kind: ServiceMonitor
    listKind: ServiceMonitorList
    plural: servicemonitors
    singular: servicemonitor
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              endpoints:
                type: array
                items:
                  type: object
                  properties:
                    port:
                      type: string
                    interval:
                      type: string
              selector:
                type: object
                x-kubernetes-preserve-unknown-fields: true
`)
}

function appBase(put: Put, a: number, helmEvery: number): void {
  if (isHelm(a, helmEvery)) return
  const dir = `tenants/${teamOf(a)}/${appName(a)}/base`
  put(`${dir}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../../../platform/bases/${kindOf(a)}
labels:
- pairs:
    app.kubernetes.io/part-of: ${appName(a)}
    fleet.example.com/team: ${teamOf(a)}
    fleet.example.com/monitored: "true"
  includeSelectors: false
images:
- name: registry.example.com/platform/${kindOf(a)}
  newName: registry.example.com/${teamOf(a)}/${appName(a)}
configMapGenerator:
- name: settings
  files:
  - config/app.properties
`)
  put(`${dir}/config/app.properties`, `app.name=${appName(a)}\napp.team=${teamOf(a)}\nfeature.cache=${a % 3 === 0}\nfeature.tracing=${a % 2 === 0}\npool.size=${4 + (a % 7)}\n`)
}

function appOverlay(put: Put, c: number, a: number, helmEvery: number, secretEvery: number): void {
  const dir = `tenants/${teamOf(a)}/${appName(a)}/overlays/${clusterName(c)}`
  if (isHelm(a, helmEvery)) {
    put(`${dir}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- helmrelease.yaml
configMapGenerator:
- name: ${appName(a)}-values
  files:
  - values.yaml
configurations:
- nameref.yaml
`)
    put(`${dir}/nameref.yaml`, `nameReference:
- kind: ConfigMap
  version: v1
  fieldSpecs:
  - path: spec/valuesFrom/name
    kind: HelmRelease
`)
    put(`${dir}/helmrelease.yaml`, `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${appName(a)}
spec:
  interval: 10m
  chart:
    spec:
      chart: ./charts/webapp
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
  valuesFrom:
  - kind: ConfigMap
    name: ${appName(a)}-values
  values:
    replicas: ${1 + ((a + c) % 3)}
    image:
      tag: "2.${c}.0"
`)
    put(`${dir}/values.yaml`, `port: ${8080 + (a % 4)}\nresources:\n  requests:\n    cpu: ${50 + 10 * (a % 5)}m\n    memory: 64Mi\n`)
    return
  }
  const secret = secretEvery > 0 && a % secretEvery === secretEvery - 1
  const comps = ['../../../../../platform/components/monitoring', '../../../../../platform/components/network-policy', ...(a % 4 === 0 ? ['../../../../../platform/components/disruption-budget'] : [])]
  put(`${dir}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../../base
nameSuffix: -${appName(a)}
components:
${comps.map((p) => `- ${p}`).join('\n')}
images:
- name: registry.example.com/${teamOf(a)}/${appName(a)}
  newTag: "1.${(a + c) % 9}.${c}"
patches:
- path: replicas.yaml
- target:
    kind: HorizontalPodAutoscaler
  patch: |-
    - op: replace
      path: /spec/maxReplicas
      value: ${4 + ((a * 7 + c) % 12)}
configMapGenerator:
- name: settings
  behavior: merge
  literals:
  - CLUSTER=${clusterName(c)}
  - REPLICA_HINT=${1 + ((a + c) % 4)}
${secret ? `secretGenerator:\n- name: credentials\n  literals:\n  - token=${appName(a)}-${clusterName(c)}-token\n` : ''}`)
  put(`${dir}/replicas.yaml`, `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${kindOf(a)}
spec:
  replicas: ${1 + ((a + c) % 4)}
  template:
    spec:
      containers:
      - name: main
        resources:
          limits:
            memory: ${256 + 32 * ((a + c) % 8)}Mi
`)
}

function cluster(put: Put, c: number, apps: number, repoUrl: string): void {
  const name = clusterName(c)
  const dir = `clusters/${name}`
  put(`${dir}/flux-system/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- gotk-components.yaml
- gotk-sync.yaml
`)
  put(`${dir}/flux-system/gotk-components.yaml`, ['source-controller', 'kustomize-controller', 'helm-controller', 'notification-controller']
    .map((ctl) => `apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: ${ctl}\n  namespace: flux-system\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${ctl}\n  namespace: flux-system\n  labels:\n    app.kubernetes.io/part-of: flux\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: ${ctl}\n  template:\n    metadata:\n      labels:\n        app: ${ctl}\n    spec:\n      serviceAccountName: ${ctl}\n      containers:\n      - name: manager\n        image: ghcr.io/fluxcd/${ctl}:v1.5.0\n        args: ["--watch-all-namespaces=true", "--log-level=info", "--log-encoding=json"]\n        ports:\n        - containerPort: 8080\n          name: http-prom\n        resources:\n          limits:\n            cpu: 1000m\n            memory: 1Gi\n          requests:\n            cpu: 100m\n            memory: 64Mi\n`)
    .concat([`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n`])
    .join('---\n'))
  put(`${dir}/flux-system/gotk-sync.yaml`, `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: ${repoUrl}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m0s
  path: ./clusters/${name}
  prune: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`)
  put(`${dir}/cluster-vars.yaml`, `apiVersion: v1
kind: ConfigMap
metadata:
  name: cluster-vars
  namespace: flux-system
data:
  cluster: ${name}
  region: region-${c % 3}
  environment: ${c === 0 ? 'staging' : 'production'}
`)
  put(`${dir}/infrastructure.yaml`, `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: infrastructure
  namespace: flux-system
spec:
  interval: 1h
  path: ./infrastructure/${name}
  prune: true
  wait: true
  sourceRef:
    kind: GitRepository
    name: flux-system
`)
  put(`infrastructure/${name}/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
- ../base
patches:
- target:
    kind: Deployment
    name: ingress-controller
  patch: |-
    - op: replace
      path: /spec/replicas
      value: ${2 + (c % 3)}
`)
  put(`${dir}/tenants.yaml`, `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  interval: 10m
  path: ./fleet/${name}/tenants
  prune: true
  dependsOn:
  - name: infrastructure
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substituteFrom:
    - kind: ConfigMap
      name: cluster-vars
  patches:
  - target:
      kind: Kustomization
    patch: |-
      - op: add
        path: /spec/timeout
        value: 5m
`)
  const teams = new Map<string, number[]>()
  for (let a = 0; a < apps; a++) teams.set(teamOf(a), [...(teams.get(teamOf(a)) ?? []), a])
  put(`fleet/${name}/tenants/kustomization.yaml`, `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
${[...teams.keys()].sort().map((t) => `- ${t}.yaml`).join('\n')}
`)
  for (const [team, list] of teams) {
    put(`fleet/${name}/tenants/${team}.yaml`, list.map((a) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: ${appName(a)}
  namespace: flux-system
spec:
  interval: 10m
  path: ./tenants/${team}/${appName(a)}/overlays/${name}
  prune: true
  targetNamespace: ${team}
  dependsOn:
  - name: infrastructure
  sourceRef:
    kind: GitRepository
    name: flux-system
  postBuild:
    substitute:
      cluster: \${cluster}
      region: \${region}
`).join('---\n'))
  }
}
