// Regenerates the Action's inputs and outputs tables from action.yml into README.md (and
// docs/github.md), between `<!-- action-inputs:start -->` and `<!-- action-inputs:end -->`.
// Only the text between the markers changes. `--check` exits 1 when a file is stale.
import { readFileSync, writeFileSync, existsSync } from 'node:fs'
import { parse } from 'yaml'

const START = '<!-- action-inputs:start -->'
const END = '<!-- action-inputs:end -->'
const FILES = ['README.md', 'docs/github.md']

const cell = (s) => String(s ?? '').replace(/\s+/g, ' ').trim().replaceAll('|', '\\|')

/** The markdown tables for action.yml's inputs and outputs. */
export function actionTables(actionYml) {
  const action = parse(actionYml)
  const lines = ['| Input | Description | Default |', '|---|---|---|']
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    const def = input.default === undefined || input.default === '' ? '' : `\`${cell(input.default)}\``
    lines.push(`| \`${name}\`${input.required ? ' (required)' : ''} | ${cell(input.description)} | ${def} |`)
  }
  lines.push('', '| Output | Description |', '|---|---|')
  for (const [name, output] of Object.entries(action.outputs ?? {})) lines.push(`| \`${name}\` | ${cell(output.description)} |`)
  return lines.join('\n')
}

const tables = actionTables(readFileSync('action.yml', 'utf8'))
const check = process.argv.includes('--check')
let stale = false
for (const file of FILES) {
  if (!existsSync(file)) continue
  const text = readFileSync(file, 'utf8')
  const a = text.indexOf(START)
  const b = text.indexOf(END)
  if (a < 0 || b < a) continue
  const next = `${text.slice(0, a + START.length)}\n${tables}\n${text.slice(b)}`
  if (next === text) continue
  stale = true
  if (check) console.error(`${file}: the action inputs table is stale; run node scripts/gen-action-docs.mjs`)
  else writeFileSync(file, next)
}
if (check && stale) process.exit(1)
