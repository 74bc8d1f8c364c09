import type { KubeObject } from '../model/object.js'
import { judgeHelmRelease, judgeKustomization, judgeSource, revisionHoldsCommit } from './verdicts.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const REV = `main@sha1:${SHA}`

function obj(kind: string, status: Record<string, unknown>, generation = 1): KubeObject {
  return { apiVersion: 'x/v1', kind, metadata: { name: 'a', namespace: 'flux-system', generation }, status } as unknown as KubeObject
}

function cond(type: string, status: string, reason: string, message = ''): Record<string, string> {
  return { type, status, reason, message }
}

describe('reconcile verdicts (R-3 … R-5, §4.3)', () => {
  it.each([
    [REV, SHA, true],
    [`sha1:${SHA}`, SHA, true],
    [`release/1.x@sha1:${SHA}`, SHA.slice(0, 7), true],
    [`main@sha1:${'f'.repeat(40)}`, SHA, false],
    [`v1.0@sha256:${SHA}`, SHA, false],
    [undefined, SHA, false],
  ])('revision %s holds commit %s: %s', (revision, sha, expected) => {
    expect(revisionHoldsCommit(revision, sha)).toBe(expected)
  })

  it('waits for a source until its artifact holds the merge commit, and fails when it handled the request with Ready=False', () => {
    const judge = judgeSource(SHA, 't1')

    expect(judge(obj('GitRepository', { artifact: { revision: 'main@sha1:old' }, conditions: [cond('Ready', 'True', 'Succeeded')] }))).toBeUndefined()
    expect(judge(obj('GitRepository', { artifact: { revision: REV }, conditions: [cond('Ready', 'True', 'Succeeded', 'stored')] }))).toMatchObject({ outcome: 'succeeded', revision: REV })
    expect(judge(obj('GitRepository', { lastHandledReconcileAt: 't1', conditions: [cond('Ready', 'False', 'GitOperationFailed', 'auth failed')] }))).toMatchObject({ outcome: 'failed', message: 'auth failed' })
  })

  it('judges a Kustomization on lastApplied/lastAttemptedRevision and Ready, ignoring Progressing', () => {
    const judge = judgeKustomization(REV)

    expect(judge(obj('Kustomization', { lastAttemptedRevision: REV, conditions: [cond('Ready', 'Unknown', 'Progressing')] }))).toBeUndefined()
    expect(judge(obj('Kustomization', { lastAttemptedRevision: REV, conditions: [cond('Ready', 'False', 'Progressing')] }))).toBeUndefined()
    expect(judge(obj('Kustomization', { lastAttemptedRevision: 'main@sha1:old', conditions: [cond('Ready', 'False', 'BuildFailed')] }))).toBeUndefined()
    expect(judge(obj('Kustomization', { lastAttemptedRevision: REV, conditions: [cond('Ready', 'False', 'BuildFailed', 'bad')] }))).toEqual({ outcome: 'failed', revision: REV, reason: 'BuildFailed', message: 'bad' })
    expect(judge(obj('Kustomization', { lastAppliedRevision: REV, conditions: [cond('Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${REV}`)] }))).toMatchObject({ outcome: 'succeeded' })
    expect(judge(obj('Kustomization', { conditions: [cond('Stalled', 'True', 'InvalidCEL', 'x')] }))).toMatchObject({ outcome: 'stalled', message: 'x' })
  })

  it('judges a HelmRelease on our request, its observed generation and Ready', () => {
    const judge = judgeHelmRelease('t1')

    expect(judge(obj('HelmRelease', { lastHandledReconcileAt: 't0', conditions: [cond('Ready', 'True', 'UpgradeSucceeded')] }))).toBeUndefined()
    expect(judge(obj('HelmRelease', { lastHandledReconcileAt: 't1', observedGeneration: 1, conditions: [cond('Ready', 'True', 'UpgradeSucceeded')] }, 2))).toBeUndefined()
    expect(judge(obj('HelmRelease', { lastHandledReconcileAt: 't1', observedGeneration: 2, lastAttemptedRevision: '6.5.0', conditions: [cond('Ready', 'True', 'UpgradeSucceeded')] }, 2))).toMatchObject({ outcome: 'succeeded', revision: '6.5.0' })
    expect(judge(obj('HelmRelease', { lastHandledReconcileAt: 't1', conditions: [cond('Ready', 'False', 'UpgradeFailed', 'timed out')] }))).toMatchObject({ outcome: 'failed', message: 'timed out' })
  })
})
