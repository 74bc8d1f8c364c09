import { execFileSync } from 'node:child_process'
import { rmSync } from 'node:fs'
import { planChange } from '../../../src/core/diff/plan-change.js'
import { renderFleet } from '../../../src/core/render/render-fleet.js'
import { GitRepo } from '../../../src/infra/git-repo.js'
import { defaultHelmPath, HelmCli } from '../../../src/infra/helm-cli.js'
import { renderComment, renderText } from '../../../src/report/index.js'
import { describeWith } from '../../support/components.js'
import { expectGolden } from '../support/golden.js'

// The demo fleet (examples/fleet → examples/fleet-head) as `npm run demo` builds it; its
// commits have fixed dates and authors, so SHAs are stable. Duration is pinned for the golden.
describeWith(['git', 'helm'], 'plan of the demo fleet (golden markdown)', () => {
  let dir = ''

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true })
  })

  it('matches the golden PR comment and terminal text', async () => {
    dir = (JSON.parse(execFileSync(process.execPath, ['scripts/make-demo-repo.mjs'], { encoding: 'utf8' })) as { dir: string }).dir
    const repo = new GitRepo(dir)
    const head = await repo.resolve('demo-change')
    const base = (await repo.mergeBase(await repo.resolve('main'), head))!
    const helm = new HelmCli({ helmPath: defaultHelmPath(4) })
    try {
      const render = async (sha: string) => renderFleet(await repo.tree(sha), { revision: sha }, { helm })
      const plan = planChange(await render(base), await render(head), { baseRef: 'main', headRef: 'demo-change', durationMs: 2_500 })

      expect(plan.clusters.flatMap((c) => c.diagnostics).filter((d) => d.severity === 'error')).toEqual([])
      expectGolden('demo-fleet-comment.md', renderComment(plan).join('\n\n<!-- ===== next comment ===== -->\n\n'))
      expectGolden('demo-fleet.txt', renderText(plan, { color: false }))
      expect(JSON.stringify(plan)).not.toContain('demo-token-5f2b9c0e')
    } finally {
      helm.dispose()
    }
  }, 120_000)
})
