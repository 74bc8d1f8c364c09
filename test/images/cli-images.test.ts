import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { main } from '../../src/adapters/cli/main.js'
import { describeWith } from '../support/components.js'
import { pushTags } from '../support/push-image.js'
import { startRegistry, type TestRegistry } from '../support/registry.js'

async function runCli(argv: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), env: {}, cwd, isTty: false })
  return { code, stdout, stderr }
}

function writeTree(root: string, files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
}

function fleet(host: string): Record<string, string> {
  const repo = (name: string, image: string, extra = ''): string =>
    `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageRepository\nmetadata: {name: ${name}, namespace: flux-system}\nspec:\n  image: ${host}/${image}\n  interval: 5m\n  insecure: true\n${extra}`
  const policy = (name: string, repoName: string, body: string): string =>
    `---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: {name: ${name}, namespace: flux-system}\nspec:\n  imageRepositoryRef: {name: ${repoName}}\n${body}`
  return {
    'clusters/prod/flux-system/images.yaml': [
      repo('podinfo', 'team/podinfo'),
      repo('builds', 'team/builds'),
      repo('letters', 'team/letters'),
      policy('semver', 'podinfo', '  policy:\n    semver: {range: ">=1.0.0 <2.0.0"}\n'),
      policy('pre', 'podinfo', '  policy:\n    semver: {range: ">=1.0.0-0"}\n'),
      policy('ts', 'builds', "  filterTags:\n    pattern: '^main-[0-9a-f]{7}-(?P<ts>[0-9]+)$'\n    extract: '$ts'\n  policy:\n    numerical: {order: asc}\n"),
      policy('alpha', 'letters', '  policy:\n    alphabetical: {order: desc}\n'),
      policy('pinned', 'podinfo', '  digestReflectionPolicy: IfNotPresent\n  policy:\n    semver: {range: "~1.2.0"}\n'),
      '---\napiVersion: image.toolkit.fluxcd.io/v1\nkind: ImageUpdateAutomation\nmetadata: {name: apps, namespace: flux-system}\nspec:\n  interval: 30m\n  sourceRef: {kind: GitRepository, name: flux-system}\n  git:\n    checkout: {ref: {branch: main}}\n    commit:\n      author: {name: bot, email: bot@example.com}\n      messageTemplate: "Update {{ len .Changed.Changes }} image values"\n  update: {strategy: Setters, path: ./clusters/prod}\n',
    ].join(''),
    'clusters/prod/apps/podinfo.yaml': `# podinfo, as the team wrote it
apiVersion: apps/v1
kind: Deployment
metadata: {name: podinfo, namespace: apps}
spec:
  template:
    spec:
      containers:
        - name: podinfo
          image: ${host}/team/podinfo:1.0.0 # {"$imagepolicy": "flux-system:semver"}
        - name: canary
          image:   ${host}/team/podinfo:1.0.0   # {"$imagepolicy": "flux-system:pre"}
        - name: pinned
          image: ${host}/team/podinfo:1.2.0 # {"$imagepolicy": "flux-system:pinned"}
`,
    // a Helm chart template elsewhere in the repository is not YAML and must not fail the scan
    'charts/app/templates/deploy.yaml': '{{- if .Values.enabled }}\nkind: Deployment\n  bad: [\n{{- end }}\n',
    'clusters/prod/apps/values.yaml': `builds:
  tag: main-aaaaaaa-1700000000 # {"$imagepolicy": "flux-system:ts:tag"}
letters:
  tag: "c"   # {"$imagepolicy": "flux-system:alpha:tag"}
untouched: 1.0.0 # {"$imagepolicy": "flux-system:missing:tag"}
`,
  }
}

