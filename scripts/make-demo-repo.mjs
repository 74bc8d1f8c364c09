// Turns examples/fleet (base) and examples/fleet-head (the pull request) into a Git
// repository with two commits on `main` and a `demo-change` branch.
// Usage: node scripts/make-demo-repo.mjs [DIR]   (prints the repository path)
// Also imported by tests and the demo: makeDemoRepo(dir) → { dir, base, head }.
import { execFileSync } from 'node:child_process'
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')

function git(dir, ...args) {
  return execFileSync('git', ['-C', dir, '-c', 'user.name=Demo Author', '-c', 'user.email=demo@acme.example', '-c', 'commit.gpgsign=false', ...args], {
    env: { ...process.env, GIT_AUTHOR_DATE: '2026-11-01T10:00:00Z', GIT_COMMITTER_DATE: '2026-11-01T10:00:00Z' },
  })
    .toString()
    .trim()
}

/** Builds the demo repository in `dir` (created when missing); returns its commits. */
export function makeDemoRepo(dir = mkdtempSync(join(tmpdir(), 'fluxgate-demo-'))) {
  const base = join(root, 'examples', 'fleet')
  const change = join(root, 'examples', 'fleet-head')
  cpSync(base, dir, { recursive: true })
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'Fleet: staging and production')
  const baseSha = git(dir, 'rev-parse', 'HEAD')
  git(dir, 'checkout', '-q', '-b', 'demo-change')
  for (const line of readFileSync(join(change, 'DELETE'), 'utf8').split('\n')) {
    const p = line.trim()
    if (p && !p.startsWith('#')) rmSync(join(dir, p), { recursive: true, force: true })
  }
  cpSync(change, dir, { recursive: true, filter: (src) => !src.endsWith('/DELETE') })
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'Bump podinfo, reword its greeting, replace guestbook with redis')
  const headSha = git(dir, 'rev-parse', 'HEAD')
  return { dir, base: baseSha, head: headSha }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2]
  if (target && existsSync(target)) {
    console.error(`make-demo-repo: ${target} already exists`)
    process.exit(2)
  }
  const repo = makeDemoRepo(target)
  console.log(JSON.stringify(repo))
}
