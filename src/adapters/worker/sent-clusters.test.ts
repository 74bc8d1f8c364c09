import { serialize, deserialize } from 'node:v8'
import type { ReviewablePlan } from '../../flows/plan.js'
import { frozen } from '../../core/model/frozen.js'
import type { ClusterPlan, Plan } from '../../core/model/plan.js'
import { ClusterReceiver, ClusterSender } from './sent-clusters.js'

const cluster = (name: string, changes = 0): ClusterPlan =>
  frozen({ name, path: `clusters/${name}`, changes: Array.from({ length: changes }, (_, i) => ({ action: 'changed', id: { group: 'apps', kind: 'Deployment', namespace: 'web', name: `web-${i}` } })), unknown: [], owners: [], diagnostics: [] }) as unknown as ClusterPlan
const planned = (clusters: ClusterPlan[], working?: ClusterPlan[]): Omit<ReviewablePlan, 'redactor'> => {
  const plan = { base: { ref: 'main', sha: 'a' }, head: { ref: 'pr', sha: 'b' }, clusters, diagnostics: [], durationMs: 0 } as Plan
  return { plan, workingPlan: working ? { ...plan, clusters: working } : plan, trust: { trusted: true }, gate: {}, changedFiles: [], headObjects: [] } as unknown as Omit<ReviewablePlan, 'redactor'>
}
/** As postMessage copies it. */
const cross = <T>(v: T): T => deserialize(serialize(v)) as T

describe('ClusterSender and ClusterReceiver', () => {
  it('send a cluster plan once while it stays the same object, and hand out what was sent in its place', () => {
    const sender = new ClusterSender()
    const receiver = new ClusterReceiver()
    const [staging, prod, prodPushed] = [cluster('staging'), cluster('prod', 1), cluster('prod', 2)]
    const answers = [planned([staging, prod]), planned([staging, prodPushed]), planned([staging, prodPushed])]
    const got: Omit<ReviewablePlan, 'redactor'>[] = []
    for (const a of answers) {
      const { wire, clusters } = sender.encode(a)
      const crossed = cross(wire)
      const decoded = receiver.decode(crossed)
      if (typeof decoded === 'string') throw new Error(decoded)
      sender.posted(clusters)
      got.push(decoded)
      // Whole or by its place, each plan arrives as it left; the plan and the working plan stay one object.
      expect(JSON.stringify(decoded.plan)).toBe(JSON.stringify(a.plan))
      expect(decoded.workingPlan).toBe(decoded.plan)
    }
    const sentWhole = (a: Omit<ReviewablePlan, 'redactor'>): number => sender.encode(a).wire.plan.clusters.filter((c) => !('sentBefore' in c)).length
    expect(sentWhole(planned([staging, prodPushed]))).toBe(0)
    expect(sentWhole(planned([staging, cluster('prod', 3)]))).toBe(1)
    // Held from one answer to the next, frozen: a change to one would reach the next review.
    expect(got[2]!.plan.clusters[0]).toBe(got[0]!.plan.clusters[0])
    expect(got[2]!.plan.clusters[1]).toBe(got[1]!.plan.clusters[1])
    expect(Object.isFrozen(got[0]!.plan.clusters[0])).toBe(true)
  })

  it('keep a masked working plan apart from the plan, and refuse a place the answer before did not have', () => {
    const sender = new ClusterSender()
    const receiver = new ClusterReceiver()
    const [shown, working] = [cluster('prod', 1), cluster('prod', 1)]
    const first = receiver.decode(cross(sender.encode(planned([shown], [working])).wire))
    if (typeof first === 'string') throw new Error(first)
    expect(first.workingPlan).not.toBe(first.plan)
    sender.posted([shown, working])
    const again = sender.encode(planned([shown], [working])).wire
    expect(again.workingPlan.clusters).toEqual([{ sentBefore: 1 }])
    const decoded = receiver.decode(cross(again))
    if (typeof decoded === 'string') throw new Error(decoded)
    expect(decoded.workingPlan.clusters[0]).toBe(first.workingPlan.clusters[0])
    // A receiver that did not get the answer before (another worker): refused, never guessed.
    expect(new ClusterReceiver().decode(cross(again))).toMatch(/referred to cluster \d of an answer it had not sent/)
  })
})
