import { HttpRegistryClient, registrySettingsFrom } from '../../src/infra/registry/index.js'
import { describeWith } from '../support/components.js'
import { startPagingProxy, type PagingProxy } from '../support/paging-proxy.js'
import { pushTags } from '../support/push-image.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'

const TAGS = ['1.0.0', '1.2.3', '2.0.0-rc.1', 'main-abc1234-1700000000', 'v1.2.4', 'latest']
const noSleep = async (): Promise<void> => {}

function settingsFor(host: string, username: string, password: string) {
  return registrySettingsFrom({ registries: { [host]: { username, password } } }, {})
}

describeWith(['docker-registry'], 'registry client against a real registry without auth', () => {
  let reg: TestRegistry
  let digests: Record<string, string>
  beforeAll(async () => {
    reg = await startRegistry('none')
    digests = await pushTags(reg.url, 'team/podinfo', TAGS)
  })
  afterAll(() => reg.stop())

  it('lists every pushed tag over plain HTTP when the repository is insecure and that is allowed', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep })

    const res = await client.listTags(`${reg.host}/team/podinfo`, { insecure: true })

    expect(res.ok && [...res.value].sort()).toEqual([...TAGS].sort())
  })

  it('refuses plain HTTP unless the operator allows it', async () => {
    const client = new HttpRegistryClient({ sleep: noSleep })

    const res = await client.listTags(`${reg.host}/team/podinfo`, { insecure: true })

    expect(res.ok ? 'ok' : res.error.kind).toBe('insecure-refused')
  })

  it('reads the manifest digest with a HEAD request', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep })

    const res = await client.getDigest(`${reg.host}/team/podinfo`, '1.2.3', { insecure: true })

    expect(res).toEqual({ ok: true, value: digests['1.2.3'] })
    expect(digests['1.2.3']).toMatch(/^sha256:[0-9a-f]{64}$/)
  })

  it('reports an unknown repository and an unknown tag as not-found', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep })

    const repo = await client.listTags(`${reg.host}/team/nothing`, { insecure: true })
    const tag = await client.getDigest(`${reg.host}/team/podinfo`, '9.9.9', { insecure: true })

    expect([repo.ok ? 'ok' : repo.error.kind, tag.ok ? 'ok' : tag.error.kind]).toEqual(['not-found', 'not-found'])
  })
})

describeWith(['docker-registry'], 'registry client against a real registry with htpasswd (Basic)', () => {
  let reg: TestRegistry
  beforeAll(async () => {
    reg = await startRegistry('htpasswd')
    await pushTags(reg.url, 'team/web', ['0.1.0', '0.2.0'], { basic: reg.user })
  })
  afterAll(() => reg.stop())

  it('answers the Basic challenge with configured credentials', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: settingsFor(reg.host, 'testuser', 'testpass') })

    const res = await client.listTags(`${reg.host}/team/web`, { insecure: true })
    const digest = await client.getDigest(`${reg.host}/team/web`, '0.2.0', { insecure: true })

    expect(res.ok && [...res.value].sort()).toEqual(['0.1.0', '0.2.0'])
    expect(digest.ok).toBe(true)
  })

  it('fails as unauthorized without credentials, and with wrong ones, never echoing the password', async () => {
    const anonymous = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep })
    const wrong = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: settingsFor(reg.host, 'testuser', 'hunter2-wrong') })

    const a = await anonymous.listTags(`${reg.host}/team/web`, { insecure: true })
    const w = await wrong.listTags(`${reg.host}/team/web`, { insecure: true })

    expect(a.ok ? 'ok' : a.error.kind).toBe('unauthorized')
    expect(w.ok ? 'ok' : w.error.kind).toBe('unauthorized')
    expect(JSON.stringify(w)).not.toContain('hunter2')
  })
})

describeWith(['docker-registry'], 'registry client against a real registry with a Bearer token service', () => {
  let reg: TestRegistry
  beforeAll(async () => {
    reg = await startRegistry('token')
    await pushTags(reg.url, 'org/app', ['3.0.0', '3.1.0'], { basic: reg.user })
  })
  afterAll(() => reg.stop())

  it('gets an anonymous pull token from the realm and lists tags', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep })
    reg.tokenRequests.length = 0

    const res = await client.listTags(`${reg.host}/org/app`, { insecure: true })

    expect(res.ok && [...res.value].sort()).toEqual(['3.0.0', '3.1.0'])
    expect(reg.tokenRequests).toEqual([{ scope: 'repository:org/app:pull', withCredentials: false }])
  })

  it('sends configured credentials to the token service and reuses the token', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: settingsFor(reg.host, 'testuser', 'testpass') })
    reg.tokenRequests.length = 0

    await client.listTags(`${reg.host}/org/app`, { insecure: true })
    const digest = await client.getDigest(`${reg.host}/org/app`, '3.1.0', { insecure: true })

    expect(digest.ok).toBe(true)
    expect(reg.tokenRequests).toEqual([{ scope: 'repository:org/app:pull', withCredentials: true }])
  })

  it('fails as unauthorized when the token service refuses the credentials', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: settingsFor(reg.host, 'testuser', 'nope') })

    const res = await client.listTags(`${reg.host}/org/app`, { insecure: true })

    expect(res.ok ? 'ok' : res.error.kind).toBe('unauthorized')
  })
})

