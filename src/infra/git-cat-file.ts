import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import type { Socket } from 'node:net'

/** An object as `git cat-file --batch` or `--batch-check` names it; `body` only with `--batch`. */
export type CatAnswer = { id: string; type: string; size: number; body?: Buffer } | { missing: string }

/** Thrown when the git process itself fails or ends (not a repository, git missing). */
export class CatFileError extends Error {}

/** An idle process is ended after this long, unless its reader says otherwise (GitRepo `idleMs`). */
const IDLE_MS = 60_000

interface Pending {
  count: number
  answers: CatAnswer[]
  resolve: (a: CatAnswer[]) => void
  reject: (e: Error) => void
}

/**
 * One long-lived `git cat-file --batch` (or `--batch-check`) process for a repository: object
 * names go in, one per line, and answers come back in the same order. A reader kept between
 * plans (the App's warm worker) asks it for the few objects a new push adds instead of starting
 * `ls-tree` and `cat-file` for every commit. No library speaks this protocol without also
 * bringing a Git implementation of its own; the protocol is a header line and a body.
 *
 * Requests may overlap: each is written whole, and its answers are the next `count` that come
 * back. The process holds the event loop open only while a request is under way (a CLI exits
 * without closing it), and is ended after `idleMs` without one. A process that fails or ends
 * fails every request under way; the next request starts a new one.
 */
export class CatFile {
  private child: ChildProcessWithoutNullStreams | undefined
  private readonly pending: Pending[] = []
  private chunks: Buffer[] = []
  private buffered = 0
  /** The header of the answer whose body is awaited. */
  private header: { id: string; type: string; size: number } | undefined
  private stderr = ''
  private idle: ReturnType<typeof setTimeout> | undefined

  constructor(
    private readonly dir: string,
    private readonly mode: '--batch' | '--batch-check',
    private readonly idleMs: number = IDLE_MS,
  ) {}

  /** The answers for `names` (full object ids or `<id>^{tree}`-like names without whitespace), in order. */
  ask(names: readonly string[]): Promise<CatAnswer[]> {
    if (names.length === 0) return Promise.resolve([])
    for (const n of names) if (n === '' || /[\s\0]/.test(n)) return Promise.reject(new CatFileError(`git cat-file: '${n}' is not an object name`))
    let child: ChildProcessWithoutNullStreams
    try {
      child = this.process()
    } catch (err) {
      return Promise.reject(new CatFileError(`git cat-file could not start in ${this.dir}: ${err instanceof Error ? err.message : String(err)}`))
    }
    return new Promise<CatAnswer[]>((resolve, reject) => {
      this.pending.push({ count: names.length, answers: [], resolve, reject })
      this.hold(true)
      child.stdin.write(names.join('\n') + '\n')
    })
  }

  /**
   * Ends the process (requests under way fail); resolves once it has exited. A worker thread
   * that ends must wait for that: a process it started is reaped by its own event loop only.
   */
  close(): Promise<void> {
    const child = this.child
    if (!child) return Promise.resolve()
    this.child = undefined
    const exited = child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((done) => child.once('exit', () => done()))
    this.fail(new CatFileError('git cat-file was closed'))
    child.stdin.end()
    child.kill()
    return exited
  }

  private process(): ChildProcessWithoutNullStreams {
    if (this.child) return this.child
    const child = spawn('git', ['-C', this.dir, 'cat-file', this.mode], { stdio: ['pipe', 'pipe', 'pipe'] })
    this.child = child
    this.chunks = []
    this.buffered = 0
    this.header = undefined
    this.stderr = ''
    child.stdout.on('data', (c: Buffer) => this.receive(child, c))
    child.stderr.on('data', (c: Buffer) => (this.stderr = (this.stderr + c.toString()).slice(-2000)))
    // A write to a process that has ended fails the requests, like its end does.
    child.stdin.on('error', () => undefined)
    const ended = (why: string): void => {
      if (this.child !== child) return
      this.child = undefined
      this.fail(new CatFileError(`git cat-file ended in ${this.dir}: ${this.stderr.trim() || why}`))
    }
    child.on('error', (err) => ended(err.message))
    child.on('close', (code, signal) => ended(`exit ${code ?? signal}`))
    return child
  }

  /** Holds the event loop open while requests are under way; an idle process is ended later. */
  private hold(busy: boolean): void {
    const child = this.child
    if (this.idle) clearTimeout(this.idle)
    this.idle = undefined
    if (!child) return
    for (const h of [child, child.stdin, child.stdout, child.stderr] as unknown as (Socket | { ref(): void; unref(): void })[]) {
      if (busy) h.ref()
      else h.unref()
    }
    if (!busy) {
      this.idle = setTimeout(() => this.pending.length === 0 && this.close(), this.idleMs)
      this.idle.unref()
    }
  }

  private fail(err: Error): void {
    const all = this.pending.splice(0)
    for (const p of all) p.reject(err)
    if (this.idle) clearTimeout(this.idle)
    this.idle = undefined
  }

  private receive(child: ChildProcessWithoutNullStreams, chunk: Buffer): void {
    if (this.child !== child) return
    this.chunks.push(chunk)
    this.buffered += chunk.length
    // Bytes are joined only once enough of them have arrived for the next step: a large body
    // arriving in many chunks is copied once, not once per chunk.
    for (;;) {
      if (this.header) {
        const need = this.header.size + 1
        if (this.buffered < need) return
        const buf = this.take(need)
        this.answer({ ...this.header, body: buf.subarray(0, this.header.size) })
        this.header = undefined
        continue
      }
      if (this.buffered === 0) return
      const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
      const nl = joined.indexOf(10)
      if (nl < 0) {
        this.chunks = [joined]
        return
      }
      const line = joined.toString('utf8', 0, nl)
      this.chunks = nl + 1 < joined.length ? [joined.subarray(nl + 1)] : []
      this.buffered = joined.length - nl - 1
      const parts = line.split(' ')
      if (parts.length === 3 && /^\d+$/.test(parts[2]!)) {
        const header = { id: parts[0]!, type: parts[1]!, size: Number(parts[2]) }
        if (this.mode === '--batch') this.header = header
        else this.answer(header)
      } else this.answer({ missing: line.slice(0, line.lastIndexOf(' ')) || line })
    }
  }

  private take(n: number): Buffer {
    const joined = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks)
    this.chunks = joined.length > n ? [joined.subarray(n)] : []
    this.buffered = joined.length - n
    return joined.subarray(0, n)
  }

  private answer(a: CatAnswer): void {
    const p = this.pending[0]
    if (!p) return
    p.answers.push(a)
    if (p.answers.length < p.count) return
    this.pending.shift()
    if (this.pending.length === 0) this.hold(false)
    p.resolve(p.answers)
  }
}
