import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CliIo } from '../io.js'
import { main } from '../main.js'

let dir: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'fluxgate-cli-'))
  writeFileSync(join(dir, 'vars.json'), JSON.stringify({ image: 'nginx:1.27', replicas: '3' }))
  writeFileSync(join(dir, 'bad-vars.json'), '{"n": 3}')
  writeFileSync(join(dir, 'in.yaml'), 'image: ${image}\nreplicas: ${replicas}\nenv: ${env:=dev}\npass: pa$$word\n')
  writeFileSync(join(dir, 'strict.yaml'), 'region: ${region}\n')
  writeFileSync(join(dir, 'syntax.yaml'), 'sha: ${{ github.sha }}\n')
  writeFileSync(
    join(dir, 'policy.yaml'),
    'apiVersion: image.toolkit.fluxcd.io/v1\nkind: ImagePolicy\nmetadata: { name: web, namespace: flux-system }\nspec:\n  imageRepositoryRef: { name: web }\n  policy: { semver: { range: ">=1.0.0 <2.0.0" } }\n',
  )
  writeFileSync(join(dir, 'tags.txt'), '1.0.0\n1.4.2\n2.0.0\nlatest\n1.5.0-rc.1\nsha256-abc.sig\n')
  writeFileSync(join(dir, 'empty.txt'), '\n')
})

afterAll(() => rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env: {}, cwd: dir, isTty: false }
  const code = await main(argv, io)
  return { code, out, err }
}

describe('fluxgate substitute', () => {
  it('prints the substituted file', async () => {
    const r = await cli('substitute', '--vars', 'vars.json', 'in.yaml')

    expect(r).toEqual({ code: 0, out: 'image: nginx:1.27\nreplicas: 3\nenv: dev\npass: pa$word\n', err: '' })
  })

  it.each([
    ['strict mode and a missing variable', ['--strict', 'strict.yaml'], 1, 'variable not set (strict mode): "region"'],
    ['a syntax error', ['syntax.yaml'], 1, 'unable to parse variable name'],
    ['a non-string variable', ['--vars', 'bad-vars.json', 'in.yaml'], 2, "value of 'n' must be a string"],
    ['no file', [], 2, 'exactly one FILE is required'],
    ['a missing file', ['nope.yaml'], 2, 'cannot read'],
  ])('fails on %s', async (_name, args, code, message) => {
    const argv = args.includes('--vars') ? args : ['--vars', 'vars.json', ...args]

    const r = await cli('substitute', ...argv)

    expect(r.code).toBe(code)
    expect(r.err).toContain(message)
  })
})

describe('fluxgate images select', () => {
  it('prints the selected tag', async () => {
    expect(await cli('images', 'select', '--policy', 'policy.yaml', '--tags', 'tags.txt')).toEqual({ code: 0, out: '1.4.2\n', err: '' })
  })

  it.each([
    ['an empty tag list', ['--policy', 'policy.yaml', '--tags', 'empty.txt'], 1, 'no tags in database'],
    ['missing options', ['--policy', 'policy.yaml'], 2, '--policy and --tags are required'],
    ['a file that is not an ImagePolicy', ['--policy', 'tags.txt', '--tags', 'tags.txt'], 2, 'no ImagePolicy found'],
  ])('fails on %s', async (_name, args, code, message) => {
    const r = await cli('images', 'select', ...args)

    expect(r.code).toBe(code)
    expect(r.err).toContain(message)
  })
})
