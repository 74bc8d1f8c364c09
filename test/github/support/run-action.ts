/**
 * Runs the bundled Action (`dist/index.js`) as the Actions runner does: a child process with
 * GITHUB_* variables, the event payload in GITHUB_EVENT_PATH and INPUT_* variables, with the
 * API pointed at the GitHub double. The child has no proxy and talks to 127.0.0.1 only.
 */
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

export interface ActionRun {
  code: number
  stdout: string
  /** Outputs the step set (GITHUB_OUTPUT). */
  outputs: Record<string, string>
  /** The job summary written (GITHUB_STEP_SUMMARY). */
  summary: string
  /** RUNNER_TEMP of the run (left in place until the test file ends), to check what the step left behind. */
  runnerTemp: string
}

const BUNDLE = resolve('dist/index.js')

/** RUNNER_TEMP folders of this test file's runs: removed when the file's tests are done. */
const made: string[] = []
afterAll(() => {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true })
})

function parseOutputs(text: string): Record<string, string> {
  // `name<<DELIM\nvalue\nDELIM` blocks, as @actions/core writes them.
  const out: Record<string, string> = {}
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!
  return out
}

/**
 * Runs the bundle once for `eventName` with `payload`; `inputs` are the step's `with:` values.
 * `node` is the Node.js binary (default: the one running the tests), `path` the step's PATH.
 */
export async function runAction(opts: { apiUrl: string; workspace: string; eventName: string; payload: unknown; inputs: Record<string, string>; node?: string; path?: string }): Promise<ActionRun> {
  const tmp = mkdtempSync(join(tmpdir(), 'fluxgate-action-'))
  made.push(tmp)
  const files = { event: join(tmp, 'event.json'), output: join(tmp, 'output'), summary: join(tmp, 'summary.md') }
  writeFileSync(files.event, JSON.stringify(opts.payload))
  writeFileSync(files.output, '')
  writeFileSync(files.summary, '')
  const repo = (opts.payload as { repository: { full_name: string } }).repository.full_name
  const env: Record<string, string> = {
    PATH: opts.path ?? process.env['PATH'] ?? '',
    HOME: process.env['HOME'] ?? tmp,
    GITHUB_ACTIONS: 'true',
    GITHUB_REPOSITORY: repo,
    GITHUB_EVENT_NAME: opts.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_WORKSPACE: opts.workspace,
    GITHUB_API_URL: opts.apiUrl,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_RUN_ID: '4242',
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    RUNNER_TEMP: tmp,
    GIT_TERMINAL_PROMPT: '0',
    ...Object.fromEntries(Object.entries(opts.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  }
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((done) => {
    execFile(opts.node ?? process.execPath, [BUNDLE], { env, cwd: opts.workspace }, (err, so, se) => {
      done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout: so + se })
    })
  })
  return { code, stdout, outputs: parseOutputs(readFileSync(files.output, 'utf8')), summary: readFileSync(files.summary, 'utf8'), runnerTemp: tmp }
}
