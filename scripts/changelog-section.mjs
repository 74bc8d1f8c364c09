// Prints the CHANGELOG.md section of one version (without its heading), for the GitHub
// release the release workflow creates. Headings are release-please's: `## 1.2.3 (date)` or
// `## [1.2.3](compare-link) (date)`. Exits 1 when the version has no section, so a tag without
// release notes fails the release before anything is published.
// Usage: node scripts/changelog-section.mjs VERSION [CHANGELOG]
import { readFileSync } from 'node:fs'

export function changelogSection(text, version) {
  const lines = text.split('\n')
  const heading = (l) => /^## /.test(l)
  const start = lines.findIndex((l) => heading(l) && (l.startsWith(`## ${version} `) || l === `## ${version}` || l.startsWith(`## [${version}]`)))
  if (start < 0) return undefined
  let end = lines.findIndex((l, i) => i > start && heading(l))
  if (end < 0) end = lines.length
  return lines.slice(start + 1, end).join('\n').trim() + '\n'
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [version, file = 'CHANGELOG.md'] = process.argv.slice(2)
  const section = version ? changelogSection(readFileSync(file, 'utf8'), version.replace(/^v/, '')) : undefined
  if (!section) {
    console.error(`changelog-section: no section for ${version ?? '(no version given)'} in ${file}`)
    process.exit(1)
  }
  process.stdout.write(section)
}
