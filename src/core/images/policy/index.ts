export { parseImagePolicy, type PolicySpec, type PolicyChoice } from './spec.js'
export {
  selectTag,
  compareTags,
  applyExclusionList,
  compileExclusionList,
  storedOrder,
  DEFAULT_EXCLUSION_LIST,
  type SelectResult,
} from './select-tag.js'
export { policerFromChoice, byteCompare, type Policer } from './policers.js'
export { compileRe2 as compileGoRegexp } from '../../regex/index.js'
export { goExpand } from './go-expand.js'
export { goParseFloat } from './go-parse-float.js'
