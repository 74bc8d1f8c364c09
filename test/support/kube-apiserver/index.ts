/** The Kubernetes API double and its test controller; see server.ts for what is not modelled. */
export { KubeApiServer, startKubeApiServer, type KubeApiServerOptions, type RequestLogEntry } from './server.js'
export { FluxTestController, type ReconcileScript, type ReconcileOutcome, type HandledRequest } from './flux-controller.js'
export { DEFAULT_RESOURCES, ResourceTable, type ResourceType } from './resources.js'
export type { StoredObject } from './store.js'
