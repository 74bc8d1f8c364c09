import { execFile, fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { packageRoot } from './helm-binary.js'

/** How long a helper with nothing to run is kept. */
const IDLE_MS = 5000

/** A command to run: the binary (an absolute path), its arguments and its whole environment. */
export interface Launch {
  cmd: string
  args: string[]
  env: Record<string, string>
  maxBuffer: number
}

/** How it ended, as execFile reports it. */
export interface Launched {
  ok: boolean
  stdout: string
  stderr: string
}

/** Messages to the helper (launcher-child.ts) and back. */
export type ToLauncher = Launch & { id: number }
export type FromLauncher = Launched & { id: number }

/**
 * Runs commands (helm) from a small helper process rather than this one. Starting a process
 * copies the starter's page tables, so it costs in proportion to the starter's memory, and
 * the starting thread waits for it: 1.8 ms each from a 50 MB process, 3.8 ms from 370 MB
 * (Node 20 and 24 alike), and 4.2 s of the 10,000-Kustomization render's 74 s for its 496 helm
 * runs. The helper stays small, so its starts stay cheap, and they happen outside this thread.
 *
 * The helper is started on the first run and lets this process exit whenever nothing runs. If
 * it cannot start, or ends, what it had not answered runs here, as does everything after:
 * nothing is lost, it only costs what it cost before.
 */
export class Launcher {
  private child: ChildProcess | undefined
  /** True once the helper cannot be used: everything runs here. */
  private gone = false
  /** Ends an idle helper: a process (a test runner's) that made many Launchers keeps no idle helpers. */
  private idle: ReturnType<typeof setTimeout> | undefined
  private readonly waiting = new Map<number, { launch: Launch; done: (r: Launched) => void }>()
  private next = 0

  /** `script`: the helper's script; null for none (everything runs here). `idleMs`: how long an idle helper is kept. */
  constructor(
    private readonly script: string | null = launcherScript() ?? null,
    private readonly idleMs = IDLE_MS,
  ) {}

  run(launch: Launch): Promise<Launched> {
    const child = this.helper()
    if (!child) return runHere(launch)
    clearTimeout(this.idle)
    return new Promise((done) => {
      const id = ++this.next
      this.waiting.set(id, { launch, done })
      this.hold(child, true)
      const msg: ToLauncher = { id, ...launch }
      child.send(msg, (err) => {
        if (err) this.lost()
      })
    })
  }

  /** Ends the helper; what it had not answered runs here. */
  dispose(): void {
    this.lost()
  }

  private helper(): ChildProcess | undefined {
    if (this.child || this.gone) return this.child
    if (!this.script) {
      this.gone = true
      return undefined
    }
    try {
      // Without this process's flags (a heap limit, --cpu-prof): the helper only starts processes.
      const child = fork(this.script, [], { execPath: process.execPath, execArgv: [], stdio: ['ignore', 'ignore', 'ignore', 'ipc'], serialization: 'advanced' })
      child.on('message', (m: FromLauncher) => {
        const w = this.waiting.get(m.id)
        if (!w) return
        this.waiting.delete(m.id)
        if (this.waiting.size === 0) this.rest(child)
        w.done({ ok: m.ok === true, stdout: String(m.stdout), stderr: String(m.stderr) })
      })
      // Only the present helper's end matters: one let go when idle ends as it should.
      child.on('error', () => this.child === child && this.lost())
      child.on('exit', () => this.child === child && this.lost())
      this.child = child
      this.rest(child)
      return child
    } catch {
      this.gone = true
      return undefined
    }
  }

  /**
   * Nothing runs: the helper no longer keeps this process alive, and after `idleMs` it is let go
   * (the next run starts another).
   */
  private rest(child: ChildProcess): void {
    this.hold(child, false)
    clearTimeout(this.idle)
    this.idle = setTimeout(() => {
      if (this.child !== child || this.waiting.size > 0) return
      this.child = undefined
      if (child.connected) child.disconnect()
    }, this.idleMs)
    this.idle.unref()
  }

  /** The helper keeps this process alive only while it runs something for it. */
  private hold(child: ChildProcess, busy: boolean): void {
    if (busy) {
      child.ref()
      child.channel?.ref()
    } else {
      child.unref()
      child.channel?.unref()
    }
  }

  /** The helper is gone: what it had not answered runs here, and so does what comes next. */
  private lost(): void {
    const child = this.child
    clearTimeout(this.idle)
    this.gone = true
    this.child = undefined
    // One that still runs is let go: it ends once its commands have, and holds nothing here.
    if (child) {
      child.removeAllListeners('message')
      if (child.connected) child.disconnect()
      child.unref()
    }
    const left = [...this.waiting.values()]
    this.waiting.clear()
    for (const w of left) void runHere(w.launch).then(w.done)
  }
}

/** Runs a command in this process (the helper itself, and the way back when there is none). */
export function runHere(launch: Launch): Promise<Launched> {
  return new Promise((done) => {
    execFile(launch.cmd, launch.args, { env: launch.env, maxBuffer: launch.maxBuffer }, (err, stdout, stderr) => {
      done({ ok: !err, stdout: String(stdout), stderr: String(stderr) || (err ? err.message : '') })
    })
  })
}

/** The helper's script: launcher-child.js beside the module that holds this code (lib/, dist/), or in the package's lib/. */
export function launcherScript(): string | undefined {
  const candidates = [fileURLToPath(new URL('./launcher-child.js', import.meta.url)), ...(packageRoot() ? [join(packageRoot()!, 'lib', 'launcher-child.js')] : [])]
  return candidates.find((p) => p.endsWith('.js') && existsSync(p))
}
