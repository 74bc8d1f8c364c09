import type { Diagnostic } from '../diagnostics/diagnostic.js'
import { isJsonObject } from '../model/object.js'
import { setOwn } from '../model/own.js'
import { parseYaml12, YamlError } from '../yaml/index.js'
import { GATE_RULE_IDS } from './registry.js'
import type { GateConfig, PolicyLevel } from './types.js'

/** Defaults when `.github/fluxgate.yml` is absent or leaves a setting out. */
export function defaultGateConfig(): GateConfig {
  return { fluxVersion: '2.9', policies: {}, protectedPaths: [], protectedClusters: [], largeChangeSet: 100 }
}

const FILE = '.github/fluxgate.yml'
// `clusterValues`, `sources` and `clusterNames` are render settings (src/core/load/cluster-values.ts,
// src/core/load/render-settings.ts), not the gate's.
const KEYS = new Set(['kubernetesVersion', 'fluxVersion', 'policies', 'protectedPaths', 'protectedClusters', 'largeChangeSet', 'clusterValues', 'sources', 'clusterNames'])
const LEVELS: ReadonlySet<string> = new Set(['off', 'warn', 'fail'])

function diag(severity: Diagnostic['severity'], code: string, message: string): Diagnostic {
  return { code, severity, message, location: { file: FILE } }
}

function stringList(v: unknown, key: string, out: Diagnostic[]): string[] | undefined {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v
  out.push(diag('error', 'gate/invalid-config', `${key} must be a list of strings`))
  return undefined
}

/** `1.32`, `v1.32.1` → `1.32`; undefined when it is not a version. */
function minorVersion(v: unknown): string | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?$/.exec(String(v ?? '').trim())
  return m ? `${m[1]}.${m[2]}` : undefined
}

function readPolicies(v: unknown, known: ReadonlySet<string>, out: Diagnostic[]): Record<string, PolicyLevel> {
  const policies: Record<string, PolicyLevel> = {}
  if (!isJsonObject(v)) {
    out.push(diag('error', 'gate/invalid-config', 'policies must be a mapping of rule id to off, warn or fail'))
    return policies
  }
  for (const [id, level] of Object.entries(v)) {
    // YAML 1.1 habits: `off` may arrive as false
    const text = level === false ? 'off' : String(level)
    if (!known.has(id)) out.push(diag('warning', 'gate/unknown-rule', `policies.${id}: no such rule`))
    else if (!LEVELS.has(text)) out.push(diag('error', 'gate/invalid-config', `policies.${id} must be off, warn or fail`))
    else setOwn(policies, id, text as PolicyLevel)
  }
  return policies
}

/**
 * Parses `.github/fluxgate.yml` (read from the base branch by the caller, so a pull request
 * cannot loosen its own gate). Never throws: bad YAML or bad values become diagnostics
 * (`gate/invalid-config` errors, `gate/unknown-*` warnings) and the defaults stay in place.
 * `knownRules` defaults to the ids of the rule registry.
 */
export function parseGateConfig(text: string, knownRules: ReadonlySet<string> = GATE_RULE_IDS): { config: GateConfig; diagnostics: Diagnostic[] } {
  const config = defaultGateConfig()
  const diagnostics: Diagnostic[] = []
  let data: unknown
  try {
    data = parseYaml12(text)
  } catch (err) {
    if (!(err instanceof YamlError)) throw err
    const line = err.line
    diagnostics.push({ ...diag('error', 'gate/invalid-config', `not valid YAML: ${err.message}`), location: { file: FILE, ...(line ? { line } : {}) } })
    return { config, diagnostics }
  }
  if (data === null || data === undefined) return { config, diagnostics }
  if (!isJsonObject(data)) {
    diagnostics.push(diag('error', 'gate/invalid-config', 'the file must be a mapping'))
    return { config, diagnostics }
  }
  for (const key of Object.keys(data)) if (!KEYS.has(key)) diagnostics.push(diag('warning', 'gate/unknown-config-key', `unknown setting ${key}`))
  if (data['kubernetesVersion'] !== undefined) {
    const v = minorVersion(data['kubernetesVersion'])
    if (v) config.kubernetesVersion = v
    else diagnostics.push(diag('error', 'gate/invalid-config', 'kubernetesVersion must look like 1.32'))
  }
  if (data['fluxVersion'] !== undefined) {
    const v = minorVersion(data['fluxVersion'])
    if (v) config.fluxVersion = v
    else diagnostics.push(diag('error', 'gate/invalid-config', 'fluxVersion must look like 2.9'))
  }
  if (data['policies'] !== undefined) config.policies = readPolicies(data['policies'], knownRules, diagnostics)
  if (data['protectedPaths'] !== undefined) config.protectedPaths = stringList(data['protectedPaths'], 'protectedPaths', diagnostics) ?? []
  if (data['protectedClusters'] !== undefined) config.protectedClusters = stringList(data['protectedClusters'], 'protectedClusters', diagnostics) ?? []
  const large = data['largeChangeSet']
  if (large !== undefined) {
    if (typeof large === 'number' && Number.isInteger(large) && large > 0) config.largeChangeSet = large
    else diagnostics.push(diag('error', 'gate/invalid-config', 'largeChangeSet must be a positive integer'))
  }
  return { config, diagnostics }
}
