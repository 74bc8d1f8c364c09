export { envsubst, VAR_NOT_SET, type EnvsubstOptions, type EnvsubstResult } from './envsubst.js'
export { PARSE_ERRORS } from './parse.js'
export { buildVarMap, type PartialSource, type VarMap, type VarMapInput, type VarSource } from './var-map.js'
export {
  substituteObject,
  isSubstitutionDisabled,
  SUBSTITUTE_OPT_OUT_KEY,
  VAR_NAME_PATTERN,
  type SubstituteObjectOptions,
  type SubstituteObjectResult,
  type SubstituteStrategy,
} from './substitute-object.js'
export { readYaml11 } from '../yaml/index.js'
