import { planChange } from '../../src/core/diff/plan-change.js'
import { renderComment } from '../../src/report/index.js'
import { cluster, fleet, ks } from './support/fleet.js'
import type { RenderedObject, RenderedOwner } from '../../src/core/model/index.js'
function gen(head: boolean) {
  const out = []
  for (let c = 0; c < 3; c++) {
    const entry = ks('flux-system'); const kss: RenderedOwner[] = [entry]; const objs: RenderedObject[] = []
    for (let k = 0; k < 30; k++) { const owner = ks(`app-${k}`, { parent: entry.ref }); kss.push(owner)
      for (let i = 0; i < 60; i++) { if (head && i % 5 === 4) continue; const lines = Array.from({ length: 12 }, (_, l) => `line ${l} of ${i}: ${head && l % 4 === 0 ? 'new' : 'old'}`).join('\n')
        objs.push({ owner: owner.ref, object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `o-${i}`, namespace: `t-${k}` }, data: { c: lines } } }) } }
    out.push(cluster(`c-${c}`, kss, objs))
  }
  return fleet(head ? 'b' : 'a', out)
}
it('prof', () => {
  const a = gen(false), b = gen(true)
  let t = Date.now(); const plan = planChange(a, b); console.log('plan', Date.now() - t)
  t = Date.now(); renderComment(plan); console.log('comment', Date.now() - t)
})
