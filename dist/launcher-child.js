import { createRequire as __fgCreateRequire } from 'node:module'; const require = __fgCreateRequire(import.meta.url);

// src/infra/launcher-child.ts
import { execFile } from "node:child_process";
process.on("message", (m) => {
  execFile(m.cmd, m.args, { env: m.env, maxBuffer: m.maxBuffer }, (err, stdout, stderr) => {
    const answer = { id: m.id, ok: !err, stdout: String(stdout), stderr: String(stderr) || (err ? err.message : "") };
    if (process.connected) process.send?.(answer);
  });
});
