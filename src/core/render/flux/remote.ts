import { isJsonObject, type KubeObject } from '../../model/object.js'
import type { KubeConfigRef } from '../../model/render-result.js'

/**
 * The remote clusters one hub reaches through `spec.kubeConfig` (Kustomization and
 * HelmRelease): each distinct Secret (or ConfigMap, for workload identity) in the owner's
 * namespace is one, named `<namespace>/<name>` unless the settings name it, and never by a
 * name already taken in this walk.
 */
export class RemoteClusters {
  private readonly byKey = new Map<string, { kubeConfig: KubeConfigRef; name: string }>()

  constructor(
    private readonly hub: string,
    private readonly names: ReadonlyMap<string, string> | undefined,
  ) {}

  /** The key of the cluster `obj` applies to: `home` without a kubeConfig, else its kubeConfig's (registered on first sight). */
  targetOf(obj: KubeObject, home: string, nameOf: (key: string) => string): string {
    const ref = kubeConfigOf(obj)
    if (!ref) return home
    const key = `${home ? `${home}>` : ''}${ref.kind}/${ref.namespace}/${ref.name}`
    if (!this.byKey.has(key)) {
      const short = `${ref.namespace}/${ref.name}`
      const configured = this.names?.get(short) ?? this.names?.get(`${ref.kind}/${short}`)
      const taken = new Set([this.hub, ...[...this.byKey.values()].map((r) => r.name)])
      const base = configured ?? (home ? `${nameOf(home)}/${short}` : short)
      this.byKey.set(key, { kubeConfig: ref, name: taken.has(base) ? `${this.hub}/${base}` : base })
    }
    return key
  }

  get(key: string): { kubeConfig: KubeConfigRef; name: string } | undefined {
    return this.byKey.get(key)
  }

  /** Keys in the order they were met. */
  keys(): string[] {
    return [...this.byKey.keys()]
  }
}

/** The Secret or ConfigMap a Flux object's `spec.kubeConfig` names, in the object's namespace. */
export function kubeConfigOf(obj: KubeObject): KubeConfigRef | undefined {
  const spec = isJsonObject(obj['spec']) ? obj['spec'] : {}
  const kc = isJsonObject(spec['kubeConfig']) ? spec['kubeConfig'] : undefined
  if (!kc) return undefined
  const secret = isJsonObject(kc['secretRef']) && typeof kc['secretRef']['name'] === 'string' ? kc['secretRef']['name'] : undefined
  const cm = isJsonObject(kc['configMapRef']) && typeof kc['configMapRef']['name'] === 'string' ? kc['configMapRef']['name'] : undefined
  const name = secret ?? cm
  return name ? { kind: secret ? 'Secret' : 'ConfigMap', namespace: obj.metadata.namespace ?? 'default', name } : undefined
}
