import { parseRepository, providerOf } from './reference.js'
import { parseChallenges } from './auth.js'
import { nextLink } from './client.js'
import { registrySettingsFrom, RegistryConfigError } from './config.js'
import { retryAfterMs } from './transport.js'

describe('parseRepository (Docker naming, I-1)', () => {
  it.each([
    ['nginx', 'registry-1.docker.io', 'library/nginx', 'dockerhub', 'docker.io'],
    ['bitnami/redis', 'registry-1.docker.io', 'bitnami/redis', 'dockerhub', 'docker.io'],
    ['docker.io/nginx', 'registry-1.docker.io', 'library/nginx', 'dockerhub', 'docker.io'],
    ['index.docker.io/library/nginx', 'registry-1.docker.io', 'library/nginx', 'dockerhub', 'docker.io'],
    ['ghcr.io/stefanprodan/podinfo', 'ghcr.io', 'stefanprodan/podinfo', 'ghcr', 'ghcr.io'],
    ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/app', '123456789012.dkr.ecr.eu-west-1.amazonaws.com', 'team/app', 'ecr', '123456789012.dkr.ecr.eu-west-1.amazonaws.com'],
    ['europe-west1-docker.pkg.dev/proj/repo/app', 'europe-west1-docker.pkg.dev', 'proj/repo/app', 'gar', 'europe-west1-docker.pkg.dev'],
    ['eu.gcr.io/proj/app', 'eu.gcr.io', 'proj/app', 'gcr', 'eu.gcr.io'],
    ['quay.io/prometheus/node-exporter', 'quay.io', 'prometheus/node-exporter', 'quay', 'quay.io'],
    ['localhost:5000/app', 'localhost:5000', 'app', 'generic', 'localhost:5000'],
    ['127.0.0.1:5000/team/app', '127.0.0.1:5000', 'team/app', 'generic', '127.0.0.1:5000'],
  ])('%s', (image, apiHost, repository, provider, credentialHost) => {
    expect(parseRepository(image)).toEqual({ apiHost, repository, provider, credentialHost })
  })

  it.each(['https://ghcr.io/org/app', 'ghcr.io/org/app:1.0', 'nginx:latest', 'ghcr.io/org/app@sha256:abc', 'ghcr.io/Org/App', ''])(
    'rejects %p',
    (image) => {
      expect(parseRepository(image)).toHaveProperty('error')
    },
  )

  it('knows the FIPS and China ECR hosts', () => {
    expect([providerOf('123456789012.dkr.ecr-fips.us-east-1.amazonaws.com'), providerOf('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn')]).toEqual(['ecr', 'ecr'])
  })
})

describe('parseChallenges', () => {
  it('reads a GHCR-style Bearer challenge', () => {
    expect(parseChallenges('Bearer realm="https://ghcr.io/token",service="ghcr.io",scope="repository:org/app:pull"')).toEqual([
      { scheme: 'bearer', params: { realm: 'https://ghcr.io/token', service: 'ghcr.io', scope: 'repository:org/app:pull' } },
    ])
  })

  it('reads Basic, unquoted values, escapes and several challenges', () => {
    expect(parseChallenges('Basic realm="a \\"b\\", c", Bearer realm=https://x/t, service=reg')).toEqual([
      { scheme: 'basic', params: { realm: 'a "b", c' } },
      { scheme: 'bearer', params: { realm: 'https://x/t', service: 'reg' } },
    ])
  })
})

describe('nextLink', () => {
  it.each([
    ['</v2/app/tags/list?last=b&n=2>; rel="next"', '/v2/app/tags/list?last=b&n=2'],
    ['<https://r.example/v2/a/tags/list?next_page=xyz&n=50>; rel=next', 'https://r.example/v2/a/tags/list?next_page=xyz&n=50'],
    ['<https://r.example/first>; rel="first", </v2/a/tags/list?last=c>; rel="next"', '/v2/a/tags/list?last=c'],
    ['</v2/a/tags/list?last=c>; rel="prev"', undefined],
    [null, undefined],
  ])('%p', (header, expected) => {
    expect(nextLink(header)).toBe(expected)
  })
})

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z')
    expect([retryAfterMs('7', now), retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now), retryAfterMs('soon', now), retryAfterMs(null, now)]).toEqual([7000, 30000, undefined, undefined])
  })
})

describe('registrySettingsFrom', () => {
  it('reads registries with env references and docker auths, normalising hosts', () => {
    const s = registrySettingsFrom(
      {
        registries: { 'ghcr.io': { username: 'me', passwordEnv: 'GHCR_TOKEN' }, 'https://index.docker.io/v1/': { tokenEnv: 'HUB' } },
        auths: { 'quay.io': { auth: Buffer.from('robot+x:pw:with:colons').toString('base64') } },
        maxRequests: 50,
      },
      { GHCR_TOKEN: 't0k', HUB: 'hub' },
    )

    expect(Object.fromEntries(s.credentials)).toEqual({
      'ghcr.io': { username: 'me', password: 't0k' },
      'docker.io': { username: '', password: 'hub' },
      'quay.io': { username: 'robot+x', password: 'pw:with:colons' },
    })
    expect(s.maxRequests).toBe(50)
  })

  it('fails clearly on a missing variable without printing any value', () => {
    expect(() => registrySettingsFrom({ registries: { 'ghcr.io': { passwordEnv: 'NOPE' } } }, {})).toThrow(RegistryConfigError)
  })
})
