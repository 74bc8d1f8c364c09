import { writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { planAutomations, type AutomationPlan } from '../../../core/images/automation.js'
import { findImageObjects } from '../../../core/images/objects.js'
import { pinnedDigests } from '../../../core/images/pinned-digests.js'
import { fluxPolicyEngine } from '../../../core/images/policy-engine.js'
import { imagePlanText } from '../../../report/images.js'
import { scanImages } from '../../../core/images/scan.js'
import { applySetters } from '../../../core/images/setters.js'
import { DiskTree } from '../../../infra/disk-tree.js'
import { FileEtagCache, HttpRegistryClient, loadRegistrySettings } from '../../../infra/registry/index.js'
import { formatDiagnostic } from '../../../core/diagnostics/diagnostic.js'
import { EXIT, UsageError, type CliCommand, type CliIo, type CliOptions } from '../io.js'
import { parseOptions } from '../parse-options.js'

const USAGE = `Usage: fluxgate images --repo DIR [options]

Finds the ImageRepository, ImagePolicy and ImageUpdateAutomation objects in DIR, asks the
registries for tags, picks the tag each policy would choose, and shows which setter-marked
values would change. Nothing is written without --apply.

Options:
  --repo DIR               repository checkout to scan (default: .)
  --apply                  write the changed files
  --registry-config FILE   registry credentials and limits (YAML/JSON; see docs/images.md)
  --allow-insecure         honour 'insecure: true' ImageRepositories (plain HTTP)
  --allow-downgrade        propose a tag the policy ranks below the one in the file
  --cache-dir DIR          keep tag-list ETags between runs in DIR
  --format text|json       output format (default text)

Pull requests (one per ImageUpdateAutomation; scans the remote base branch, not DIR):
  --pull-requests          open, update or close the image pull requests
  --github-repo OWNER/NAME GitHub repository (default: $GITHUB_REPOSITORY)
  --base BRANCH            base branch (default: the repository's default branch)
  --git-remote URL         remote to push to (default: $GITHUB_SERVER_URL/OWNER/NAME.git)
  The token comes from $GITHUB_TOKEN; the API from $GITHUB_API_URL.
`

const options = {
  repo: { type: 'string', default: '.' },
  apply: { type: 'boolean', default: false },
  'registry-config': { type: 'string' },
  'allow-insecure': { type: 'boolean', default: false },
  'allow-downgrade': { type: 'boolean', default: false },
  'cache-dir': { type: 'string' },
  format: { type: 'string', default: 'text' },
  'pull-requests': { type: 'boolean', default: false },
  'github-repo': { type: 'string' },
  base: { type: 'string' },
  'git-remote': { type: 'string' },
} as const satisfies CliOptions

/** `fluxgate images --repo DIR [--apply]`: the image scan and setter plan (issue 8). */
const command: CliCommand = {
  name: 'images',
  summary: 'image updates from ImagePolicy rules',
  usage: USAGE,
  options,
  async run(argv, io) {
    const args = parseCliArgs(argv)
    if (args.pullRequests) return runPullRequests(args, io)
    const repo = resolve(io.cwd, args.repo)
    const tree = new DiskTree(repo)
    const objects = findImageObjects(tree)
    const { registry, cache } = registryFor(args, io)
    const scan = await scanImages(objects, { registry, engine: fluxPolicyEngine, knownDigest: pinnedDigests(tree) })
    const plans = planAutomations(objects, tree, scan, { engine: fluxPolicyEngine, allowDowngrade: args.allowDowngrade })
    cache?.save()
    if (args.apply) writeEdits(repo, plans)
    // A YAML file elsewhere that does not parse (a Helm template, say) is not this command's
    // business: only image diagnostics are shown and decide the exit code.
    const found = objects.diagnostics.filter((d) => d.code.startsWith('images/'))
    const diagnostics = [...found, ...scan.diagnostics, ...plans.flatMap((p) => p.diagnostics)]
    if (args.format === 'json') io.stdout(JSON.stringify(jsonView(scan.policies, plans, diagnostics, args.apply), null, 2) + '\n')
    else io.stdout(imagePlanText({ policies: scan.policies, diagnostics: [...found, ...scan.diagnostics] }, plans, args.apply))
    return diagnostics.some((d) => d.severity === 'error') ? EXIT.failed : EXIT.ok
  },
}
export default command

function registryFor(args: Args, io: CliIo): { registry: HttpRegistryClient; cache?: FileEtagCache } {
  const settings = args.registryConfig ? loadRegistrySettings(resolve(io.cwd, args.registryConfig), io.env) : undefined
  const cache = args.cacheDir ? new FileEtagCache(join(resolve(io.cwd, args.cacheDir), 'registry-etags.json')) : undefined
  const registry = new HttpRegistryClient({ allowInsecure: args.allowInsecure, ...(settings ? { settings } : {}), ...(cache ? { cache } : {}) })
  return { registry, ...(cache ? { cache } : {}) }
}

async function runPullRequests(args: Args, io: CliIo): Promise<number> {
  const token = io.env['GITHUB_TOKEN']
  const repository = args.githubRepo ?? io.env['GITHUB_REPOSITORY']
  if (!token) throw new UsageError('--pull-requests needs GITHUB_TOKEN in the environment')
  if (!repository) throw new UsageError('--pull-requests needs --github-repo OWNER/NAME (or GITHUB_REPOSITORY)')
  const { registry, cache } = registryFor(args, io)
  // Loaded only here: the GitHub client and the renderer are not needed for a plain scan.
  const { runImagePullRequests } = await import('../../github/image-prs-runner.js')
  const server = (io.env['GITHUB_SERVER_URL'] ?? 'https://github.com').replace(/\/$/, '')
  const outcomes = await runImagePullRequests({
    repository,
    token,
    apiUrl: io.env['GITHUB_API_URL'] ?? 'https://api.github.com',
    remoteUrl: args.gitRemote ?? `${server}/${repository}.git`,
    registry,
    ...(args.base ? { baseBranch: args.base } : {}),
    ...(args.cacheDir ? { workDir: join(resolve(io.cwd, args.cacheDir), 'image-prs.git') } : {}),
    ...(args.allowDowngrade ? { allowDowngrade: true } : {}),
  })
  cache?.save()
  for (const o of outcomes) {
    io.stdout(`${o.automation}: ${o.action}${o.pullNumber ? ` #${o.pullNumber}` : ''} (branch ${o.branch})\n`)
    for (const d of o.diagnostics.filter((x) => x.severity !== 'info')) io.stdout(`  ${formatDiagnostic(d)}\n`)
  }
  if (outcomes.length === 0) io.stdout('No ImageUpdateAutomation on the base branch: no pull requests.\n')
  return outcomes.some((o) => o.action === 'failed' || o.diagnostics.some((d) => d.severity === 'error')) ? EXIT.failed : EXIT.ok
}

interface Args {
  repo: string
  apply: boolean
  registryConfig?: string
  allowInsecure: boolean
  allowDowngrade: boolean
  cacheDir?: string
  format: 'text' | 'json'
  pullRequests: boolean
  githubRepo?: string
  base?: string
  gitRemote?: string
}


function parseCliArgs(argv: string[]): Args {
  const parsed = parseOptions({ args: argv, options, allowPositionals: false }).values
  if (parsed.format !== 'text' && parsed.format !== 'json') throw new UsageError(`--format must be text or json`)
  return {
    repo: parsed.repo ?? '.',
    apply: parsed.apply === true,
    ...(parsed['registry-config'] ? { registryConfig: parsed['registry-config'] } : {}),
    allowInsecure: parsed['allow-insecure'] === true,
    allowDowngrade: parsed['allow-downgrade'] === true,
    ...(parsed['cache-dir'] ? { cacheDir: parsed['cache-dir'] } : {}),
    format: parsed.format,
    pullRequests: parsed['pull-requests'] === true,
    ...(parsed['github-repo'] ? { githubRepo: parsed['github-repo'] } : {}),
    ...(parsed.base ? { base: parsed.base } : {}),
    ...(parsed['git-remote'] ? { gitRemote: parsed['git-remote'] } : {}),
  }
}

/**
 * Writes every plan's files. When two automations touch the same file, the later one's
 * setters are applied again to the text the earlier one produced, so neither change is lost.
 */
function writeEdits(repo: string, plans: AutomationPlan[]): void {
  const texts = new Map<string, string>()
  for (const plan of plans) {
    for (const edit of plan.edits) {
      const current = texts.get(edit.path)
      texts.set(edit.path, current === undefined ? edit.after : applySetters(current, edit.path, plan.setters).text)
    }
  }
  for (const [path, text] of texts) writeFileSync(join(repo, path), text)
}

function jsonView(policies: Awaited<ReturnType<typeof scanImages>>['policies'], plans: AutomationPlan[], diagnostics: unknown[], applied: boolean): unknown {
  return {
    applied,
    policies: policies.map((p) => ({ policy: p.key, image: p.repository?.image ?? null, latest: p.latest ?? null, candidates: p.candidates })),
    automations: plans.map((p) => ({
      automation: p.implicit ? null : `${p.automation.namespace}/${p.automation.name}`,
      branch: p.branch,
      commitMessage: p.commitMessage ?? null,
      changes: p.changes,
      skipped: p.skipped,
    })),
    diagnostics,
  }
}
