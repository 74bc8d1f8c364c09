import type { GateRule } from '../core/gate/index.js'

/**
 * Where reviewers read what a rule id means. Comments land on other repositories, so links are
 * absolute; docs/rules.md is generated from the registry (scripts/gen-rules-docs.mjs) and a
 * test keeps it equal to rulesDocument(), so a link never points at a stale entry.
 */
export const RULES_DOC_URL = 'https://github.com/fluxgate/fluxgate/blob/main/docs/rules.md'

/**
 * Flux behaviours the plan cites by id in its reasons and notes (`has prune: true (P-10)`):
 * the one line a reviewer needs, in the order of docs/rules.md. The ids are those of the
 * controller-semantics notes the renderer follows; a test checks every id the prune and diff
 * code cites is listed here.
 */
export const FLUX_CITATIONS: ReadonlyMap<string, string> = new Map([
  ['P-6', 'A Kustomization with `prune: false` leaves objects that disappear from its source in the cluster (orphaned): nothing deletes them.'],
  ['P-9', 'An object labelled or annotated `kustomize.toolkit.fluxcd.io/prune: disabled` (or `reconcile: disabled`, or `ssa: Ignore`) is never deleted by garbage collection.'],
  ['P-10', 'A Kustomization with `prune: true` deletes the objects that disappear from its source, after a fully successful apply.'],
  ['P-13', "A Kustomization removed from Git is deleted by its parent; its finalizer then deletes or keeps what it applied, according to its last spec (`prune`, `deletionPolicy`, suspended)."],
  ['P-14', 'A Kustomization removed from a parent with `prune: false` stays in the cluster and keeps applying its last revision.'],
  ['P-15', 'A deleted HelmRelease is uninstalled by helm-controller (every object of the release goes); objects dropped from a chart are deleted by Helm on upgrade.'],
  ['P-16', 'An object moving from one Kustomization to another may be deleted by the old owner and recreated by the new one, depending on which reconciles first.'],
  ['K-18', 'One object that fails to build, decrypt, substitute or apply fails the whole Kustomization: none of its objects are applied and nothing is pruned.'],
  ['K-19', 'A Kustomization or HelmRelease waits for its `dependsOn` to exist and be Ready; a suspended one is not reconciled at all.'],
  ['G-10', 'A GitRepository of this repository that tracks another branch is not changed by a pull request to this branch.'],
])

/** GitHub's heading anchor for a heading made of `text` alone. */
export function anchorOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replaceAll(' ', '-')
}

/** The link to a gate rule's entry (`render-errors`), or to a cited Flux behaviour (`P-10`). */
export function ruleUrl(id: string, base = RULES_DOC_URL): string {
  return `${base}#${anchorOf(id)}`
}

/** What a presenter needs of a gate rule (the registry's GateRule; passed in, as presenters import no rule code). */
export type RuleInfo = Pick<GateRule, 'id' | 'description' | 'defaultLevel' | 'needsApproval'>

/**
 * docs/rules.md: every gate rule (GATE_RULES of src/core/gate/registry.ts) with its meaning, default
 * level, whether an approval clears it and how to set its level, then the Flux behaviours the
 * plan cites. Generated, never edited by hand.
 */
export function rulesDocument(rules: readonly RuleInfo[]): string {
  const lines = [
    '<!-- Generated from src/core/gate/registry.ts and src/report/rules-doc.ts by `node scripts/gen-rules-docs.mjs`: do not edit. -->',
    '# Fluxgate rules',
    '',
    'Each **gate rule** below can fail or warn on a pull request. Its level is set per repository in',
    '`.github/fluxgate.yml` on the base branch (`policies: {<rule>: off | warn | fail}`, see',
    '[github.md](github.md#githubfluxgateyml)). Findings of an *approvable* rule stop failing the gate once',
    'someone with write access to the repository, other than the pull request\'s author, approves the',
    'head commit: `/fluxgate approve <full 40-character head SHA>`, the check run\'s **Approve** button,',
    'or the approval label. Findings of the other rules must be fixed (or the rule turned off on the base branch).',
    '',
    '| Rule | Default | Approvable |',
    '|---|---|---|',
    ...rules.map((r) => `| [\`${r.id}\`](#${anchorOf(r.id)}) | ${r.defaultLevel} | ${r.needsApproval ? 'yes' : 'no'} |`),
    '',
    '## Gate rules',
  ]
  for (const r of rules) {
    lines.push(
      '',
      `### ${r.id}`,
      '',
      r.description,
      '',
      `Default level: **${r.defaultLevel}**. ${r.needsApproval ? 'An approval of the head commit clears its failing findings.' : 'An approval does not clear it: fix the change, or set its level on the base branch.'}`,
      '',
      '```yaml',
      'policies:',
      `  ${r.id}: ${r.defaultLevel === 'fail' ? 'warn' : 'fail'}`,
      '```',
    )
  }
  lines.push(
    '',
    '## Flux behaviours the plan cites',
    '',
    'Reasons in the prune plan and notes on objects cite the Flux behaviour they follow by id, such as',
    '`has prune: true (P-10)`. Details and sources: [flux-rules.md](flux-rules.md).',
  )
  for (const [id, text] of FLUX_CITATIONS) lines.push('', `### ${id}`, '', text)
  return lines.join('\n') + '\n'
}
