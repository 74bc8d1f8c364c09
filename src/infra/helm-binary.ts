import { execFile } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, realpathSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { delimiter, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Which helm binary Fluxgate runs. The same rules for the CLI (`--helm`), the Action
 * (`helm-path`) and the App (`FLUXGATE_HELM`), because each of them runs next to a checkout of a
 * pull request, and a `helm` file in that checkout is the pull request's code:
 *
 * - an absolute path is used as given;
 * - a bare name (`helm`) is looked up on PATH, skipping every entry that is relative (`.`, empty)
 *   or lies inside a folder under review (the workspace, the repository, the current folder);
 * - a relative path with a slash (`./helm`, `bin/helm`) is refused: it would resolve against
 *   whatever folder Fluxgate happens to run in;
 * - nothing given: the packaged helm (next to Fluxgate's own files, never the current folder),
 *   else `helm` on PATH by the rule above, else none: HelmReleases compare values only.
 */
export type HelmChoice =
  | { found: true; path: string; source: 'given' | 'packaged' | 'path' }
  | { found: false; reason: string }

/** A helm setting that can never be used: the front door reports it as a usage error. */
export class HelmPathError extends Error {}

export interface HelmLookup {
  /** What the user asked for (flag, input or variable); empty or undefined: not asked. */
  requested?: string | undefined
  /** The Helm major version wanted when nothing is requested (the packaged one is Helm 4). */
  major?: 3 | 4
  /** Folders holding pull-request content: PATH entries inside them are never searched. */
  untrusted: string[]
  /** The environment whose PATH is searched. */
  env: Record<string, string | undefined>
  /** Look for a packaged or PATH helm when nothing is requested (the CLI and the App do; the Action asks explicitly). */
  fallback: boolean
}

/** The line front doors print when no helm is available. */
export const NO_HELM = 'none: HelmReleases compare values only'

export function findHelm(lookup: HelmLookup): HelmChoice {
  const requested = lookup.requested?.trim()
  if (requested) {
    if (isAbsolute(requested)) {
      if (!isExecutableFile(requested)) throw new HelmPathError(`helm ${requested}: no executable file there`)
      return { found: true, path: requested, source: 'given' }
    }
    if (requested.includes('/') || requested.includes('\\') || requested === '.' || requested === '..') {
      throw new HelmPathError(`helm ${requested}: give an absolute path, or a bare name looked up on PATH (a relative path would run a file from the folder under review)`)
    }
    const onPath = searchPath(requested, lookup)
    if (!onPath) throw new HelmPathError(`helm ${requested}: not found on PATH (entries inside the repository under review are skipped)`)
    return { found: true, path: onPath, source: 'path' }
  }
  if (!lookup.fallback) return { found: false, reason: NO_HELM }
  const major = lookup.major ?? 4
  const packaged = packagedHelm(major)
  if (packaged) return { found: true, path: packaged, source: 'packaged' }
  // Helm on PATH is whatever version the machine has: good for the default (Helm 4 or a
  // deliberate choice of the machine's owner), not for an explicit request for Helm 3.
  const onPath = major === 4 ? searchPath('helm', lookup) : undefined
  if (onPath) return { found: true, path: onPath, source: 'path' }
  return { found: false, reason: major === 3 ? `${NO_HELM} (no Helm 3 is packaged: give --helm with an absolute path)` : NO_HELM }
}

/** `helm version --short` of a binary, or undefined when it does not run. */
export function helmVersion(path: string): Promise<string | undefined> {
  return new Promise((done) => {
    execFile(path, ['version', '--short'], { timeout: 10_000, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: '/nonexistent' } }, (err, stdout) => {
      done(err ? undefined : String(stdout).trim() || undefined)
    })
  })
}

/**
 * The helm that ships with Fluxgate. An installed package gets it from the optional dependency
 * `@fluxgate/helm-linux-x64` (npm installs it only on linux-x64; elsewhere it is skipped and
 * install goes on). A development checkout has `.tools/helm{3,4}/helm`, extracted by
 * scripts/setup-tools.mjs. Both are found from Fluxgate's own location, never the current folder.
 */
export function packagedHelm(major: 3 | 4 = 4, root: string | undefined = packageRoot()): string | undefined {
  if (!root) return undefined
  if (major === 4 && process.platform === 'linux' && process.arch === 'x64') {
    try {
      const pkg = createRequire(join(root, 'package.json')).resolve('@fluxgate/helm-linux-x64/package.json')
      const bin = join(dirname(pkg), 'bin', 'helm')
      if (isExecutableFile(bin)) return bin
    } catch {
      // not installed on this platform, or an install without optional dependencies
    }
  }
  const dev = join(root, '.tools', `helm${major}`, 'helm')
  return isExecutableFile(dev) ? dev : undefined
}

/**
 * Fluxgate's package folder: the first folder holding a package.json above this module. The
 * module runs from src/infra (tests), lib/ (CLI, App, library) or dist/ (Action bundle), so the
 * depth differs and is found rather than assumed.
 */
export function packageRoot(from: string = moduleDir()): string | undefined {
  let dir = from
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest) && hasName(manifest)) return dir
    const up = dirname(dir)
    if (up === dir) return undefined
    dir = up
  }
}

function moduleDir(): string {
  return dirname(fileURLToPath(import.meta.url))
}

function hasName(manifest: string): boolean {
  try {
    return typeof (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'string'
  } catch {
    return false
  }
}

function searchPath(name: string, lookup: HelmLookup): string | undefined {
  const untrusted = lookup.untrusted.map(canonical)
  for (const entry of (lookup.env['PATH'] ?? '').split(delimiter)) {
    if (!entry || !isAbsolute(entry)) continue
    const dir = canonical(entry)
    if (untrusted.some((root) => inside(dir, root))) continue
    const candidate = join(entry, name)
    if (!isExecutableFile(candidate)) continue
    // A link in a trusted folder that points into the checkout is the checkout's file.
    if (untrusted.some((root) => inside(canonical(candidate), root))) continue
    return candidate
  }
  return undefined
}

function canonical(p: string): string {
  try {
    return realpathSync(p)
  } catch {
    return resolve(p)
  }
}

function inside(p: string, root: string): boolean {
  const rel = relative(root, p)
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel))
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false
    accessSync(p, constants.X_OK)
    return true
  } catch {
    return false
  }
}
