// The import arrows of README "Architecture", checked by `npm run depcheck` (scripts/depcheck.mjs,
// which adds the sibling-folder cycle check dependency-cruiser cannot express). Type-only
// imports count as imports (tsPreCompilationDeps): a type can close a cycle as well as a value.
// Test files and their __fixtures__ are left out: tests may import anything.

/** Packages the core may import: pure code, no I/O, no clock. */
const PURE_PACKAGES = [
  'yaml', // only from src/core/yaml (rule yaml-one-module)
  'semver',
  '@noble/hashes',
  're2js',
  'diff',
  'p-limit', // a promise queue; core/live bounds its cluster reads with it
  '@marcbachmann/cel-js', // CEL, for CRD x-kubernetes-validations (pure JS, no I/O)
  'lru-cache', // the render caches, bounded by size (no TTL is used: no clock, no timer)
]
/** SDKs and clients: only src/infra and src/adapters wire them. */
const SDKS = ['@actions/', 'probot/', '@probot/', '@kubernetes/client-node/', '@octokit/', 'nock/']

const npm = ['npm', 'npm-dev', 'npm-optional', 'npm-peer', 'npm-bundled', 'npm-no-pkg', 'npm-unknown']
const pkgPath = (names) => `^node_modules/(@types/)?(${names.map((n) => n.replace(/\/$/, '')).join('|')})/`
const sdkPath = `^node_modules/(${SDKS.map((s) => s.replace(/\/$/, '')).join('|')})/`
const io = 'I/O belongs in src/infra behind a port (README, Architecture)'


/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    // core: pure domain
    { name: 'core-no-node', severity: 'error', comment: `the core is pure: ${io}`, from: { path: '^src/core/' }, to: { dependencyTypes: ['core'] } },
    {
      name: 'core-pure-packages',
      severity: 'error',
      comment: `the core imports only pure packages (${PURE_PACKAGES.join(', ')}); SDKs and I/O libraries belong in src/infra`,
      from: { path: '^src/core/' },
      to: { dependencyTypes: npm, pathNot: pkgPath(PURE_PACKAGES) },
    },
    { name: 'core-inward', severity: 'error', comment: 'the core imports only the core and the ports', from: { path: '^src/core/' }, to: { path: '^src/', pathNot: '^src/(core|ports)/' } },

    // ports: types only, over the core's model
    { name: 'ports-are-types', severity: 'error', comment: 'ports are interfaces: import them with `import type`', from: { path: '^src/' }, to: { path: '^src/ports/', dependencyTypesNot: ['type-only'] } },
    { name: 'ports-see-model', severity: 'error', comment: 'ports declare I/O in terms of core/model types and nothing else', from: { path: '^src/ports/' }, to: { pathNot: '^src/(ports|core/model)/' } },
    { name: 'ports-model-types', severity: 'error', comment: 'ports use core/model types only, no runtime code', from: { path: '^src/ports/' }, to: { path: '^src/core/', dependencyTypesNot: ['type-only'] } },

    // report: pure presenters
    { name: 'report-no-node', severity: 'error', comment: `presenters are pure: ${io}`, from: { path: '^src/report/' }, to: { dependencyTypes: ['core'] } },
    { name: 'report-inward', severity: 'error', comment: 'presenters see the core and the ports only', from: { path: '^src/report/' }, to: { path: '^src/', pathNot: '^src/(report|core|ports)/' } },
    {
      name: 'report-core-types',
      severity: 'error',
      comment: "presenters see core types; runtime code only from core/model, core/diagnostics (the model's keys and formats) and core/yaml (printing)",
      from: { path: '^src/report/' },
      to: { path: '^src/core/', pathNot: '^src/core/(model|diagnostics|yaml)/', dependencyTypesNot: ['type-only'] },
    },

    // infra: Node implementations of the ports
    { name: 'infra-inward', severity: 'error', comment: 'infra implements ports over the core; it never calls a flow, a presenter or a front door', from: { path: '^src/infra/' }, to: { path: '^src/', pathNot: '^src/(infra|core|ports)/' } },

    // flows: the use cases, written once
    { name: 'flows-no-node', severity: 'error', comment: `flows decide, ports act: ${io}`, from: { path: '^src/flows/' }, to: { dependencyTypes: ['core'] } },
    { name: 'flows-inward', severity: 'error', comment: 'flows use the core, the presenters and the ports; adapters choose the infra', from: { path: '^src/flows/' }, to: { path: '^src/', pathNot: '^src/(flows|core|report|ports)/' } },

    // SDKs only at the edges
    { name: 'sdk-at-edges', severity: 'error', comment: 'SDKs are wired by src/infra and src/adapters only', from: { path: '^src/(core|ports|report|flows)/' }, to: { path: sdkPath } },

    // adapters: front doors apart, nobody imports them
    {
      name: 'front-doors-apart',
      severity: 'error',
      comment: 'a front door does not reach into another one; shared GitHub code lives in src/adapters/github',
      from: { path: '^src/adapters/(action|app|cli)/' },
      to: { path: '^src/adapters/(action|app|cli)/', pathNot: '^src/adapters/$1/' },
    },
    { name: 'github-shared', severity: 'error', comment: 'src/adapters/github is shared by the front doors and depends on none of them', from: { path: '^src/adapters/github/' }, to: { path: '^src/adapters/(action|app|cli)/' } },
    { name: 'adapters-outermost', severity: 'error', comment: 'only adapters import adapters', from: { path: '^src/', pathNot: '^src/adapters/' }, to: { path: '^src/adapters/' } },

    // resolution and packaging
    { name: 'resolvable', severity: 'error', comment: 'an import that does not resolve would pass every rule above unseen', from: {}, to: { couldNotResolve: true } },
    { name: 'no-dev-deps', severity: 'error', comment: 'shipped code uses dependencies, not devDependencies', from: { path: '^src/' }, to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] } },

    // cycles: files here; sibling folders in scripts/depcheck.mjs, which takes its exemptions
    // from this rule's from.pathNot
    { name: 'no-cycle', severity: 'error', comment: 'no file reaches itself, type imports included', from: {}, to: { circular: true } },
    {
      name: 'yaml-one-module',
      severity: 'error',
      comment: 'one YAML module (src/core/yaml) names the dialect of every read and write; nothing else in src imports the yaml package',
      from: { path: '^src/', pathNot: '^src/core/yaml/' },
      to: { path: pkgPath(['yaml']) },
    },
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: '^node_modules/' },
    // Resolve package `exports` as Node does (dependency-cruiser's own template): without
    // it, a package that only has `exports` (the @octokit plugins) does not resolve.
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    exclude: { path: '\\.test\\.ts$|/__fixtures__/' },
  },
}
