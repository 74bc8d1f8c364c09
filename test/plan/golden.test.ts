import { planChange } from '../../src/core/diff/plan-change.js'
import { renderComment, renderJobSummary, renderJson, renderText } from '../../src/report/index.js'
import { demoFleets } from './support/demo-fleet.js'
import { expectGolden as golden } from './support/golden.js'

// Golden files: regenerate with `npm run test:update-goldens` and review the diff before committing.
describe('plan presenters on the demo fleet (golden files)', () => {
  const { base, head } = demoFleets()
  const plan = planChange(base, head, { baseRef: 'main', headRef: 'envoy-gateway' })

  it('renders the PR comment', () => {
    const parts = renderComment(plan)

    expect(parts).toHaveLength(1)
    golden('demo-comment.md', parts[0]!)
  })

  it('renders the job summary, the JSON report and plain text', () => {
    golden('demo-job-summary.md', renderJobSummary(plan))
    golden('demo.json', renderJson(plan))
    golden('demo.txt', renderText(plan, { color: false }))
  })

  it('splits the same plan into parts with a table of contents when the limit is small', () => {
    const parts = renderComment(plan, { maxChars: 6_000 })

    expect(parts.length).toBeGreaterThan(1)
    for (const p of parts) expect(p.length).toBeLessThanOrEqual(6_000)
    golden('demo-comment-split.md', parts.join('\n\n<!-- ===== next comment ===== -->\n\n'))
  })
})
