import { allDiagnostics, renderCommit, rendered, commit, broken, newFleetRepo } from './support.js'
import { CASES } from './cases.js'
it('probe', async () => {
  const { dir } = newFleetRepo()
  for (const [k, c] of Object.entries(CASES)) {
    const sha = commit(dir, broken(c.changes), k)
    const t = Date.now()
    const f = await renderCommit(dir, sha)
    const st = rendered(f, 'staging')
    console.log(k, Date.now() - t, 'ms', JSON.stringify(allDiagnostics(f).map(d => [d.severity, d.code, d.location, d.message.slice(0, 300), d.owner])), '\nSTAGING', st.join(' | '), '\nPROD', rendered(f, 'production').length)
  }
}, 600000)
