// Extracts the helm (and kubectl, for differential tests only) binaries shipped inside the
// kubectl-layer devDependencies into .tools/. Runs as the package's postinstall; idempotent.
// A production install (--omit=dev) has no layers: the script then says so and exits 0, and
// Fluxgate uses the helm found by --helm / FLUXGATE_HELM / PATH instead.
import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { tmpdir } from 'node:os'

const require = createRequire(import.meta.url)
const root = process.cwd()
const wanted = [
  ['kubectl-layer-helm4', 'helm/helm', '.tools/helm4/helm'],
  ['kubectl-layer-helm4', 'kubectl/kubectl', '.tools/helm4/kubectl'],
  ['kubectl-layer-helm3', 'helm/helm', '.tools/helm3/helm'],
]
for (const [pkg, member, dest] of wanted) {
  const out = join(root, dest)
  if (existsSync(out)) continue
  let zip
  try {
    zip = join(dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'layer.zip')
  } catch {
    console.log(`setup-tools: ${pkg} is not installed (production install?); skipping ${dest}`)
    continue
  }
  const tmp = mkdtempSync(join(tmpdir(), 'layer-'))
  try {
    execFileSync('unzip', ['-q', '-o', zip, member, '-d', tmp])
    mkdirSync(dirname(out), { recursive: true })
    renameSync(join(tmp, member), out)
    chmodSync(out, 0o755)
  } catch (err) {
    console.log(`setup-tools: could not extract ${member} from ${pkg}: ${err.message}`)
  } finally {
    rmSync(tmp, { recursive: true, force: true })
  }
}
for (const dest of ['.tools/helm4/helm', '.tools/helm3/helm']) {
  if (existsSync(join(root, dest))) {
    console.log(dest, execFileSync(join(root, dest), ['version', '--short']).toString().trim())
  }
}
