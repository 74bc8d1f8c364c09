import { readFileSync } from 'node:fs'
import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../model/object.js'
import { bundledKubernetesVersion, validateObjects } from './index.js'

/** Objects from a multi-document YAML text, as a render yields them. */
function objects(text: string): KubeObject[] {
  return parseAllDocuments(text).map((d) => d.toJS() as KubeObject)
}

const crds = objects(readFileSync(new URL('./__fixtures__/widgets-crd.yaml', import.meta.url), 'utf8'))

function summary(objs: KubeObject[], opts: Parameters<typeof validateObjects>[1] = {}): string[] {
  return validateObjects(objs, opts).map((f) => `${f.code} ${f.object} ${f.path}`)
}

const deployment = `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo
  namespace: apps
  labels: {app.kubernetes.io/name: podinfo}
  creationTimestamp: null
spec:
  replicas: 2
  revisionHistoryLimit: 5
  selector:
    matchLabels: {app: podinfo}
  strategy:
    type: RollingUpdate
    rollingUpdate: {maxSurge: 25%, maxUnavailable: 0}
  template:
    metadata:
      labels: {app: podinfo}
      annotations: {prometheus.io/scrape: "true"}
    spec:
      containers:
        - name: podinfod
          image: ghcr.io/stefanprodan/podinfo:6.7.1
          imagePullPolicy: IfNotPresent
          command: [./podinfo, --port=9898]
          ports:
            - {name: http, containerPort: 9898, protocol: TCP}
          env:
            - {name: PODINFO_UI_COLOR, value: "#34577c"}
            - name: SECRET
              valueFrom: {secretKeyRef: {name: podinfo, key: token}}
          livenessProbe:
            httpGet: {path: /healthz, port: http}
            initialDelaySeconds: 5
          resources:
            limits: {cpu: 1, memory: 512Mi}
            requests: {cpu: 100m, memory: 64Mi}
      volumes:
        - name: data
          emptyDir: {}
status: {}
`

describe('validateObjects against the bundled Kubernetes schemas', () => {
  it('bundles one recent Kubernetes release', () => {
    expect(bundledKubernetesVersion()).toMatch(/^1\.(3[1-9]|[4-9]\d)$/)
  })

  it('accepts a valid Deployment, Service, ConfigMap and masked Secret', () => {
    const others = `
apiVersion: v1
kind: Service
metadata: {name: podinfo, namespace: apps}
spec:
  type: ClusterIP
  selector: {app: podinfo}
  ports:
    - {name: http, port: 9898, targetPort: http, protocol: TCP}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: podinfo, namespace: apps}
data: {PODINFO_UI_MESSAGE: hello}
---
apiVersion: v1
kind: Secret
metadata: {name: podinfo, namespace: apps}
type: Opaque
data: {token: "*** (after)"}
`
    expect(summary([...objects(deployment), ...objects(others)])).toEqual([])
  })

  it('finds a misspelled field with its JSON path', () => {
    const text = deployment.replace('imagePullPolicy: IfNotPresent', 'imagePullPolcy: IfNotPresent').replace('  replicas: 2', '  replica: 2')
    const findings = validateObjects(objects(text))

    expect(findings.map((f) => `${f.code} ${f.path}`)).toEqual([
      'unknown-field spec.replica',
      'unknown-field spec.template.spec.containers[0].imagePullPolcy',
    ])
    expect(findings[1]).toMatchObject({ severity: 'error', object: 'Deployment/apps/podinfo', schema: 'kubernetes', message: 'Deployment/apps/podinfo: .spec.template.spec.containers[0].imagePullPolcy: field not declared in schema' })
  })

  it('finds a Service port written as a string, and a misspelled Service type', () => {
    const svc = `
apiVersion: v1
kind: Service
metadata: {name: web, namespace: apps}
spec:
  type: Loadbalancer
  ports:
    - port: "80"
      targetPort: "8080"
`
    expect(validateObjects(objects(svc)).map((f) => f.message)).toEqual([
      'Service/apps/web: spec.type: Unsupported value: "Loadbalancer": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"',
      'Service/apps/web: spec.ports[0].port: Invalid value: "80": spec.ports[0].port in body must be of type integer: "string"',
    ])
  })

  it('finds missing required fields and wrong types deep in a pod template', () => {
    const job = `
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: apps}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      backoffLimit: "3"
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - image: busybox:1.36
              args: [sh, -c, date]
`
    expect(summary(objects(job))).toEqual([
      'wrong-type CronJob/apps/nightly spec.jobTemplate.spec.backoffLimit',
      'missing-required CronJob/apps/nightly spec.jobTemplate.spec.template.spec.containers[0].name',
    ])
  })

  it('does not judge values the plan masked (a Secret-sourced substitution)', () => {
    const text = deployment.replace('  replicas: 2', '  replicas: "*** (after)"').replace('imagePullPolicy: IfNotPresent', 'imagePullPolicy: "***"')

    expect(summary(objects(text))).toEqual([])
  })

  it('checks labels are strings and skips kinds it has no schema for', () => {
    const text = `
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg
  namespace: apps
  labels: {tier: 1}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: web, namespace: apps}
spec: {secretName: web-tls, dnsNames: [web.example.com], bogus: true}
---
apiVersion: extensions/v1beta1
kind: Ingress
metadata: {name: old, namespace: apps}
spec: {backend: {serviceName: web, servicePort: 80}}
`
    expect(summary(objects(text))).toEqual(['wrong-type ConfigMap/apps/cfg metadata.labels.tier'])
  })
})

describe('validateObjects against CRDs in the render', () => {
  const backup = (spec: string, apiVersion = 'ops.example.com/v1') => `
apiVersion: ${apiVersion}
kind: Backup
metadata: {name: db, namespace: apps}
spec:
${spec}
`

  it('accepts a custom resource that matches its CRD, with int-or-string, nullable and preserved fields', () => {
    const ok = backup(`  schedule: "@daily"
  mode: Full
  port: http
  notes: null
  target: {name: postgres, selector: {app: postgres}}
  hooks: [{name: freeze, timeoutSeconds: 30}]
  options: {anything: [1, 2], goes: {deep: true}}
  jobTemplate:
    apiVersion: batch/v1
    kind: Job
    metadata: {name: x}
    spec: {whatever: 1}`)

    expect(summary(objects(ok), { crds })).toEqual([])
  })

  it('reports each violation of the CRD schema', () => {
    const bad = backup(`  schedule: 3
  mode: Weekly
  retention: "7"
  port: 1.5
  target: {selector: {app: 5}}
  hooks: [{name: freeze, timeout: 30}]
  compress: true`)
    const findings = validateObjects(objects(bad), { crds })

    expect(findings.map((f) => `${f.code} ${f.path}`)).toEqual([
      'wrong-type spec.schedule',
      'enum-mismatch spec.mode',
      'wrong-type spec.retention',
      'wrong-type spec.port',
      'missing-required spec.target.name',
      'wrong-type spec.target.selector.app',
      'unknown-field spec.hooks[0].timeout',
      'unknown-field spec.compress',
    ])
    expect(findings.every((f) => f.schema === 'crd' && f.object === 'Backup/apps/db')).toBe(true)
  })

  it('does not validate versions the CRD does not serve, nor custom resources without their CRD', () => {
    const text = backup('  compress: true', 'ops.example.com/v1alpha1')

    expect(summary(objects(text), { crds })).toEqual([])
    expect(summary(objects(backup('  compress: true')))).toEqual([])
  })
})
