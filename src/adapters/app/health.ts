import { accessSync, constants, mkdirSync } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'

/** One readiness condition: undefined when met, else what is wrong (no secrets: it is served). */
export interface ReadinessCheck {
  name: string
  check: () => string | undefined | Promise<string | undefined>
}

/**
 * `/healthz` and `/readyz` for the App's HTTP server (Kubernetes probes, the container's
 * HEALTHCHECK). `/healthz` answers while the process serves requests at all; `/readyz` once the
 * app has registered its webhook handlers and every readiness check passes, so a pod whose cache
 * folder is not writable, or that cannot reach the Redis of its queue, gets no webhooks. Probot serves these through the handler it hands to
 * the app function (`addHandler`), after its webhook middleware and before its 404.
 */
export class Health {
  private loaded = false

  constructor(private readonly checks: ReadinessCheck[]) {}

  /** The app has registered every event handler. */
  markLoaded(): void {
    this.loaded = true
  }

  readonly handler = async (req: IncomingMessage, res: ServerResponse): Promise<boolean> => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false
    const path = (req.url ?? '').split('?')[0]
    if (path === '/healthz') {
      send(res, 200, { status: 'ok' })
      return true
    }
    if (path !== '/readyz') return false
    if (!this.loaded) {
      send(res, 503, { status: 'starting' })
      return true
    }
    const results = new Map<string, string>()
    for (const c of this.checks) {
      let problem: string | undefined
      try {
        problem = await c.check()
      } catch (err) {
        problem = err instanceof Error ? err.message : String(err)
      }
      results.set(c.name, problem ?? 'ok')
    }
    const ready = [...results.values()].every((r) => r === 'ok')
    send(res, ready ? 200 : 503, { status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) })
    return true
  }
}

/** The folder fetched repositories are cached in can be written (a read-only root file system needs a volume there). */
export function cacheWritable(dir: string): ReadinessCheck {
  return {
    name: 'cache',
    check: () => {
      try {
        mkdirSync(dir, { recursive: true })
        accessSync(dir, constants.W_OK)
        return undefined
      } catch (err) {
        return `FLUXGATE_CACHE_DIR ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? 'error'})`
      }
    },
  }
}

/** The review queue can take and run reviews (with REDIS_URL: Redis answers). */
export function queueReady(queue: { problem(): Promise<string | undefined> }): ReadinessCheck {
  return { name: 'queue', check: () => queue.problem() }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body))
}
