import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { findHelm, helmVersion, HelmPathError, NO_HELM, packagedHelm, packageRoot } from './helm-binary.js'

// A fake helm that leaves a mark when run: the tests check both what is chosen and that a
// planted one never runs.
function plant(dir: string, mark: string): string {
  mkdirSync(dir, { recursive: true })
  const p = join(dir, 'helm')
  writeFileSync(p, `#!/bin/sh\ntouch '${mark}'\necho v9.9.9-planted\n`)
  chmodSync(p, 0o755)
  return p
}

describe('findHelm', () => {
  let tmp = ''
  let workspace = ''
  let trusted = ''
  let mark = ''

  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'fluxgate-helm-binary-'))
    workspace = join(tmp, 'workspace')
    trusted = join(tmp, 'usr-bin')
    mark = join(tmp, 'planted-helm-ran')
    plant(workspace, mark)
    plant(join(workspace, 'bin'), mark)
  })
  afterEach(() => rmSync(tmp, { recursive: true, force: true }))

  const lookup = (requested: string | undefined, path: string, fallback = false) => ({ requested, untrusted: [workspace], env: { PATH: path }, fallback })

  it('uses an absolute path as given', () => {
    const helm = plant(trusted, join(tmp, 'trusted-ran'))
    expect(findHelm(lookup(helm, ''))).toEqual({ found: true, path: helm, source: 'given' })
  })

  it('refuses an absolute path where no executable file is', () => {
    expect(() => findHelm(lookup(join(tmp, 'nothing', 'helm'), ''))).toThrow(HelmPathError)
  })

  it('refuses a relative path with a slash instead of resolving it against the current folder', () => {
    for (const rel of ['./helm', 'bin/helm', '.tools/helm4/helm', '../helm', '.']) {
      expect(() => findHelm(lookup(rel, workspace))).toThrow(HelmPathError)
    }
  })

  it('looks a bare name up on PATH, skipping relative entries and entries inside the workspace', () => {
    const good = plant(trusted, join(tmp, 'trusted-ran'))
    const path = ['.', '', 'bin', workspace, join(workspace, 'bin'), trusted].join(':')
    expect(findHelm(lookup('helm', path))).toEqual({ found: true, path: good, source: 'path' })
  })

  it('does not find a helm that only the workspace has', () => {
    expect(() => findHelm(lookup('helm', `.:${workspace}:${join(workspace, 'bin')}`))).toThrow(/not found on PATH/)
    expect(findHelm(lookup(undefined, `.:${workspace}`, true))).toMatchObject({ found: true, source: 'packaged' })
  })

  it('skips a link on PATH that points into the workspace', () => {
    mkdirSync(trusted, { recursive: true })
    symlinkSync(join(workspace, 'helm'), join(trusted, 'helm'))
    expect(() => findHelm(lookup('helm', trusted))).toThrow(HelmPathError)
  })

  it('without a request: none unless a fallback is wanted', () => {
    expect(findHelm(lookup(undefined, trusted))).toEqual({ found: false, reason: NO_HELM })
    expect(findHelm(lookup('', trusted))).toEqual({ found: false, reason: NO_HELM })
  })

  it('falls back to the packaged helm, found from Fluxgate\'s own folder', () => {
    const choice = findHelm(lookup(undefined, `.:${workspace}`, true))
    expect(choice.found && choice.path.startsWith(packageRoot()!)).toBe(true)
    expect(choice.found && choice.source).toBe('packaged')
  })

  it('never runs the planted helm in any of these lookups', async () => {
    try { findHelm(lookup('helm', `.:${workspace}`)) } catch { /* refused */ }
    try { findHelm(lookup('./helm', workspace)) } catch { /* refused */ }
    const choice = findHelm(lookup(undefined, `.:${workspace}`, true))
    if (choice.found) await helmVersion(choice.path)
    expect(existsSync(mark)).toBe(false)
  })
})

describe('packaged helm', () => {
  it('is the repository root for this module, wherever the process runs', () => {
    expect(packageRoot()).toBe(resolve('.'))
    expect(packageRoot(tmpdir())).toBeUndefined()
  })

  it('finds Helm 4 from the platform package and Helm 3 from .tools in a checkout', async () => {
    const helm4 = packagedHelm(4)
    const helm3 = packagedHelm(3)
    if (process.platform === 'linux' && process.arch === 'x64') {
      expect(helm4).toBe(resolve('packages/helm-linux-x64/bin/helm'))
      expect(await helmVersion(helm4!)).toMatch(/^v4\./)
    }
    expect(helm3).toBe(resolve('.tools/helm3/helm'))
    expect(await helmVersion(helm3!)).toMatch(/^v3\./)
  })

  it('is absent for a folder without the package or .tools', () => {
    expect(packagedHelm(4, tmpdir())).toBeUndefined()
  })
})
