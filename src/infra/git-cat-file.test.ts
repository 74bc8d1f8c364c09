import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CatFile, CatFileError } from './git-cat-file.js'

const git = (dir: string, ...args: string[]): string => execFileSync('git', ['-C', dir, '-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args]).toString().trim()

const readCmdline = (pid: string): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
  } catch {
    return ''
  }
}

describe('CatFile', () => {
  let dir: string
  let large: Buffer
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fg-cat-'))
    git(dir, 'init', '-q', '-b', 'main')
    // Larger than a pipe's chunk: its body arrives in many pieces.
    large = Buffer.from(Array.from({ length: 40_000 }, (_, i) => `line ${i}\n`).join(''))
    writeFileSync(join(dir, 'large.txt'), large)
    writeFileSync(join(dir, 'small.yaml'), 'kind: ConfigMap\n')
    git(dir, 'add', '-A')
    git(dir, 'commit', '-q', '-m', 'one')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('answers objects in the order asked, bodies whole, a missing name as missing', async () => {
    const cat = new CatFile(dir, '--batch')
    try {
      const [a, b, c, d] = await cat.ask([git(dir, 'rev-parse', 'HEAD:large.txt'), 'f'.repeat(40), git(dir, 'rev-parse', 'HEAD:small.yaml'), 'HEAD^{tree}'])
      expect(a).toMatchObject({ type: 'blob', size: large.length })
      expect(Buffer.compare((a as { body: Buffer }).body, large)).toBe(0)
      expect(b).toEqual({ missing: 'f'.repeat(40) })
      expect((c as { body: Buffer }).body.toString()).toBe('kind: ConfigMap\n')
      expect(d).toMatchObject({ id: git(dir, 'rev-parse', 'HEAD^{tree}'), type: 'tree' })
    } finally {
      cat.close()
    }
  })

  it('answers requests made side by side each with its own objects', async () => {
    const cat = new CatFile(dir, '--batch-check')
    try {
      const small = git(dir, 'rev-parse', 'HEAD:small.yaml')
      const [one, two] = await Promise.all([cat.ask([small, 'HEAD']), cat.ask(['HEAD:large.txt'])])
      expect(one).toEqual([{ id: small, type: 'blob', size: 16 }, { id: git(dir, 'rev-parse', 'HEAD'), type: 'commit', size: expect.any(Number) }])
      expect(two).toEqual([{ id: git(dir, 'rev-parse', 'HEAD:large.txt'), type: 'blob', size: large.length }])
    } finally {
      cat.close()
    }
  })

  it('ends its process after the idle time it is given, and starts another for the next request', async () => {
    const cat = new CatFile(dir, '--batch-check', 100)
    // The git processes running for this repository (an ended one's command line is gone).
    const pids = (): string[] =>
      readdirSync('/proc').filter((p) => /^\d+$/.test(p) && readCmdline(p).includes(`${dir}\0cat-file\0--batch-check`))
    try {
      await cat.ask(['HEAD'])
      const first = pids()
      expect(first).toHaveLength(1)
      await new Promise((r) => setTimeout(r, 1000))
      expect(pids()).toEqual([])
      expect(await cat.ask(['HEAD'])).toEqual([{ id: git(dir, 'rev-parse', 'HEAD'), type: 'commit', size: expect.any(Number) }])
      expect(pids()).toHaveLength(1)
      expect(pids()).not.toEqual(first)
    } finally {
      cat.close()
    }
  })

  it('fails what is under way when its process ends, and starts another for the next request', async () => {
    const cat = new CatFile(dir, '--batch')
    const asked = cat.ask(['HEAD:large.txt'])
    cat.close()
    await expect(asked).rejects.toBeInstanceOf(CatFileError)
    const [again] = await cat.ask(['HEAD:small.yaml'])
    expect((again as { body: Buffer }).body.toString()).toBe('kind: ConfigMap\n')
    cat.close()
  })

  it('refuses a name that would be read as two (a line break) before git sees it', async () => {
    const cat = new CatFile(dir, '--batch')
    await expect(cat.ask(['HEAD\nHEAD:small.yaml'])).rejects.toThrow('is not an object name')
    await expect(cat.ask([''])).rejects.toBeInstanceOf(CatFileError)
    cat.close()
  })

  it('reports a folder that is not a repository as the git failure it is', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'fg-cat-none-'))
    const cat = new CatFile(empty, '--batch-check')
    try {
      await expect(cat.ask(['HEAD'])).rejects.toThrow(/not a git repository/)
    } finally {
      cat.close()
      rmSync(empty, { recursive: true, force: true })
    }
  })
})
