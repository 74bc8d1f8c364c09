import { MemoryTree } from '../tree/memory-tree.js'
import { artifactPatterns, isIgnored, readPatterns } from './sourceignore.js'
import { FilteredTree } from './filtered-tree.js'

function files(tree: FilteredTree, dir = ''): string[] {
  const out: string[] = []
  for (const name of tree.list(dir)) {
    const p = dir ? `${dir}/${name}` : name
    if (tree.stat(p)?.type === 'dir') out.push(...files(tree, p))
    else out.push(p)
  }
  return out
}

describe('Flux artifact ignore rules (G-4)', () => {
  const repo = (): MemoryTree =>
    MemoryTree.fromRecord({
      'README.md': '#',
      'logo.png': 'x',
      '.github/workflows/ci.yaml': 'on: push',
      '.sops.yaml': 'creation_rules: []',
      'apps/base/app.yaml': 'kind: ConfigMap',
      'apps/.sops.yaml': 'creation_rules: []',
      'clusters/prod/ks.yaml': 'kind: Kustomization',
      'infrastructure/a.yaml': 'kind: Namespace',
      'docs/guide.yaml': 'x: 1',
    })

  it('applies the default exclusions when no user pattern exists', () => {
    const t = repo()
    const kept = files(new FilteredTree(t, artifactPatterns(t, undefined)))
    expect(kept).toEqual(['README.md', 'apps/base/app.yaml', 'clusters/prod/ks.yaml', 'docs/guide.yaml', 'infrastructure/a.yaml'])
  })

  it('drops the non-VCS defaults as soon as a .sourceignore exists (the flux2 example file)', () => {
    const t = repo()
    t.addFile('.sourceignore', '# Exclude all\n/*\n\n# Include manifest directories\n!/apps/\n!/clusters/\n!/infrastructure/\n')
    const kept = files(new FilteredTree(t, artifactPatterns(t, undefined)))
    // .sops.yaml under apps/ now ships: the defaults are gone (rule 10.2)
    expect(kept).toEqual(['apps/.sops.yaml', 'apps/base/app.yaml', 'clusters/prod/ks.yaml', 'infrastructure/a.yaml'])
  })

  it('spec.ignore also replaces the defaults, and a later !pattern re-includes a file inside an excluded dir', () => {
    const t = repo()
    const kept = files(new FilteredTree(t, artifactPatterns(t, 'apps/\n!apps/base/app.yaml\n')))
    expect(kept).toContain('apps/base/app.yaml')
    expect(kept).not.toContain('apps/.sops.yaml')
    expect(kept).toContain('.github/workflows/ci.yaml')
    expect(kept).toContain('logo.png')
  })

  it('scopes a nested .sourceignore to its own directory', () => {
    const t = repo()
    t.addFile('apps/.sourceignore', '*.yaml\n')
    const kept = files(new FilteredTree(t, artifactPatterns(t, undefined)))
    expect(kept.filter((p) => p.startsWith('apps/'))).toEqual(['apps/.sourceignore'])
    expect(kept).toContain('docs/guide.yaml')
  })

  it('matches like go-git: ** spans folders, trailing / means directories only', () => {
    const ps = readPatterns('**/secret/*.yaml\nbuild/\n', [])
    expect(isIgnored(ps, 'a/b/secret/x.yaml', false)).toBe(true)
    expect(isIgnored(ps, 'secret/x.yaml', false)).toBe(true)
    expect(isIgnored(ps, 'a/build', false)).toBe(false)
    expect(isIgnored(ps, 'a/build/x.yaml', false)).toBe(true)
  })

  it('never keeps symlinks (G-3)', () => {
    const t = MemoryTree.fromRecord({ 'a/x.yaml': 'k: v' })
    t.addSymlink('a/link.yaml', 'x.yaml')
    expect(files(new FilteredTree(t, artifactPatterns(t, undefined)))).toEqual(['a/x.yaml'])
  })
})

describe('the .sourceignore patterns of a tree like one read before (a push after the last)', () => {
  const base = {
    '.sourceignore': '*.md\n',
    'apps/.sourceignore': 'tmp/\n',
    'apps/web/deploy.yaml': 'kind: ConfigMap\n',
    'apps/web/README.md': '# web\n',
    'infra/x.yaml': 'kind: ConfigMap\n',
  }
  // The patterns of a tree that cannot be related to any other: every folder searched.
  const searched = (record: Record<string, string>): unknown => {
    const t = MemoryTree.fromRecord(record)
    return artifactPatterns({ stat: (p) => t.stat(p), readFile: (p) => t.readFile(p), list: (d) => t.list(d) }, undefined)
  }
  const edits: [string, Record<string, string | undefined>][] = [
    ['a manifest changed', { 'apps/web/deploy.yaml': 'kind: Secret\n' }],
    ['a file added beside a .sourceignore', { 'apps/web/more.yaml': 'kind: ConfigMap\n' }],
    ['a .sourceignore changed', { 'apps/.sourceignore': 'tmp/\n*.txt\n' }],
    ['a .sourceignore added in a new folder', { 'infra/deep/.sourceignore': '*.json\n' }],
    ['a .sourceignore removed', { 'apps/.sourceignore': undefined }],
    ['the root .sourceignore removed', { '.sourceignore': undefined }],
    ['a folder holding a .sourceignore removed', { 'apps/.sourceignore': undefined, 'apps/web/deploy.yaml': undefined, 'apps/web/README.md': undefined }],
  ]
  it.each(edits)('are the patterns every folder gives where %s', (_what, edit) => {
    const before = MemoryTree.fromRecord(base)
    expect(artifactPatterns(before, undefined)).toEqual(searched(base))
    const next: Record<string, string> = {}
    for (const [p, t] of Object.entries({ ...base, ...edit })) if (t !== undefined) next[p] = t
    expect(artifactPatterns(MemoryTree.fromRecord(next), undefined)).toEqual(searched(next))
  })
})
