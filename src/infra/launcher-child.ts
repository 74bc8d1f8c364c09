/**
 * The helper process of Launcher (launcher.ts; lib/launcher-child.js, dist/launcher-child.js):
 * runs each command it is sent and sends back how it ended. It is started by Fluxgate itself,
 * with commands Fluxgate built (an absolute binary path, arguments, a whole environment), and
 * imports nothing else, so that it stays small: that is its point.
 */
import { execFile } from 'node:child_process'
import type { FromLauncher, ToLauncher } from './launcher.js'

process.on('message', (m: ToLauncher) => {
  execFile(m.cmd, m.args, { env: m.env, maxBuffer: m.maxBuffer }, (err, stdout, stderr) => {
    const answer: FromLauncher = { id: m.id, ok: !err, stdout: String(stdout), stderr: String(stderr) || (err ? err.message : '') }
    // Once the starting process is gone (or done with it), nothing is sent, and the helper
    // ends by itself when its last command has.
    if (process.connected) process.send?.(answer)
  })
})
