// The published package, as a user gets it: packs `fluxgate` and its helm platform package,
// installs the tarballs with --omit=dev into an empty folder outside the repository, and runs
// the installed CLI and library on the example fleet there. Then installs again as on macOS
// arm64 (npm --os/--cpu), where the helm package does not fit: install must still succeed and
// HelmReleases compare by values, said in one line. Run by .ci/run; `npm run check-package`.
// Packages come from the npm cache when they are there (--prefer-offline; the second install
// is --offline: everything it needs was fetched by the first).
import { spawn, spawnSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:net'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeDemoRepo } from './make-demo-repo.mjs'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const work = mkdtempSync(join(tmpdir(), 'fluxgate-package-'))
const keep = process.argv.includes('--keep')
let failures = 0

function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`)
  if (!ok) failures++
}

function npm(args, cwd) {
  const t0 = Date.now()
  const r = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } })
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr)
    throw new Error(`npm ${args.join(' ')} failed in ${cwd}`)
  }
  if (process.env.CHECK_PACKAGE_TIMES) console.log(`  (npm ${args[0]}: ${((Date.now() - t0) / 1000).toFixed(1)} s)`)
  return r
}

function pack(dir) {
  // Lifecycle scripts (prepack, prepare) print to the same stdout before npm's JSON.
  const out = npm(['pack', '--json', '--pack-destination', work], dir).stdout
  const [info] = JSON.parse(out.slice(out.lastIndexOf('\n[\n') + 1))
  return { file: join(work, info.filename), files: info.files.map((f) => f.path), size: info.size }
}

/** An empty project that depends on the two tarballs, the helm one optional as in `fluxgate`. */
function project(name, main, helm) {
  const dir = join(work, name)
  mkdirSync(dir)
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, private: true, dependencies: { fluxgate: `file:${main.file}` }, optionalDependencies: { '@fluxgate/helm-linux-x64': `file:${helm.file}` } }, null, 2))
  return dir
}

function fluxgate(cwd, args) {
  // --no: never fetch a package named fluxgate from the registry; only the installed one runs.
  return spawnSync('npx', ['--no', 'fluxgate', ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } })
}

/** Boots the App as the README says, with a throwaway key, and asks its probes. */
async function appAnswers(cwd) {
  const key = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs1', format: 'pem' })
  writeFileSync(join(work, 'app.pem'), key)
  const port = await new Promise((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port
      s.close(() => done(p))
    })
  })
  const env = { PATH: process.env.PATH, HOME: work, NODE_ENV: 'production', APP_ID: '1', PRIVATE_KEY_PATH: join(work, 'app.pem'), WEBHOOK_SECRET: 'check', HOST: '127.0.0.1', PORT: String(port), LOG_FORMAT: 'json', FLUXGATE_CACHE_DIR: join(work, 'app-cache') }
  const child = spawn('npx', ['--no', 'probot', 'run', 'fluxgate/app'], { cwd, env, stdio: 'ignore', detached: true })
  try {
    for (let i = 0; i < 100; i++) {
      try {
        const [health, ready] = await Promise.all([fetch(`http://127.0.0.1:${port}/healthz`), fetch(`http://127.0.0.1:${port}/readyz`)])
        return health.status === 200 && ready.status === 200
      } catch {
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    return false
  } finally {
    // npx runs probot as its child: stop the whole process group it leads.
    process.kill(-child.pid)
  }
}

