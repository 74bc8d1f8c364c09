// Bundle entry of the Action (dist/index.js): wiring only, no logic here (style rule 1).
import { capHeapGrowth } from '../../infra/heap-growth.js'
import { run } from './runner.js'

capHeapGrowth()

await run()
