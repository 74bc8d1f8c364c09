/**
 * Domain problems are data: every stage returns the diagnostics it found alongside its
 * result and carries on with everything else (style rule 5).
 */
export type Severity = 'error' | 'warning' | 'info'

/**
 * Where a diagnostic or an object points: a repository-relative file and, when known, a
 * 1-based line. An object no single file declares points at what made it (a generator
 * entry, the HelmRelease of a chart) and says what that is in `via` (`configMapGenerator`,
 * `chart podinfo 6.5.0 templates/deployment.yaml`, `ResourceSet apps/podinfo`).
 */
export interface SourceLocation {
  file: string
  line?: number
  column?: number
  via?: string
}

export interface Diagnostic {
  /**
   * Stable kebab-case id, prefixed by the area that raises it (`kustomize/`, `render/`,
   * `helm/`, `substitute/`, `images/`, `gate/`, `cluster/`, `yaml/`). Tests assert codes,
   * not message text.
   */
  code: string
  severity: Severity
  /** One sentence for a person. Never contains a Secret value or a token. */
  message: string
  location?: SourceLocation
  /** The cluster (entry path) this came from, when known. */
  cluster?: string
  /** The Flux object (`Kustomization/ns/name` or `HelmRelease/ns/name`) this came from. */
  owner?: string
  /**
   * The path the problem is about when `location` points elsewhere: a missing resource is
   * located at the kustomization line that names it, and `subject` is the missing path.
   */
  subject?: string
}

/** Collects diagnostics for one run of a stage. */
export class DiagnosticBag {
  readonly items: Diagnostic[] = []

  add(d: Diagnostic): void {
    this.items.push(d)
  }

  error(code: string, message: string, location?: SourceLocation): void {
    this.items.push({ code, severity: 'error', message, ...(location ? { location } : {}) })
  }

  warning(code: string, message: string, location?: SourceLocation): void {
    this.items.push({ code, severity: 'warning', message, ...(location ? { location } : {}) })
  }

  get hasErrors(): boolean {
    return this.items.some((d) => d.severity === 'error')
  }
}

/** `file:line: message` for terminals and logs. */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.location ? `${formatLocation(d.location)}: ` : ''
  return `${d.severity} [${d.code}] ${where}${d.message}`
}

/** `file:line`, then `(via …)` when something other than the file made the object. */
export function formatLocation(l: SourceLocation): string {
  return `${l.file}${l.line ? `:${l.line}` : ''}${l.via ? ` (via ${l.via})` : ''}`
}
