import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { main } from '../../../src/adapters/cli/main.js'

/** Runs git in `dir` with a fixed identity (test repositories only). */
export function git(dir: string, ...args: string[]): string {
  return execFileSync('git', ['-C', dir, '-c', 'user.email=test@fluxgate.invalid', '-c', 'user.name=fluxgate-test', ...args], { encoding: 'utf8' })
}

/** A fresh Git repository on branch `main`. */
export function newRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluxgate-plan-'))
  git(dir, 'init', '-q', '-b', 'main')
  return dir
}

/** Replaces the work tree with a copy of `from` (a folder) or `files`, and commits everything. */
export function commitTree(dir: string, from: string | Record<string, string>, message: string): string {
  for (const entry of readdirSync(dir)) if (entry !== '.git') rmSync(join(dir, entry), { recursive: true, force: true })
  if (typeof from === 'string') cpSync(from, dir, { recursive: true })
  else {
    for (const [path, text] of Object.entries(from)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
  }
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '--allow-empty', '-m', message)
  return git(dir, 'rev-parse', 'HEAD').trim()
}

/** What one CLI run printed. */
export interface CliRun {
  code: number
  stdout: string
  stderr: string
}

/** Runs `fluxgate …` in-process with captured output. */
export async function fluxgate(argv: string[], env: Record<string, string | undefined> = {}, isTty = false): Promise<CliRun> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env, cwd: process.cwd(), isTty })
  return { code, stdout, stderr }
}
