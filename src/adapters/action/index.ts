// Bundle entry of the Action (dist/index.js): wiring only, no logic here (style rule 1).
import { run } from './runner.js'

await run()
