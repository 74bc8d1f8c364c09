import { parse } from 'yaml'
import type { KubeObject } from '../model/object.js'
import { substituteObject } from './substitute-object.js'
import { buildVarMap } from './var-map.js'
import { emitDocument } from '../yaml/index.js'
import { readYaml11 } from '../yaml/index.js'

function obj(yamlText: string): KubeObject {
  return parse(yamlText) as KubeObject
}

const deployment = obj(`
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app
  namespace: apps
  labels:
    environment: \${cluster_env:=dev}
    region: "\${cluster_region}"
spec:
  replicas: "\${replicas}"
  paused: "\${paused}"
  template:
    metadata:
      annotations:
        prometheus.io/scrape: \${prometheus_scrape:=false}
    spec:
      containers:
      - name: nginx
        image: \${image}
        args: ["--password=pa$$word", "--home=$HOME"]
        command:
        - sh
        - -c
        - |
          echo \${greeting}
          exit 0
`)

describe('substituteObject', () => {
  it('re-reads the substituted text with YAML 1.1 rules (S-3)', () => {
    const vars = { cluster_region: 'eu-1', replicas: '3', paused: 'no', image: 'nginx:1.21', greeting: 'hi there', prometheus_scrape: '"true"' }

    const result = substituteObject(deployment, vars, { strict: true })

    expect(result.ok).toBe(true)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- deep field reads in assertions
    const o = (result as { object: KubeObject }).object as any
    expect(o.metadata.labels).toEqual({ environment: 'dev', region: 'eu-1' })
    expect(o.spec.replicas).toBe(3)
    expect(o.spec.paused).toBe(false)
    expect(o.spec.template.metadata.annotations['prometheus.io/scrape']).toBe('true')
    const c = o.spec.template.spec.containers[0]
    expect(c.image).toBe('nginx:1.21')
    expect(c.args).toEqual(['--password=pa$word', '--home=$HOME'])
    expect(c.command).toEqual(['sh', '-c', 'echo hi there\nexit 0\n'])
  })

  it.each([
    ['label', { labels: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }],
    ['annotation', { annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'disabled' } }],
  ])('leaves an object opted out by %s untouched (S-2)', (_how, meta) => {
    const o: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', ...meta }, data: { a: '${missing} $$' } }

    expect(substituteObject(o, { v: '1' }, { strict: true })).toEqual({ ok: true, object: o })
  })

  it('does not opt out on another value (case-sensitive, S-2)', () => {
    const o: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { 'kustomize.toolkit.fluxcd.io/substitute': 'Disabled' } }, data: { a: '$${v}' } }

    const result = substituteObject(o, { v: '1' }, { strict: true })

    expect(result.ok && (result.object['data'] as Record<string, string>)['a']).toBe('${v}')
  })

  it.each<[string, 'WithVariables' | 'Always' | undefined, string]>([
    ['skips with an empty map by default', undefined, '${tier:=web} $$'],
    ['skips with WithVariables', 'WithVariables', '${tier:=web} $$'],
    ['runs with Always', 'Always', 'web $'],
  ])('%s (S-5)', (_name, strategy, expected) => {
    const o: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '${tier:=web} $$' } }

    const result = substituteObject(o, {}, { strict: false, ...(strategy ? { strategy } : {}) })

    expect(result.ok && (result.object['data'] as Record<string, string>)['a']).toBe(expected)
  })

  it.each(['app.name', 'cluster-name', '1st'])('rejects the variable name %j even when unused (S-6)', (name) => {
    const result = substituteObject(deployment, { [name]: 'x', image: 'y' }, { strict: false })

    expect(result).toEqual({ ok: false, error: `envsubst error: '${name}' var name is invalid, must match '^[_[:alpha:]][_[:alpha:][:digit:]]*$'` })
  })

  it('fails in strict mode on a missing variable, without printing values', () => {
    const result = substituteObject(deployment, { image: 's3cr3t' }, { strict: true })

    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toBe('envsubst error: variable substitution failed: variable not set (strict mode): "cluster_region"')
  })

  it('reports a YAML break without quoting the text', () => {
    const o: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '${v}' } }

    const result = substituteObject(o, { v: '[unclosed s3cr3t' }, { strict: true })

    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).not.toContain('s3cr3t')
  })

  it('does not modify its input', () => {
    const before = JSON.stringify(deployment)

    substituteObject(deployment, { image: 'x' }, { strict: false })

    expect(JSON.stringify(deployment)).toBe(before)
  })
})

