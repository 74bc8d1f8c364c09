/**
 * The release workflow's guards: the notes come from CHANGELOG.md, and a tag that does not
 * match both packages' versions (and the pin between them) stops the release before npm.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
// @ts-expect-error plain ESM script without declarations
import { changelogSection } from '../../scripts/changelog-section.mjs'
// @ts-expect-error plain ESM script without declarations
import { releaseProblems } from '../../scripts/check-release.mjs'

const section = changelogSection as (text: string, version: string) => string | undefined
const problems = releaseProblems as (tag: string, root?: string) => string[]

describe('changelog-section', () => {
  const changelog = `# Changelog

intro

## [0.3.0](https://github.com/o/fluxgate/compare/v0.2.0...v0.3.0) (2027-01-02)

### Features

* three

## 0.2.0 (2026-12-24)

### Bug Fixes

* two

## 0.1.0

* one
`

  it("takes one version's notes in either heading style, without the heading", () => {
    expect(section(changelog, '0.3.0')).toBe('### Features\n\n* three\n')
    expect(section(changelog, '0.2.0')).toBe('### Bug Fixes\n\n* two\n')
    expect(section(changelog, '0.1.0')).toBe('* one\n')
  })

  it('finds nothing for a version without a section, or a prefix of one', () => {
    expect(section(changelog, '0.4.0')).toBeUndefined()
    expect(section(changelog, '0.3')).toBeUndefined()
  })

  it("has the current version in the repository's CHANGELOG.md", () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version
    expect(section(readFileSync('CHANGELOG.md', 'utf8'), version)).toContain('* ')
  })
})

describe('check-release', () => {
  let root = ''
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'fluxgate-release-'))
    mkdirSync(join(root, 'packages', 'helm-linux-x64'), { recursive: true })
    for (const f of ['package.json', 'CHANGELOG.md', 'packages/helm-linux-x64/package.json']) cpSync(f, join(root, f))
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('passes the repository as it is for its own version', () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version
    expect(problems(`v${version}`, root)).toEqual([])
  })

  it('names every mismatch: versions, the helm pin, the missing notes, a malformed tag', () => {
    const file = join(root, 'package.json')
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { version: string; optionalDependencies: Record<string, string> }
    pkg.version = '9.9.9'
    writeFileSync(file, JSON.stringify(pkg))
    const found = problems('v9.9.9', root)
    expect(found).toHaveLength(3)
    expect(found.join('\n')).toMatch(/helm-linux-x64 has version/)
    expect(found.join('\n')).toMatch(/pins @fluxgate\/helm-linux-x64 at/)
    expect(found.join('\n')).toMatch(/no section for 9\.9\.9/)
    expect(problems('9.9.9', root)[0]).toMatch(/not vMAJOR/)
  })
})
