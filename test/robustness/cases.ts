import { CANARY, fluxKs, LOCAL_CANARY, type Entry } from './support.js'

/** One way to break the staging cluster of the base fleet. */
export interface BreakCase {
  name: string
  changes: Record<string, Entry>
}

const APP_KUSTOMIZATION = (extra: string): string => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - app.yaml
  - web.yaml
${extra}`

const STAGING_APPS_SUB = `  postBuild:
    substitute:
      cluster_name: staging
    substituteFrom:
      - kind: Secret
        name: cluster-secrets
`

function chart(template: string): Record<string, Entry> {
  return {
    'charts/broken/Chart.yaml': 'apiVersion: v2\nname: broken\nversion: 0.1.0\n',
    'charts/broken/values.yaml': 'password: ""\n',
    'charts/broken/templates/cm.yaml': template,
  }
}

function hr(name: string, chartPath: string, extra = ''): string {
  return `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: ${name}
  namespace: apps
spec:
  interval: 10m
  chart:
    spec:
      chart: ${chartPath}
      sourceRef:
        kind: GitRepository
        name: flux-system
        namespace: flux-system
${extra}`
}

const SOPS_SECRET = `apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: apps
type: Opaque
data:
  password: ENC[AES256_GCM,data:${Buffer.from(CANARY).toString('base64')},iv:aaaa,tag:bbbb,type:str]
sops:
  kms: []
  age:
    - recipient: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
      enc: "-----BEGIN AGE ENCRYPTED FILE-----"
  lastmodified: "2026-01-01T00:00:00Z"
  mac: ENC[AES256_GCM,data:abcdef,iv:aaaa,tag:bbbb,type:str]
  version: 3.9.0