try {
  console.log(`check-package: working in ${work}`)
  const main = pack(root)
  const helm = pack(join(root, 'packages', 'helm-linux-x64'))
  console.log(`fluxgate: ${main.files.length} files, ${(main.size / 1024).toFixed(0)} KiB packed; helm package ${(helm.size / 1048576).toFixed(1)} MiB`)
  const stray = main.files.filter((f) => !/^(bin\/|lib\/|package\.json$|README\.md$|LICENSE$|CHANGELOG\.md$|app\.yml$)/.test(f) || f.endsWith('.map'))
  check(stray.length === 0, `the tarball ships only what runs${stray.length ? `; also: ${stray.slice(0, 10).join(', ')}` : ''}`)
  check(main.files.includes('lib/cli.js') && main.files.includes('lib/app.js') && main.files.includes('lib/types/index.d.ts'), 'lib/ (CLI, App, library and its declarations) is built before packing')
  check(helm.files.includes('bin/helm'), 'the helm package carries bin/helm')

  // 1. Linux x64: the platform package fits.
  const app = project('app', main, helm)
  npm(['install', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], app)
  check(!existsSync(join(app, 'node_modules', 'esbuild')) && !existsSync(join(app, 'node_modules', 'typescript')), 'no devDependency installed')
  const fleet = join(app, 'fleet')
  makeDemoRepo(fleet)
  const version = fluxgate(fleet, ['version'])
  console.log(version.stdout.trim().replace(/^/gm, '    '))
  const linuxX64 = process.platform === 'linux' && process.arch === 'x64'
  if (linuxX64) check(version.stdout.includes(join('node_modules', '@fluxgate', 'helm-linux-x64', 'bin', 'helm')) && /v4\.\d+/.test(version.stdout), '`fluxgate version` names the packaged helm and its version')
  const render = fluxgate(fleet, ['render', '--repo', '.', '--path', 'clusters/staging'])
  check(render.status === 0, `\`npx fluxgate render --repo .\` exits 0 (${render.status})${render.status ? `\n${render.stderr}` : ''}`)
  if (linuxX64) check(/kind: Deployment\n\s*metadata:\n\s*name: web\b/.test(render.stdout) || render.stdout.includes('name: web\n  namespace: web'), 'the local chart is rendered by the packaged helm (Deployment web)')
  const diff = fluxgate(fleet, ['diff', '--repo', '.', '--base', 'main', '--head', 'demo-change', '--format', 'json'])
  let plan
  try {
    plan = JSON.parse(diff.stdout)
  } catch {
    plan = undefined
  }
  check(diff.status === 0 && plan?.clusters?.length === 2, `\`npx fluxgate diff\` plans both clusters (${diff.status})${diff.status ? `\n${diff.stderr}` : ''}`)
  check((plan?.totals?.change ?? 0) > 0 && (plan?.totals?.delete ?? 0) > 0, `the plan has changes and deletions (${JSON.stringify(plan?.totals ?? {})})`)
  const lib = spawnSync(process.execPath, ['--input-type=module', '-e', `
    import { renderFleet, DiskTree, planChange } from 'fluxgate'
    const fleet = await renderFleet(new DiskTree(${JSON.stringify(fleet)}), { revision: 'working-tree' })
    const plan = planChange(fleet, fleet)
    console.log(JSON.stringify({ clusters: fleet.clusters.map((c) => [c.name, c.objects.length]), changes: plan.clusters.flatMap((c) => c.changes).length }))
  `], { cwd: app, encoding: 'utf8' })
  const libOut = lib.status === 0 ? JSON.parse(lib.stdout) : undefined
  check(libOut?.clusters?.length === 2 && libOut.clusters.every(([, n]) => n > 0) && libOut.changes === 0, `the library renders a fleet and plans a change (${lib.stdout.trim() || lib.stderr.trim()})`)
  const types = readFileSync(join(app, 'node_modules', 'fluxgate', 'lib', 'types', 'index.d.ts'), 'utf8')
  check(/renderFleet/.test(types) && /planChange/.test(types), '`types` declares renderFleet and planChange')

  check(await appAnswers(app), 'the App starts from the installed package (`npx probot run fluxgate/app`) and answers /healthz and /readyz')

  // 2. A platform the helm package does not fit: install goes on without it.
  const other = project('other-platform', main, helm)
  npm(['install', '--omit=dev', '--offline', '--os=darwin', '--cpu=arm64', '--no-audit', '--no-fund'], other)
  check(!existsSync(join(other, 'node_modules', '@fluxgate', 'helm-linux-x64')), 'on darwin-arm64 the helm package is skipped and install succeeds')
  const otherFleet = join(other, 'fleet')
  makeDemoRepo(otherFleet)
  const bare = { ...process.env, PATH: [dirname(process.execPath), '/usr/bin', '/bin'].join(':') }
  const noHelm = spawnSync('npx', ['--no', 'fluxgate', 'render', '--repo', '.', '--path', 'clusters/staging'], { cwd: otherFleet, encoding: 'utf8', env: bare })
  const helmOnPath = ['/usr/bin/helm', '/bin/helm'].some((p) => existsSync(p))
  if (!helmOnPath) {
    const lines = noHelm.stderr.split('\n').filter((l) => l.includes('helm: none'))
    check(noHelm.status === 0 && lines.length === 1, `without any helm, render says so in one line (${lines[0] ?? noHelm.stderr.trim().split('\n')[0]})`)
  }
} catch (err) {
  console.error(`check-package: ${err.message}`)
  failures++
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true })
}
console.log(failures === 0 ? 'check-package: the packed package installs and runs' : `check-package: ${failures} check(s) failed`)
process.exit(failures === 0 ? 0 : 1)
