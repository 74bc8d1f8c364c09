/**
 * Normalises a Git URL for comparison (G-1): lower-case host, no user info, no default
 * port, no trailing `.git` or `/`. scp-style `git@host:org/repo` is read as ssh.
 */
export function normalizeGitUrl(url: string): string {
  let u = url.trim()
  const scp = /^([^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(u)
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(u)) u = `ssh://${scp[2]}/${scp[3]}`
  const m = /^([a-z][a-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/:]+)(?::(\d+))?(\/.*)?$/i.exec(u)
  if (!m) return u.replace(/\/+$/, '').replace(/\.git$/, '')
  const host = m[2]!.toLowerCase()
  let path = (m[4] ?? '').replace(/\/+$/, '').replace(/\.git$/, '').replace(/\/+$/, '')
  if (!path.startsWith('/')) path = '/' + path
  // Scheme is left out on purpose: https and ssh URLs of one repository are the same repository.
  return `${host}${path}`
}

/** True when two Git URLs name the same repository. */
export function sameRepository(a: string, b: string): boolean {
  return normalizeGitUrl(a) === normalizeGitUrl(b)
}
