/**
 * Attack class: a Git chart whose `dependencies` name an `http://` or `oci://` repository made
 * `helm dependency build` reach the network although remote charts were not allowed (and for
 * untrusted pull requests, which may never fetch anything). A listener on 127.0.0.1 counts
 * every connection attempt.
 */
import net from 'node:net'
import type { AddressInfo } from 'node:net'
import { describeWith } from '../support/components.js'
import { chart, fleet, gitRelease, headDiagnostics, HELMS, NAMESPACE, review } from './support.js'

async function listener(): Promise<{ port: number; connections: () => number; close: () => Promise<void> }> {
  let count = 0
  const server = net.createServer((socket) => {
    count++
    socket.destroy()
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { port: (server.address() as AddressInfo).port, connections: () => count, close: () => new Promise<void>((r) => server.close(() => r())) }
}

describeWith(['helm'], 'remote chart dependencies of a Git chart', () => {
  for (const [name, helmPath] of Object.entries(HELMS)) {
    for (const scheme of ['http', 'https', 'oci'] as const) {
      it(`${name}: a ${scheme}:// dependency is not fetched offline or for an untrusted change`, async () => {
        const l = await listener()
        try {
          const repository = scheme === 'oci' ? `oci://127.0.0.1:${l.port}/charts` : `${scheme}://127.0.0.1:${l.port}/charts`
          const files = chart({ 'Chart.yaml': `apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: redis\n    version: 1.0.0\n    repository: ${repository}\n` })
          const head = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': gitRelease() }, files)
          for (const trusted of [true, false]) {
            const r = await review(fleet({ 'namespace.yaml': NAMESPACE }), head, { helmPath, trusted })
            expect(l.connections()).toBe(0)
            const owner = r.planned.headFleet.clusters[0]!.owners.find((o) => o.ref.kind === 'HelmRelease')
            expect(owner?.status).toBe('values-only')
            if (trusted) expect(headDiagnostics(r)).toContainEqual(expect.stringMatching(/^helm\/values-only: chart \.\/charts\/web depends on redis from .*, which is not fetched: .*remote charts are not fetched/))
          }
        } finally {
          await l.close()
        }
      })
    }
  }

  it('a file:// dependency inside the repository still builds', async () => {
    const files = {
      ...chart({ 'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\ndependencies:\n  - name: lib\n    version: 0.1.0\n    repository: file://../lib\n' }),
      ...chart({ 'Chart.yaml': 'apiVersion: v2\nname: lib\nversion: 0.1.0\n', 'templates/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-lib\n' }, 'charts/lib'),
    }
    const head = fleet({ 'namespace.yaml': NAMESPACE, 'web.yaml': gitRelease() }, files)
    const r = await review(head, head)
    expect(r.planned.headFleet.clusters[0]!.objects.map((o) => o.object.metadata.name)).toEqual(expect.arrayContaining(['from-lib', 'web-config']))
  })
})
