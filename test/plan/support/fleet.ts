// The builder lives beside the core tests (src/**/__fixtures__ is left out of the build).
export * from '../../../src/core/diff/__fixtures__/fleet.js'