describeWith(['docker-registry'], 'fluxgate images against a real registry', () => {
  let reg: TestRegistry
  let dir: string
  let digests: Record<string, string>
  beforeAll(async () => {
    reg = await startRegistry('none')
    digests = await pushTags(reg.url, 'team/podinfo', ['1.0.0', '1.2.0', '1.2.3', '1.9.1', '2.0.0', '2.1.0-rc.1', 'latest', 'v1.9.1.sig'])
    await pushTags(reg.url, 'team/builds', ['main-1111111-1700000100', 'main-2222222-1700000900', 'main-3333333-1700000050', 'feature-x'])
    await pushTags(reg.url, 'team/letters', ['b', 'c', 'a', 'B'])
  })
  afterAll(() => reg.stop())
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fluxgate-images-'))
    writeTree(dir, fleet(reg.host))
  })
  afterEach(() => rmSync(dir, { recursive: true, force: true }))

  it('prints the tag each policy kind picks and the plan, without writing', async () => {
    const before = readFileSync(join(dir, 'clusters/prod/apps/podinfo.yaml'), 'utf8')

    const res = await runCli(['images', '--repo', dir, '--allow-insecure', '--format', 'json'], dir)

    const out = JSON.parse(res.stdout) as { policies: { policy: string; latest: { tag: string; digest?: string } | null }[]; automations: { branch: string; commitMessage: string; changes: unknown[] }[] }
    const latest = Object.fromEntries(out.policies.map((p) => [p.policy, p.latest]))
    expect(latest['flux-system:semver']).toEqual({ name: `${reg.host}/team/podinfo`, tag: '1.9.1' })
    expect(latest['flux-system:pre']?.tag).toBe('2.1.0-rc.1')
    expect(latest['flux-system:ts']?.tag).toBe('main-2222222-1700000900')
    expect(latest['flux-system:alpha']?.tag).toBe('B')
    expect(latest['flux-system:pinned']).toEqual({ name: `${reg.host}/team/podinfo`, tag: '1.2.3', digest: digests['1.2.3'] })
    expect(out.automations[0]?.branch).toBe('fluxgate/images/flux-system-apps')
    expect(out.automations[0]?.commitMessage).toBe('Update 5 image values')
    expect(readFileSync(join(dir, 'clusters/prod/apps/podinfo.yaml'), 'utf8')).toBe(before)
    expect(res.code).toBe(0)
  })

  it('--apply changes exactly the marked values', async () => {
    const res = await runCli(['images', '--repo', dir, '--allow-insecure', '--apply'], dir)

    expect(res.stdout).toContain('Wrote 2 file(s).')
    expect(readFileSync(join(dir, 'clusters/prod/apps/podinfo.yaml'), 'utf8')).toBe(
      fleet(reg.host)['clusters/prod/apps/podinfo.yaml']!
        .replace('team/podinfo:1.0.0 #', 'team/podinfo:1.9.1 #')
        .replace('team/podinfo:1.0.0   #', 'team/podinfo:2.1.0-rc.1   #')
        .replace('team/podinfo:1.2.0 #', `team/podinfo:1.2.3@${digests['1.2.3']} #`),
    )
    expect(readFileSync(join(dir, 'clusters/prod/apps/values.yaml'), 'utf8')).toBe(
      fleet(reg.host)['clusters/prod/apps/values.yaml']!.replace('main-aaaaaaa-1700000000', 'main-2222222-1700000900').replace('"c"', '"B"'),
    )
  })

  it('a second run after --apply has nothing to change', async () => {
    await runCli(['images', '--repo', dir, '--allow-insecure', '--apply'], dir)

    const again = await runCli(['images', '--repo', dir, '--allow-insecure'], dir)

    expect(again.stdout).toContain('Nothing to change.')
  })

  it('never proposes a downgrade unless allowed', async () => {
    writeTree(dir, { 'clusters/prod/apps/values.yaml': 'builds:\n  tag: main-9999999-1800000000 # {"$imagepolicy": "flux-system:ts:tag"}\n' })

    const refused = await runCli(['images', '--repo', dir, '--allow-insecure', '--format', 'json'], dir)
    const allowed = await runCli(['images', '--repo', dir, '--allow-insecure', '--allow-downgrade', '--format', 'json'], dir)

    const skipped = (JSON.parse(refused.stdout) as { automations: { skipped: { oldValue: string }[] }[] }).automations[0]!.skipped
    expect(skipped.map((s) => s.oldValue)).toEqual(['main-9999999-1800000000'])
    const changes = (JSON.parse(allowed.stdout) as { automations: { changes: { newValue: string }[] }[] }).automations[0]!.changes
    expect(changes.map((c) => c.newValue)).toContain('main-2222222-1700000900')
  })

  it('keeps a digest the repository already pins for the chosen tag (IfNotPresent, I-10)', async () => {
    const pinned = `sha256:${'1'.repeat(64)}`
    writeTree(dir, { 'clusters/prod/apps/pinned.yaml': `image: ${reg.host}/team/podinfo:1.2.3@${pinned} # {"$imagepolicy": "flux-system:pinned"}\n` })

    const res = await runCli(['images', '--repo', dir, '--allow-insecure', '--format', 'json'], dir)

    const out = JSON.parse(res.stdout) as { policies: { policy: string; latest: { digest?: string } | null }[]; automations: { changes: { file: string }[] }[] }
    expect(out.policies.find((p) => p.policy === 'flux-system:pinned')?.latest?.digest).toBe(pinned)
    expect(out.automations[0]!.changes.map((c) => c.file)).not.toContain('clusters/prod/apps/pinned.yaml')
  })

  it('refuses plain HTTP registries without --allow-insecure and fails', async () => {
    const res = await runCli(['images', '--repo', dir], dir)

    expect(res.code).toBe(1)
    expect(res.stdout).toContain('images/registry-insecure')
  })
})