describeWith(['docker-registry'], 'tag pagination, ETags, 429 and the request budget (paging proxy in front of a real registry)', () => {
  let reg: TestRegistry
  let proxy: PagingProxy
  const many = ['1.0.0', '1.1.0', '1.2.0', '1.3.0', '1.4.0', '2.0.0', '2.1.0']
  beforeAll(async () => {
    reg = await startRegistry('none')
    await pushTags(reg.url, 'paged/app', many)
    proxy = await startPagingProxy(reg.url)
  })
  afterAll(async () => {
    await proxy.stop()
    await reg.stop()
  })
  beforeEach(() => {
    proxy.log.length = 0
    proxy.absoluteLinks = false
  })

  it('follows relative Link headers page by page with the asked page size', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: { credentials: new Map(), pageSize: 3 } })

    const res = await client.listTags(`${proxy.host}/paged/app`, { insecure: true })

    expect(res.ok && res.value).toEqual(many)
    expect(proxy.log.map((l) => l.path)).toEqual([
      '/v2/paged/app/tags/list?n=3',
      '/v2/paged/app/tags/list?last=1.2.0&n=3',
      '/v2/paged/app/tags/list?last=2.0.0&n=3',
    ])
  })

  it('follows absolute Link headers on the same origin', async () => {
    proxy.absoluteLinks = true
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: { credentials: new Map(), pageSize: 4 } })

    const res = await client.listTags(`${proxy.host}/paged/app`, { insecure: true })

    expect(res.ok && res.value).toEqual(many)
    expect(proxy.log).toHaveLength(2)
  })

  it('revalidates with If-None-Match and uses the cached pages on 304', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: { credentials: new Map(), pageSize: 4 } })
    await client.listTags(`${proxy.host}/paged/app`, { insecure: true })
    proxy.log.length = 0

    const again = await client.listTags(`${proxy.host}/paged/app`, { insecure: true })

    expect(again.ok && again.value).toEqual(many)
    expect(proxy.log.map((l) => l.status)).toEqual([304, 304])
  })

  it('waits out a 429 with Retry-After and a 503, then succeeds', async () => {
    const waits: number[] = []
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: async (ms) => void waits.push(ms), settings: { credentials: new Map(), pageSize: 10 } })
    proxy.failNext({ status: 429, retryAfter: '2' }, { status: 503 })

    const res = await client.listTags(`${proxy.host}/paged/app`, { insecure: true })

    expect(res.ok && res.value).toEqual(many)
    expect(waits[0]).toBe(2000)
    expect(proxy.log.map((l) => l.status)).toEqual([429, 503, 200])
  })

  it('classifies persistent 5xx as an external-host error after bounded retries', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, maxRetries: 2 })
    proxy.failNext({ status: 502 }, { status: 502 }, { status: 502 })

    const res = await client.listTags(`${proxy.host}/paged/app`, { insecure: true })

    expect(res.ok ? 'ok' : [res.error.kind, res.error.status]).toEqual(['external-host', 502])
    expect(proxy.log).toHaveLength(3)
  })

  it('a Retry-After beyond the allowed wait fails at once as external-host', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, maxRetryAfterMs: 5000 })
    proxy.failNext({ status: 429, retryAfter: '3600' })

    const res = await client.listTags(`${proxy.host}/paged/app`, { insecure: true })

    expect(res.ok ? 'ok' : res.error.kind).toBe('external-host')
    expect(proxy.log).toHaveLength(1)
  })

  it('stops at the request budget of the run', async () => {
    const client = new HttpRegistryClient({ allowInsecure: true, sleep: noSleep, settings: { credentials: new Map(), pageSize: 2, maxRequests: 3 } })

    const res = await client.listTags(`${proxy.host}/paged/app`, { insecure: true })

    expect(res.ok ? 'ok' : res.error.kind).toBe('budget-exhausted')
    expect(proxy.log).toHaveLength(3)
  })
})
