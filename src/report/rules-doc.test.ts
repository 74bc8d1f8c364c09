import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { GATE_RULES } from '../core/gate/index.js'
import { linkCitations, ruleLink } from './markdown/md-util.js'
import { anchorOf, FLUX_CITATIONS, rulesDocument, ruleUrl, RULES_DOC_URL } from './rules-doc.js'

describe('docs/rules.md', () => {
  it('is what the registry generates (node scripts/gen-rules-docs.mjs), so a rule link never points at a stale entry', () => {
    expect(readFileSync('docs/rules.md', 'utf8')).toBe(rulesDocument(GATE_RULES))
  })

  it('has an entry, reachable by its anchor, for every gate rule and every cited Flux behaviour', () => {
    const doc = readFileSync('docs/rules.md', 'utf8')
    const headings = new Set([...doc.matchAll(/^### (.+)$/gm)].map((m) => anchorOf(m[1]!)))
    for (const r of GATE_RULES) expect(headings).toContain(anchorOf(r.id))
    for (const id of FLUX_CITATIONS.keys()) expect(headings).toContain(anchorOf(id))
    expect(ruleUrl('high-risk-deletion')).toBe(`${RULES_DOC_URL}#high-risk-deletion`)
    expect(ruleUrl('P-10')).toBe(`${RULES_DOC_URL}#p-10`)
  })

  it('explains every Flux behaviour id the prune plan and the diff cite in their reasons and notes', () => {
    const cited = new Set<string>()
    for (const dir of ['src/core/prune', 'src/core/diff']) {
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
        for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
          // Reasons and notes are template strings that end in `(X-N)` or `(X-N)${…}`.
          if (!/reason|note/.test(line) || line.trimStart().startsWith('*') || line.trimStart().startsWith('//')) continue
          for (const m of line.matchAll(/\(([A-Z]-\d+)\)/g)) cited.add(m[1]!)
        }
      }
    }
    expect(cited.size).toBeGreaterThan(3)
    expect([...cited].filter((id) => !FLUX_CITATIONS.has(id))).toEqual([])
  })
})

describe('rule links in markdown', () => {
  it('links a rule id and the cited Flux behaviours it knows, and leaves other ids alone', () => {
    expect(ruleLink('render-errors')).toBe(`[\`render-errors\`](${RULES_DOC_URL}#render-errors)`)
    expect(linkCitations('has prune: true (P-10); see (X-99) and (P-10a)')).toBe(`has prune: true ([P-10](${RULES_DOC_URL}#p-10)); see (X-99) and (P-10a)`)
  })
})
