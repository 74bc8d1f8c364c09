import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

// The rule set of .dependency-cruiser.mjs plus the sibling-folder check of scripts/depcheck.mjs,
// run as CI runs them (`npm run depcheck`): on a small tree that breaks each rule once, and on
// the real src/, which must break none.

interface Violation {
  rule: string
  from: string
  to: string
  cycle?: string[]
}

function depcheck(root: string): { status: number | null; violations: Violation[] } {
  const run = spawnSync(process.execPath, ['scripts/depcheck.mjs', '--root', root, '--json'], { encoding: 'utf8' })
  if (run.status === 2) throw new Error(run.stderr)
  return { status: run.status, violations: (JSON.parse(run.stdout) as { violations: Violation[] }).violations }
}

const TREE: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'fixture', type: 'module', dependencies: { probot: '*', yaml: '*' }, devDependencies: { nock: '*' } }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true }, include: ['src/**/*.ts'] }),
  // allowed: core → core, a pure package, a port type; a port → core/model types
  'src/core/model/object.ts': 'export interface KubeObject { kind: string }\n',
  'src/core/load/load.ts': "import { parse } from 'yaml'\nimport type { FileTree } from '../../ports/file-tree.js'\nimport type { KubeObject } from '../model/object.js'\nexport const load = (t: FileTree): KubeObject => parse(t.read()) as KubeObject\n",
  'src/ports/file-tree.ts': "import type { KubeObject } from '../core/model/object.js'\nexport interface FileTree { read(): string; last?: KubeObject }\n",
  // core-no-node
  'src/core/load/disk.ts': "import { readFileSync } from 'node:fs'\nexport const read = (p: string): string => readFileSync(p, 'utf8')\n",
  // core-inward: the core reaching an adapter
  'src/core/load/entry.ts': "import { main } from '../../adapters/cli/main.js'\nexport const entry = main\n",
  'src/adapters/cli/main.ts': 'export const main = (): number => 0\n',
  // core-pure-packages + sdk-at-edges: an SDK in the core
  'src/core/load/app.ts': "import { Probot } from 'probot'\nexport const app = Probot\n",
  // ports-are-types: a value import of a port
  'src/core/load/port-value.ts': "import { port } from '../../ports/values.js'\nexport const p = port\n",
  'src/ports/values.ts': 'export const port = 1\n',
  // a type-only cycle between two sibling folders, with no file cycle: gate/a → prune/b, prune/c → gate/d
  'src/core/gate/a.ts': "import type { B } from '../prune/b.js'\nexport type A = B[]\n",
  'src/core/prune/b.ts': 'export interface B { id: string }\n',
  'src/core/prune/c.ts': "import type { D } from '../gate/d.js'\nexport type C = D | undefined\n",
  'src/core/gate/d.ts': 'export interface D { id: string }\n',
  // no-cycle: two files of one folder
  'src/core/diff/x.ts': "import { y } from './y.js'\nexport const x = (): number => y() + 1\n",
  'src/core/diff/y.ts': "import { x } from './x.js'\nexport const y = (): number => (Math.PI > 4 ? x() : 0)\n",
  // front-doors-apart
  'src/adapters/action/run.ts': "import { handler } from '../app/handler.js'\nexport const run = handler\n",
  'src/adapters/app/handler.ts': 'export const handler = (): void => {}\n',
  // flows-inward: a flow choosing infra
  'src/flows/plan.ts': "import { git } from '../infra/git.js'\nexport const plan = git\n",
  'src/infra/git.ts': 'export const git = (): void => {}\n',
  // report-core-types: a presenter running core code beyond the model's helpers
  'src/report/text.ts': "import { x } from '../core/diff/x.js'\nexport const text = (): string => String(x())\n",
  // infra-inward: infra calling a presenter
  'src/infra/log.ts': "import { text } from '../report/text.js'\nexport const log = text\n",
  // github-shared: the shared GitHub code depending on one front door
  'src/adapters/github/publish.ts': "import type { run } from '../action/run.js'\nexport type Publish = typeof run\n",
  // ports-see-model: a port built on more than core/model; since core/load uses ports, it is
  // also a sibling-folder cycle (src/ports counts as a folder of src/core)
  'src/ports/loader.ts': "import type { load } from '../core/load/load.js'\nexport type Loader = typeof load\n",
  // resolvable
  'src/core/load/lost.ts': "import { gone } from './gone.js'\nexport const lost = gone\n",
  // no-dev-deps
  'src/infra/mock.ts': "import nock from 'nock'\nexport const mock = nock\n",
  // the packages named above, as small as a package can be
  ...Object.fromEntries(
    ['probot', 'yaml', 'nock'].flatMap((name) => [
      [`node_modules/${name}/package.json`, JSON.stringify({ name, type: 'module', main: 'index.js' })],
      [`node_modules/${name}/index.js`, 'export const parse = (s) => s\nexport class Probot {}\nexport default {}\n'],
    ]),
  ),
}

describe('dependency rules (npm run depcheck)', () => {
  let root: string
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'depcheck-'))
    for (const [path, text] of Object.entries(TREE)) {
      mkdirSync(dirname(join(root, path)), { recursive: true })
      writeFileSync(join(root, path), text)
    }
  })
  afterAll(() => rmSync(root, { recursive: true, force: true }))

  it('reports each broken rule once, and nothing that is allowed', () => {
    const { status, violations } = depcheck(root)
    expect(status).toBe(1)
    const found = violations.map((v) => `${v.rule}: ${v.cycle ? v.cycle.join(' → ') : `${v.from} → ${v.to}`}`).sort()
    expect(found).toEqual(
      [
        'core-no-node: src/core/load/disk.ts → fs',
        'core-inward: src/core/load/entry.ts → src/adapters/cli/main.ts',
        'adapters-outermost: src/core/load/entry.ts → src/adapters/cli/main.ts',
        'core-pure-packages: src/core/load/app.ts → node_modules/probot/index.js',
        'sdk-at-edges: src/core/load/app.ts → node_modules/probot/index.js',
        'yaml-one-module: src/core/load/load.ts → node_modules/yaml/index.js',
        'ports-are-types: src/core/load/port-value.ts → src/ports/values.ts',
        'no-sibling-folder-cycle: src/core/gate → src/core/prune → src/core/gate',
        'no-cycle: src/core/diff/x.ts → src/core/diff/y.ts → src/core/diff/x.ts',
        'front-doors-apart: src/adapters/action/run.ts → src/adapters/app/handler.ts',
        'flows-inward: src/flows/plan.ts → src/infra/git.ts',
        'no-dev-deps: src/infra/mock.ts → node_modules/nock/index.js',
        'report-core-types: src/report/text.ts → src/core/diff/x.ts',
        'infra-inward: src/infra/log.ts → src/report/text.ts',
        'github-shared: src/adapters/github/publish.ts → src/adapters/action/run.ts',
        'ports-see-model: src/ports/loader.ts → src/core/load/load.ts',
        'no-sibling-folder-cycle: src/core/load → src/ports → src/core/load',
        'resolvable: src/core/load/lost.ts → ./gone.js',
      ].sort(),
    )
  })

  it('finds no violation in the real src/', () => {
    expect(depcheck(process.cwd())).toEqual({ status: 0, violations: [] })
  })
})
