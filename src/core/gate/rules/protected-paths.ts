import { globToRegExp } from '../inspect.js'
import type { GateRule } from '../types.js'

/** A changed file under a protected path glob needs an approval. */
export const protectedPaths: GateRule = {
  id: 'protected-paths',
  description: 'The pull request changes a file under a path listed in protectedPaths.',
  defaultLevel: 'fail',
  needsApproval: true,
  evaluate({ config, changedFiles }) {
    const globs = config.protectedPaths.map((g) => ({ g, re: globToRegExp(g) }))
    return changedFiles.flatMap((file) => {
      const match = globs.find(({ re }) => re.test(file))
      return match ? [{ message: `${file} is under the protected path ${match.g}`, location: { file } }] : []
    })
  },
}
