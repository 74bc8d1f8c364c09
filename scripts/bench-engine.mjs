// Kustomize engine benchmark (the fleet benchmark is scripts/bench.mjs): generates kustomization
// folders (bases, overlays with patches, generators, images, labels) in a temp dir, builds every
// overlay with our engine in one process, then, when kubectl is found, with `kubectl kustomize`
// (one process per folder, as a CI job calling the binary would), checks the outputs are
// identical and prints both times and the ratio.
//
//   node scripts/bench-engine.mjs [--count 500] [--kubectl PATH | --no-kubectl] [--keep] [--src DIR]
// --src bundles the engine from another checkout's root. Times are wall clock, plus CPU time
// (steadier on a busy machine).
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'

const { values } = parseArgs({ options: { count: { type: 'string', default: '500' }, kubectl: { type: 'string' }, 'no-kubectl': { type: 'boolean', default: false }, keep: { type: 'boolean', default: false }, src: { type: 'string' } } })
const count = Number(values.count)
const root = resolve(import.meta.dirname, '..')

// Bundle the engine (and DiskTree) from src so the benchmark needs no separate build step.
const cacheDir = join(root, '.cache')
mkdirSync(cacheDir, { recursive: true })
const bundle = join(cacheDir, values.src ? 'bench-kustomize-src.mjs' : 'bench-kustomize.mjs')
const srcRoot = values.src ? resolve(values.src) : root
await build({
  stdin: {
    contents: [
      "export { buildKustomization, serializeObjects } from './src/core/render/kustomize/index.ts'",
      "export { DiskTree } from './src/infra/disk-tree.ts'",
      '',
    ].join('\n'),
    resolveDir: srcRoot,
    loader: 'ts',
  },
  outfile: bundle,
  bundle: true,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  logLevel: 'warning',
})
const { buildKustomization, serializeObjects, DiskTree } = await import(pathToFileURL(bundle).href)

/** CPU milliseconds (user + system) used by this process since `start`. */
function cpuMs(start) {
  const u = process.cpuUsage(start)
  return (u.user + u.system) / 1000
}

function write(path, text) {
  mkdirSync(join(path, '..'), { recursive: true })
  writeFileSync(path, text)
}

/** Twenty bases of a few kinds each; every overlay picks one and customizes it. */
function generate(dir) {
  const bases = 20
  for (let b = 0; b < bases; b++) {
    const base = join(dir, 'bases', `app${b}`)
    write(join(base, 'kustomization.yaml'), `resources:\n- deployment.yaml\n- service.yaml\nconfigMapGenerator:\n- name: settings\n  literals:\n  - LOG_LEVEL=info\n  - BASE=${b}\ncommonLabels:\n  app: app${b}\n`)
    write(join(base, 'deployment.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${b}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      tier: web\n  template:\n    metadata:\n      labels:\n        tier: web\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app${b}:1.0.0\n        ports:\n        - containerPort: 8080\n        envFrom:\n        - configMapRef:\n            name: settings\n        volumeMounts:\n        - name: cfg\n          mountPath: /etc/app\n      volumes:\n      - name: cfg\n        configMap:\n          name: settings\n`)
    write(join(base, 'service.yaml'), `apiVersion: v1\nkind: Service\nmetadata:\n  name: app${b}\nspec:\n  selector:\n    tier: web\n  ports:\n  - port: 80\n    targetPort: 8080\n`)
  }
  const overlays = []
  for (let i = 0; i < count; i++) {
    const b = i % bases
    const o = join(dir, 'overlays', `env${i}`)
    overlays.push(o)
    write(join(o, 'kustomization.yaml'), [
      `namespace: team-${i % 37}`,
      `namePrefix: e${i}-`,
      'resources:',
      `- ../../bases/app${b}`,
      'labels:',
      '- pairs:',
      `    env: env${i}`,
      '  includeSelectors: false',
      'images:',
      `- name: registry.example.com/app${b}`,
      `  newTag: "2.${i}.0"`,
      'patches:',
      '- path: replicas.yaml',
      '- target:',
      '    kind: Service',
      '  patch: |-',
      '    - op: add',
      '      path: /metadata/annotations',
      '      value:',
      `        owner: team-${i % 11}`,
      'configMapGenerator:',
      '- name: settings',
      '  behavior: merge',
      '  literals:',
      `  - LOG_LEVEL=${i % 2 ? 'debug' : 'warn'}`,
      '- name: extra',
      '  files:',
      '  - app.properties',
      'secretGenerator:',
      '- name: creds',
      '  literals:',
      `  - token=t${i}`,
      '',
    ].join('\n'))
    write(join(o, 'replicas.yaml'), `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app${b}\nspec:\n  replicas: ${1 + (i % 5)}\n  template:\n    spec:\n      containers:\n      - name: app\n        resources:\n          limits:\n            memory: ${128 + i}Mi\n`)
    write(join(o, 'app.properties'), `overlay=${i}\nfeature.x=${i % 3 === 0}\n`)
  }
  return overlays
}

function findKubectl() {
  if (values['no-kubectl']) return undefined
  for (const p of [values.kubectl, '/usr/lib/google-cloud-sdk/bin/kubectl.1.32', join(root, '.tools/helm4/kubectl')]) if (p && existsSync(p)) return p
  return undefined
}

async function kustomizeBench() {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-bench-'))
  try {
    const overlays = generate(dir)
    const tree = new DiskTree('/')
    const ours = new Map()
    const t0 = performance.now()
    const c0 = process.cpuUsage()
    for (const o of overlays) {
      const r = buildKustomization(tree, o.slice(1), { reorder: 'legacy' })
      if (!r.ok) throw new Error(`${o}: ${r.diagnostics.map((d) => d.message).join('; ')}`)
      ours.set(o, serializeObjects(r.objects))
    }
    const oursMs = performance.now() - t0
    const oursCpu = cpuMs(c0)
    console.log(`fluxgate: ${overlays.length} kustomizations in ${(oursMs / 1000).toFixed(2)} s (${(oursMs / overlays.length).toFixed(1)} ms each, one process; CPU ${(oursCpu / overlays.length).toFixed(1)} ms each)`)
    const kubectl = findKubectl()
    if (!kubectl) {
      console.log('kubectl not found: reference timing skipped')
    } else {
      let mismatches = 0
      const t1 = performance.now()
      for (const o of overlays) {
        const out = execFileSync(kubectl, ['kustomize', o], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] })
        if (out !== ours.get(o)) {
          mismatches++
          if (mismatches <= 3) console.log(`MISMATCH ${o}`)
        }
      }
      const refMs = performance.now() - t1
      console.log(`${kubectl} kustomize: ${overlays.length} kustomizations in ${(refMs / 1000).toFixed(2)} s (${(refMs / overlays.length).toFixed(1)} ms each, one process per folder)`)
      console.log(`ratio: fluxgate is ${(refMs / oursMs).toFixed(1)}x faster; outputs identical: ${mismatches === 0 ? 'yes' : `no (${mismatches} differ)`}`)
      if (mismatches > 0) process.exitCode = 1
    }
  } finally {
    if (values.keep) console.log(`kept ${dir}`)
    else rmSync(dir, { recursive: true, force: true })
  }
}

await kustomizeBench()
