// Library façade: the core's entry points and public types, and the Node implementations of
// its ports a caller needs to use them. Never the adapters. Documented in docs/library.md.
export * from './core/model/index.js'
export * from './core/diagnostics/index.js'
export type * from './ports/index.js'
// Render a fleet, plan a change: the same use cases the CLI, the Action and the App run.
export { renderFlow, planFlow, verdictOf, decideTrust, type RenderRequest, type RenderedRepository, type ShownObject, type PlanRequest, type PlannedChange, type ChangeOrigin, type Trust } from './flows/index.js'
export { renderFleet, type RenderOptions } from './core/render/render-fleet.js'
export { planChange, type PlanOptions } from './core/diff/plan-change.js'
export { systemClock } from './infra/clock.js'
// Where the files come from, and helm.
export { DiskTree } from './infra/disk-tree.js'
export { GitRepo, GitError } from './infra/git-repo.js'
export { HelmCli, type HelmCliOptions } from './infra/helm-cli.js'
export { findHelm, helmVersion, HelmPathError, type HelmChoice, type HelmLookup } from './infra/helm-binary.js'
