// Before a release publishes anything: the tag names the version of both packages, fluxgate
// pins its helm package at that same version, and CHANGELOG.md has the version's section.
// Usage: node scripts/check-release.mjs vX.Y.Z [ROOT]
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { changelogSection } from './changelog-section.mjs'

export function releaseProblems(tag, root = '.') {
  const read = (p) => JSON.parse(readFileSync(join(root, p), 'utf8'))
  const main = read('package.json')
  const helm = read('packages/helm-linux-x64/package.json')
  const version = String(tag).replace(/^v/, '')
  const problems = []
  if (!/^v\d+\.\d+\.\d+$/.test(tag)) problems.push(`tag ${tag} is not vMAJOR.MINOR.PATCH`)
  if (main.version !== version) problems.push(`package.json has version ${main.version}, the tag says ${version}`)
  if (helm.version !== version) problems.push(`${helm.name} has version ${helm.version}, the tag says ${version}`)
  const pin = main.optionalDependencies?.[helm.name]
  if (pin !== version) problems.push(`fluxgate pins ${helm.name} at ${pin ?? '(nothing)'}, not ${version}`)
  if (!changelogSection(readFileSync(join(root, 'CHANGELOG.md'), 'utf8'), version)) problems.push(`CHANGELOG.md has no section for ${version}`)
  return problems
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [tag, root] = process.argv.slice(2)
  const problems = tag ? releaseProblems(tag, root) : ['usage: node scripts/check-release.mjs vX.Y.Z']
  for (const p of problems) console.error(`check-release: ${p}`)
  if (problems.length === 0) console.log(`check-release: ${tag} is consistent`)
  process.exit(problems.length === 0 ? 0 : 1)
}