`

/** The cases of the brief; each breaks one thing in the staging cluster only. */
export const CASES: Record<string, BreakCase> = {
  yamlSyntax: { name: 'YAML syntax error in a manifest', changes: { 'apps/staging/extra.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: apps\ndata:\n  key: [unclosed\n  other: ${CANARY}\n` } },
  noKind: { name: 'document without kind (K-4)', changes: { 'apps/staging/extra.yaml': 'apiVersion: v1\nmetadata:\n  name: extra\n  namespace: apps\n' } },
  noName: { name: 'document without metadata.name (K-4)', changes: { 'apps/staging/extra.yaml': '# config\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  namespace: apps\ndata:\n  a: b\n' } },
  valuesYaml: { name: 'a values.yaml in a generated kustomization (K-4)', changes: { 'apps/staging/values.yaml': 'replicas: 2\nimage:\n  tag: "1.0"\n' } },
  missingResource: { name: 'kustomization.yaml resource that does not exist', changes: { 'apps/staging/kustomization.yaml': APP_KUSTOMIZATION('  - missing.yaml\n') } },
  escapeDotDot: { name: 'a resource path escaping the repository', changes: { 'apps/staging/kustomization.yaml': APP_KUSTOMIZATION('  - ../../../../../../etc/passwd\n') } },
  escapeSymlink: { name: 'a symlink escaping the repository', changes: { 'apps/staging/kustomization.yaml': APP_KUSTOMIZATION('  - link.yaml\n'), 'apps/staging/link.yaml': { symlink: '../../../../../../../etc/hostname' } } },
  dependsOnCycle: {
    name: 'a dependsOn cycle',
    changes: {
      'clusters/staging/infra.yaml': fluxKs('infra', './infra', '  dependsOn:\n    - name: apps\n'),
      'clusters/staging/apps.yaml': fluxKs('apps', './apps/staging', `  dependsOn:\n    - name: infra\n${STAGING_APPS_SUB}`),
    },
  },
  selfCycle: { name: 'a Kustomization applying a Kustomization of its own path', changes: { 'apps/staging/loop.yaml': fluxKs('loop', './apps/staging') } },
  missingSource: { name: 'sourceRef to a missing GitRepository', changes: { 'clusters/staging/apps.yaml': fluxKs('apps', './apps/staging', STAGING_APPS_SUB).replace('name: flux-system\n', 'name: nowhere\n') } },
  dependsOnNotList: { name: 'spec.dependsOn written as a string', changes: { 'clusters/staging/apps.yaml': fluxKs('apps', './apps/staging', `  dependsOn: infra\n${STAGING_APPS_SUB}`) } },
  pathNotString: { name: 'spec.path written as a number', changes: { 'clusters/staging/apps.yaml': fluxKs('apps', '42', STAGING_APPS_SUB) } },
  missingPath: { name: 'spec.path that does not exist (K-1)', changes: { 'clusters/staging/apps.yaml': fluxKs('apps', './apps/nowhere', STAGING_APPS_SUB) } },
  hugeFile: { name: 'a 20 MB YAML file', changes: { 'apps/staging/huge.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\n  namespace: apps\ndata:\n${'  k: "' + 'x'.repeat(20 * 1024 * 1024) + '"\n'}` } },
  aliasBomb: {
    name: 'a YAML alias bomb',
    changes: {
      'apps/staging/bomb.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n  namespace: apps\ndata:\n  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n  h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n  i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n`,
    },
  },
  sopsNoDecryption: { name: 'a SOPS Secret without decryption', changes: { 'apps/staging/db.sops.yaml': SOPS_SECRET } },
  sopsWithDecryption: {
    name: 'a SOPS Secret with decryption configured',
    changes: {
      'apps/staging/db.sops.yaml': SOPS_SECRET,
      'clusters/staging/apps.yaml': fluxKs('apps', './apps/staging', `${STAGING_APPS_SUB}  decryption:\n    provider: sops\n    secretRef:\n      name: sops-age\n`),
    },
  },
  strictMissingVar: { name: 'postBuild strict mode with a missing variable', changes: { 'apps/staging/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: apps\ndata:\n  who: ${undefined_var}\n  pw: ${db_password}\n' } },
  badVarKey: {
    name: 'a substituteFrom key like app.name (S-6)',
    changes: {
      'clusters/staging/vars.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-vars\n  namespace: flux-system\ndata:\n  app.name: web\n',
      'clusters/staging/apps.yaml': fluxKs('apps', './apps/staging', `${STAGING_APPS_SUB}      - kind: ConfigMap\n        name: cluster-vars\n`),
    },
  },
  missingChart: { name: 'a HelmRelease with a missing chart path', changes: { 'apps/staging/broken-hr.yaml': hr('broken', './charts/nope') } },
  helmFails: {
    name: 'a chart that fails helm template',
    changes: {
      ...chart('{{ fail (printf "password %s is not allowed" .Values.password) }}\n'),
      'apps/staging/db-values.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: broken-values\n  namespace: apps\nstringData:\n  password: ${CANARY}\n`,
      'apps/staging/broken-hr.yaml': hr('broken', './charts/broken', '  valuesFrom:\n    - kind: Secret\n      name: broken-values\n      valuesKey: password\n      targetPath: password\n'),
    },
  },
  helmFailsOnSubstitutedSecret: {
    name: 'a chart that fails helm template on a value postBuild took from a Secret',
    changes: {
      ...chart('{{ fail (printf "password %s is not allowed" .Values.password) }}\n'),
      'apps/staging/broken-hr.yaml': hr('broken', './charts/broken', '  values:\n    password: ${db_password}\n'),
    },
  },
  namespaceMissing: { name: 'a namespaced object without namespace (K-16a)', changes: { 'apps/staging/extra.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n' } },
  unknownApiVersion: { name: 'an unknown Flux apiVersion', changes: { 'clusters/staging/future.yaml': fluxKs('future', './infra').replace('kustomize.toolkit.fluxcd.io/v1', 'kustomize.toolkit.fluxcd.io/v9') } },
  secretSyntax: {
    name: 'a YAML syntax error on the line of a Secret value',
    changes: {
      'apps/staging/kustomization.yaml': APP_KUSTOMIZATION('  - creds.yaml\n'),
      'apps/staging/creds.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  namespace: apps\nstringData:\n  token: ${CANARY}: [oops\n  other: "${CANARY}\n`,
    },
  },
  badEnvFile: {
    name: 'a secretGenerator env file with a line that is not KEY=value',
    changes: {
      'apps/staging/kustomization.yaml': APP_KUSTOMIZATION('secretGenerator:\n  - name: db\n    namespace: apps\n    envs:\n      - db.env\n'),
      'apps/staging/db.env': `USER=app\n${LOCAL_CANARY} is the password\n`,
    },
  },
  badSecretPatch: {
    name: 'an inline patch of a Secret that is not YAML',
    changes: {
      'apps/staging/kustomization.yaml': APP_KUSTOMIZATION(
        `  - db.yaml\npatches:\n  - patch: |\n      apiVersion: v1\n      kind: Secret\n      metadata:\n        name: db\n        namespace: apps\n      stringData: [${LOCAL_CANARY}\n`,
      ),
      'apps/staging/db.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  namespace: apps\nstringData:\n  password: ${LOCAL_CANARY}\n`,
    },
  },
  bomCrlf: { name: 'a file with a BOM and CRLF line endings', changes: { 'apps/staging/extra.yaml': '\uFEFF' + 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n  namespace: apps\ndata:\n  a: b\n'.replace(/\n/g, '\r\n') } },
}
