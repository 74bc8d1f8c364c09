// Generates a Flux fleet repository for scripts/bench.mjs as a { path: text } record: N
// clusters, each with M Flux Kustomizations. Every Kustomization builds an overlay folder
// (per cluster and app) on one of a few shared bases plus a shared component, the way real
// fleets reuse bases; every fifth points straight at a base with postBuild substitution.
// `head: true` is the same repository after a small pull request (one base's image, a few
// overlays' replicas), so base and head trees are mostly identical.

const BASES = 8

function base(b, head) {
  const tag = head && b === 0 ? '1.1.0' : '1.0.0'
  return {
    'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n- service.yaml\n- hpa.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - LOG_LEVEL=info\n  - BASE=${b}\nlabels:\n- pairs:\n    app: app${b}\n  includeSelectors: true\n`,
    'deployment.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${b}\n  annotations:\n    cluster: \${cluster:=none}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      tier: web\n  template:\n    metadata:\n      labels:\n        tier: web\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app${b}:${tag}\n        args: ["--port=8080", "--log-format=json"]\n        ports:\n        - containerPort: 8080\n          name: http\n        envFrom:\n        - configMapRef:\n            name: settings\n        readinessProbe:\n          httpGet:\n            path: /healthz\n            port: http\n        resources:\n          requests:\n            cpu: 100m\n            memory: 64Mi\n        volumeMounts:\n        - name: cfg\n          mountPath: /etc/app\n      volumes:\n      - name: cfg\n        configMap:\n          name: settings\n`,
    'service.yaml': `apiVersion: v1\nkind: Service\nmetadata:\n  name: app${b}\nspec:\n  selector:\n    tier: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`,
    'hpa.yaml': `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: app${b}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: app${b}\n  minReplicas: 1\n  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 80\n`,
  }
}

const COMPONENT = {
  'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- monitor.yaml\npatches:\n- target:\n    kind: Deployment\n  patch: |-\n    - op: add\n      path: /spec/template/metadata/annotations\n      value:\n        prometheus.io/scrape: "true"\n`,
  'monitor.yaml': `apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      tier: web\n  endpoints:\n  - port: http\n`,
}

function overlay(c, a, head) {
  const b = a % BASES
  const replicas = 1 + ((c + a) % 4) + (head && a % 10 === 3 ? 1 : 0)
  return {
    'kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: app${a}\nresources:\n- ../../../bases/app${b}\ncomponents:\n- ../../../components/monitoring\nimages:\n- name: registry.example.com/app${b}\n  newTag: "1.${c}.0"\npatches:\n- path: replicas.yaml\nconfigMapGenerator:\n- name: settings\n  behavior: merge\n  literals:\n  - CLUSTER=c${c}\n`,
    'replicas.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${b}\nspec:\n  replicas: ${replicas}\n`,
  }
}

function clusterFiles(c, apps, repoUrl) {
  const sync = `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 1m0s\n  ref:\n    branch: main\n  url: ${repoUrl}\n---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  interval: 10m0s\n  path: ./clusters/c${c}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n`
  const docs = [`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: flux-system\n`]
  for (let a = 0; a < apps; a++) {
    docs.push(`apiVersion: v1\nkind: Namespace\nmetadata:\n  name: app${a}\n`)
    const direct = a % 5 === 4
    const path = direct ? `./bases/app${a % BASES}` : `./apps/c${c}/app${a}`
    docs.push(
      `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: app${a}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  targetNamespace: app${a}\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  postBuild:\n    substitute:\n      cluster: c${c}\n`,
    )
  }
  return { [`clusters/c${c}/flux-system/gotk-sync.yaml`]: sync, [`clusters/c${c}/apps.yaml`]: docs.join('---\n') }
}

/** The fleet repository as { path: text }. */
export function generateFleet({ clusters, apps, repoUrl, head }) {
  const files = {}
  const put = (dir, record) => {
    for (const [name, text] of Object.entries(record)) files[`${dir}/${name}`] = text
  }
  for (let b = 0; b < BASES; b++) put(`bases/app${b}`, base(b, head))
  put('components/monitoring', COMPONENT)
  for (let c = 0; c < clusters; c++) {
    Object.assign(files, clusterFiles(c, apps, repoUrl))
    for (let a = 0; a < apps; a++) if (a % 5 !== 4) put(`apps/c${c}/app${a}`, overlay(c, a, head))
  }
  return files
}