describe('emitDocument as kustomize-controller prints before substitution', () => {
  it.each<[unknown, string]>([
    [{ b: 1, a: 'x' }, 'a: x\nb: 1\n'],
    [{ a10: 1, a9: 2 }, 'a9: 2\na10: 1\n'],
    [{ s: ['a', { k: 'v', j: 'w' }] }, 's:\n- a\n- j: w\n  k: v\n'],
    [{ q: '3', t: 'true', yy: 'yes', e: '', nn: 'null', d: '2024-01-02' }, 'd: "2024-01-02"\ne: ""\nnn: "null"\nq: "3"\nt: "true"\nyy: "yes"\n'],
    [{ y: 1, on: 2 }, '"on": 2\n"y": 1\n'],
    [{ c: 'a: b', h: 'a #b', star: '*x', dash: '- x', sp: ' x' }, "c: 'a: b'\ndash: '- x'\nh: 'a #b'\nsp: ' x'\nstar: '*x'\n"],
    [{ v: '${image}', u: 'http://x/y?z=1' }, 'u: http://x/y?z=1\nv: ${image}\n'],
    [{ m: 'l1\nl2\n' }, 'm: |\n  l1\n  l2\n'],
    [{ m: 'l1\nl2' }, 'm: |-\n  l1\n  l2\n'],
    [{ tab: 'a\tb' }, 'tab: "a\\tb"\n'],
    [{ e: {}, l: [] }, 'e: {}\nl: []\n'],
  ])('%j', (value, expected) => {
    expect(emitDocument(value as never)).toBe(expected)
  })
})

describe('buildVarMap', () => {
  const store: Record<string, Record<string, string>> = {
    'ConfigMap/cluster-vars': { env: 'dev', region: 'eu-1', token: 'from-cm' },
    'Secret/creds': { token: 's3cr3t', password: 'p\nw' },
  }
  const lookup = (kind: string, name: string) => store[`${kind}/${name}`]

  it.each([
    {
      name: 'inline wins over sources; later sources win; newlines removed',
      input: { substitute: { env: 'prod' }, substituteFrom: [{ kind: 'ConfigMap' as const, name: 'cluster-vars' }, { kind: 'Secret' as const, name: 'creds' }] },
      vars: { env: 'prod', region: 'eu-1', token: 's3cr3t', password: 'pw' },
      secret: ['password', 'token'],
      codes: [],
    },
    {
      name: 'a ConfigMap after a Secret makes the key non-secret',
      input: { substituteFrom: [{ kind: 'Secret' as const, name: 'creds' }, { kind: 'ConfigMap' as const, name: 'cluster-vars' }] },
      vars: { env: 'dev', region: 'eu-1', token: 'from-cm', password: 'pw' },
      secret: ['password'],
      codes: [],
    },
    {
      name: 'optional missing source is skipped, required one is an error',
      input: { substituteFrom: [{ kind: 'Secret' as const, name: 'nope', optional: true }, { kind: 'ConfigMap' as const, name: 'gone' }] },
      vars: {},
      secret: [],
      codes: ['substitute/missing-source'],
    },
  ])('$name', ({ input, vars, secret, codes }) => {
    const result = buildVarMap({ ...input, lookup })

    expect(result.vars).toEqual(vars)
    expect([...result.secretVars].sort()).toEqual(secret)
    expect(result.diagnostics.map((d) => d.code)).toEqual(codes)
  })
})

describe('readYaml11', () => {
  it.each<[string, unknown]>([
    ['on', true],
    ['Off', false],
    ['y', true],
    ['"yes"', 'yes'],
    ['2024-01-02', '2024-01-02'],
    ['1:30', '1:30'],
    ['0x1F', 31],
    ['1e3', 1000],
    ['.5', 0.5],
    ['.', '.'],
    ['~', null],
    ['1_000', 1000],
    ['.inf', Infinity],
  ])('v: %s', (scalar, expected) => {
    expect(readYaml11(`v: ${scalar}\n`)).toEqual({ ok: true, value: { v: expected } })
  })
})
