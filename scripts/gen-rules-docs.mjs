// Writes docs/rules.md from the gate rule registry (src/core/gate/registry.ts) and the Flux
// behaviours the plan cites (src/report/rules-doc.ts). `--check` exits 1 when the file is stale;
// test/docs/rules-doc.test.ts fails the same way, so the document cannot drift from the code.
// The TypeScript sources are bundled with esbuild (a devDependency) into .cache/ (where the
// bundle's package imports resolve from node_modules), imported, and removed.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const FILE = join(root, 'docs', 'rules.md')

const entry = `import { GATE_RULES } from './src/core/gate/registry.js'\nimport { rulesDocument } from './src/report/rules-doc.js'\nexport const text = rulesDocument(GATE_RULES)\n`
const built = await esbuild.build({
  stdin: { contents: entry, resolveDir: root, sourcefile: 'gen-rules-docs-entry.ts', loader: 'ts' },
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'node',
  packages: 'external',
  absWorkingDir: root,
  logLevel: 'warning',
})
mkdirSync(join(root, '.cache'), { recursive: true })
const bundle = join(root, '.cache', `gen-rules-docs-${process.pid}.mjs`)
writeFileSync(bundle, built.outputFiles[0].text)
let text
try {
  ;({ text } = await import(bundle))
} finally {
  rmSync(bundle, { force: true })
}

const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : ''
if (process.argv.includes('--check')) {
  if (current !== text) {
    console.error('docs/rules.md is stale: run node scripts/gen-rules-docs.mjs')
    process.exit(1)
  }
} else if (current !== text) {
  writeFileSync(FILE, text)
  console.log('docs/rules.md written')
}
