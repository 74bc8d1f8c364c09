/**
 * URL shapes of the Kubernetes REST API:
 *   /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]
 *   /apis/{group}/{version}[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]
 * `/api/v1/namespaces/{name}` and `/api/v1/namespaces/{name}/status` are the Namespace object
 * itself, which is why the namespace prefix is taken only when a known plural follows it.
 */
import type { ResourceTable, ResourceType } from './resources.js'

export type Route =
  | { type: 'group-version'; group: string; version: string }
  | { type: 'resource'; group: string; version: string; resource: ResourceType; namespace?: string; name?: string; sub?: string }
  | { type: 'unknown' }

/** Parses a request path against the served kinds. */
export function parseRoute(path: string, table: ResourceTable): Route {
  const parts = path.split('/').filter(Boolean)
  let group: string
  let version: string
  let rest: string[]
  if (parts[0] === 'api' && parts[1]) {
    group = ''
    version = parts[1]
    rest = parts.slice(2)
  } else if (parts[0] === 'apis' && parts[1] && parts[2]) {
    group = parts[1]
    version = parts[2]
    rest = parts.slice(3)
  } else return { type: 'unknown' }
  if (rest.length === 0) return { type: 'group-version', group, version }
  let namespace: string | undefined
  if (rest[0] === 'namespaces' && rest.length >= 3 && table.byPlural(group, version, rest[2] as string)) {
    namespace = rest[1]
    rest = rest.slice(2)
  }
  const [plural = '', name, sub, ...extra] = rest
  const resource = table.byPlural(group, version, plural)
  if (!resource || extra.length > 0) return { type: 'unknown' }
  return { type: 'resource', group, version, resource, ...(namespace ? { namespace } : {}), ...(name ? { name } : {}), ...(sub ? { sub } : {}) }
}
