/**
 * Attack class: markdown injection. A Kustomization name with a newline and a fence broke out of
 * the Mermaid block (`label()` escaped only `"`), after which `@mentions`, team pings, images and
 * a fake "Approve" link rendered in the comment; the running note put the branch name in raw;
 * the check run's finding cells escaped only `|`. Every published text is parsed here with a
 * CommonMark parser (markdown-it, GFM tables) and searched for what the repository must never
 * make: links, images, HTML, mentions outside code, and Mermaid lines that are not Fluxgate's.
 */
import MarkdownIt from 'markdown-it'
type Token = ReturnType<InstanceType<typeof MarkdownIt>['parse']>[number]
import type { Plan, OwnerSummary } from '../../src/core/model/plan.js'
import type { AutomationPlan } from '../../src/core/images/automation.js'
import { checkOutput, renderComment, renderJobSummary, renderPlanFailed, renderRunning, RULES_DOC_URL, storedApprovals } from '../../src/report/index.js'
import { bodyMarker, blockedComment, closedComment, pullRequestBody } from '../../src/report/image-pr.js'
import { mermaidGraph } from '../../src/report/markdown/md-mermaid.js'
import { describeWith } from '../support/components.js'
import { fleet, NAMESPACE, review } from './support.js'

/** What an attacker puts in every text the repository controls. */
const HOSTILE = 'x"]\n```\n\n@acme/admins @octocat ![pixel](https://evil.example/p.png) [Approve](https://evil.example/approve) <img src=https://evil.example/i.png> <a href="https://evil.example">a</a> `code` *bold* _it_ ~~s~~ | cell | &lt; <!-- fluxgate:plan -->\n# Heading\n- item'

const md = new MarkdownIt({ html: true, linkify: false })

/** Every token of a document, inline children included. */
function tokens(text: string): Token[] {
  const out: Token[] = []
  const walk = (list: Token[]): void => {
    for (const t of list) {
      out.push(t)
      if (t.children) walk(t.children)
    }
  }
  walk(md.parse(text, {}))
  return out
}

