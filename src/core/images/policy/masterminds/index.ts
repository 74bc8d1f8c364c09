export { newVersion, parseFluxVersion, compareVersions, comparePrerelease, VERSION_ERRORS, type Version } from './version.js'
export { parseConstraints, checkConstraints, type Constraints } from './constraints.js'