const MERMAID_LINE = /^(flowchart LR| {2}n\d+\["(HR|KS|RS) [^"\n]*"\]:::(added|removed|changed|failed|ctx)| {2}n\d+ (-\.->|-->) n\d+| {2}classDef \w+ [\w#:,-]+)$/
const OUR_HTML = /^<\/?(details|summary|sub|b|br)>|^<!-- fluxgate:(plan|plan part \d+|approvals \[.*\]|images(-blocked|-closed)? [\w./:-]+( [0-9a-f]{40})?) -->$/

/** What the repository made of a published markdown text, as a list of problems (empty: none). */
function injections(text: string): string[] {
  const problems: string[] = []
  for (const t of tokens(text)) {
    // Our own links (a rule's or a Flux behaviour's entry in docs/rules.md) are the only ones allowed.
    if (t.type === 'link_open' && String(t.attrGet('href') ?? '').startsWith(`${RULES_DOC_URL}#`)) continue
    if (t.type === 'link_open' || t.type === 'image') problems.push(`${t.type} ${t.attrGet('href') ?? t.attrGet('src')}`)
    if (t.type === 'html_inline' || t.type === 'html_block') {
      for (const tag of t.content.trim().split('\n').map((l: string) => l.trim()).filter(Boolean)) if (!OUR_HTML.test(tag)) problems.push(`html ${tag}`)
    }
    if (t.type === 'text' && /(^|[^\w`])@[A-Za-z0-9]/.test(t.content)) problems.push(`mention in ${JSON.stringify(t.content)}`)
    if (t.type === 'heading_open' && t.tag === 'h1') problems.push('h1 heading')
    if (t.type === 'fence' && t.info === 'mermaid') {
      for (const line of t.content.trimEnd().split('\n')) if (!MERMAID_LINE.test(line)) problems.push(`mermaid line ${JSON.stringify(line)}`)
    }
  }
  return problems
}

function owner(name: string, namespace: string, extra: Partial<OwnerSummary> = {}): OwnerSummary {
  return { ref: { kind: 'Kustomization', namespace, name }, dependsOn: [], state: 'changed', status: 'rendered', counts: { added: 1, changed: 0, removed: 0, moved: 0 }, suspended: false, ...extra }
}

function hostilePlan(): Plan {
  const a = owner(HOSTILE, 'flux-system')
  const b = owner(`b${HOSTILE}`, HOSTILE, { dependsOn: [a.ref], parent: a.ref, status: 'failed' })
  return {
    base: { ref: HOSTILE, sha: 'a'.repeat(40) },
    head: { ref: HOSTILE, sha: 'b'.repeat(40) },
    durationMs: 1,
    diagnostics: [{ code: 'render/x', severity: 'error', message: HOSTILE, location: { file: HOSTILE, line: 1 } }],
    clusters: [
      {
        name: HOSTILE,
        path: `clusters/${HOSTILE}`,
        owners: [a, b],
        diagnostics: [{ code: 'render/y', severity: 'warning', message: HOSTILE, cluster: HOSTILE }],
        unknown: [{ owner: b.ref, state: 'not-comparable', reason: HOSTILE, objects: [{ id: { group: '', kind: 'Secret', namespace: HOSTILE, name: HOSTILE }, apiVersion: 'v1', source: { file: HOSTILE, line: 3 } }] }],
        changes: [
          {
            action: 'removed', id: { group: '', kind: 'PersistentVolumeClaim', namespace: HOSTILE, name: HOSTILE }, apiVersion: 'v1', owner: a.ref, prune: 'delete', pruneReason: HOSTILE, highRisk: true, fields: [{ path: HOSTILE, kind: 'removed' } as never], diff: `-  a: ${HOSTILE}`, note: HOSTILE,
          },
          { action: 'added', id: { group: '', kind: 'ConfigMap', namespace: HOSTILE, name: HOSTILE }, apiVersion: 'v1', owner: b.ref, prune: null, highRisk: false, fields: [], diff: `+  a: ${HOSTILE}` },
        ],
      },
    ],
  } as Plan
}

describe('repository text escaped where it lands', () => {
  it('the sticky comment, its parts and the job summary make no link, image, HTML, mention or Mermaid line', () => {
    const plan = hostilePlan()
    for (const part of [...renderComment(plan), ...renderComment(plan, { maxChars: 3_000, maxParts: 5 }), renderJobSummary(plan)]) {
      expect(injections(part)).toEqual([])
    }
  })

  it('a Kustomization name with a newline and a fence stays inside its Mermaid label', () => {
    const graph = mermaidGraph(hostilePlan().clusters[0]!)
    expect(graph.split('\n').filter((l) => l.startsWith('```'))).toEqual(['```mermaid', '```'])
    expect(injections(graph)).toEqual([])
  })

  it('the running note and the failure note show branch names and errors as code', () => {
    const running = renderRunning({ head: { ref: HOSTILE, sha: 'b'.repeat(40) }, base: { ref: HOSTILE, sha: 'a'.repeat(40) }, startedAt: '2026-01-01T00:00:00Z' })
    expect(injections(running)).toEqual([])
    expect(injections(renderPlanFailed('b'.repeat(40), HOSTILE))).toEqual([])
  })

  it('check-run cells escape markdown and mentions, and a finding cannot forge a recorded approval', () => {
    const head = 'c'.repeat(40)
    const forged = `<!-- fluxgate:approvals [{"sha":"${head}","by":"admin","via":"comment"}] -->`
    const verdict = { conclusion: 'failure' as const, findings: [{ ruleId: 'render-errors', level: 'fail' as const, message: `${forged} ${HOSTILE}`, location: { file: HOSTILE, line: 2 } }], approval: { required: true, satisfied: true, by: '@acme/admins' }, summary: `Blocked: ${HOSTILE}` }
    const out = checkOutput(verdict, [], head)
    expect(injections(out.summary)).toEqual([])
    expect(injections(out.text)).toEqual([])
    expect(storedApprovals(out.text)).toEqual([])
  })

  it('image update pull request bodies and comments escape the automation, paths, setters and branch', () => {
    const plan = {
      automation: { namespace: HOSTILE, name: HOSTILE, updatePath: HOSTILE, messageTemplateValues: {}, suspended: false, file: 'a.yaml', line: 1 },
      implicit: false,
      branch: HOSTILE,
      setters: new Map(),
      edits: [],
      changes: [{ file: HOSTILE, line: 1, setter: HOSTILE, policy: HOSTILE, field: 'tag', oldValue: HOSTILE, newValue: `${HOSTILE}|2` }],
      skipped: [{ file: HOSTILE, line: 2, setter: HOSTILE, policy: HOSTILE, field: 'tag', oldValue: HOSTILE, newValue: HOSTILE, reason: HOSTILE }],
      diagnostics: [],
    } as unknown as AutomationPlan
    const id = `ns/${HOSTILE}`
    const body = pullRequestBody(plan, id)
    expect(injections(body)).toEqual([])
    // The marker still identifies the automation and ends where Fluxgate ends it.
    expect(bodyMarker(body)).toBe(body.split('\n')[0])
    expect(bodyMarker(pullRequestBody(plan, id))).toBe(bodyMarker(body))
    expect(injections(blockedComment(id, HOSTILE, ['d'.repeat(40)]))).toEqual([])
    expect(injections(closedComment(id, HOSTILE))).toEqual([])
  })
})

describeWith(['helm'], 'hostile names from a real fleet', () => {
  it('a cluster folder, object data and diagnostics with markdown in them publish nothing active', async () => {
    const cluster = 'dev @acme/admins ![p](https://evil.example/p.png) [Approve](https://evil.example)'
    const move = (files: Record<string, string | Uint8Array>) => Object.fromEntries(Object.entries(files).map(([p, v]) => [p.replace('clusters/dev/', `clusters/${cluster}/`), v]))
    const data = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\n  namespace: apps\ndata:\n  readme: ${JSON.stringify(HOSTILE)}\n`
    const bad = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${JSON.stringify(`bad ${HOSTILE}`)}\n  namespace: apps\n`
    const r = await review(move(fleet({ 'namespace.yaml': NAMESPACE })), move(fleet({ 'namespace.yaml': NAMESPACE, 'app.yaml': data, 'bad.yaml': bad })))
    expect(r.planned.plan.clusters[0]!.name).toContain('@acme/admins')
    for (const text of [...renderComment(r.planned.plan), renderJobSummary(r.planned.plan), checkOutput(r.verdict, [], r.planned.plan.head.sha).text]) expect(injections(text)).toEqual([])
  })
})
