import type { JsonValue } from '../model/object.js'
import { isJsonObject } from '../model/object.js'
import { mapEntries, mapItems } from '../model/map-json.js'
import { frozen } from '../model/frozen.js'
import type { Redactor } from './redactor.js'

/**
 * Keys whose string values are the plan's and the gate's own vocabulary (an action, a state, a
 * conclusion, a commit SHA), never rendered input: kept as they are, so that a Secret holding
 * `changed` or `failure` cannot garble what the presenters and the check run read. Object
 * contents under such keys were masked already (maskChange).
 */
const VOCABULARY: ReadonlySet<string> = new Set(['action', 'prune', 'state', 'status', 'severity', 'code', 'type', 'conclusion', 'level', 'ruleId', 'via', 'sha', 'mergeSha', 'outcome', 'role'])

/**
 * What leaves a plan for a presenter (a Plan, a gate Verdict, a LiveView, a reconcile report)
 * with secret values removed from every string, names and messages included, not only object
 * contents: a Secret's value reaches an object's name (`leak-${S}`), a heading or a gate
 * message through what the change does with it. Keys are the structure's own (`changes`,
 * `counts.added`) and stay; object contents, whose keys are data, were masked already.
 */
export function maskShown<T extends object>(value: T, redactor: Redactor): T {
  if (redactor.empty) return value
  return walk(value as unknown as JsonValue, redactor, false) as unknown as T
}

/**
 * What frozen parts were shown as, with the values masked: a cluster's plan is frozen and the
 * same from push to push while the push does not reach the cluster (cluster-plans.ts), and a
 * warm replan masked every cluster's again.
 */
const SHOWN = new WeakMap<object, { redactor: Redactor; shown: JsonValue }>()

/**
 * Copies only the lists and maps that hold something masked; the rest is shared with the input
 * (a plan lists every owner of every cluster, and copying all of it was a tenth of a warm
 * replan). What is shown is read, never changed: a caller adds to a plan before it is masked.
 * The outermost frozen parts are looked up in SHOWN (`inFrozen`: below one, nothing is).
 */
function walk(v: JsonValue, redactor: Redactor, inFrozen: boolean): JsonValue {
  if (typeof v === 'string') return redactor.text(v)
  if (typeof v !== 'object' || v === null) return v
  if (!inFrozen && Object.isFrozen(v)) {
    const kept = SHOWN.get(v)
    if (kept?.redactor.sameAs(redactor)) return kept.shown
    // Frozen as well: every later plan shares it.
    const shown = frozen(walkInside(v, redactor, true))
    SHOWN.set(v, { redactor, shown })
    return shown
  }
  return walkInside(v, redactor, inFrozen)
}

function walkInside(v: JsonValue, redactor: Redactor, inFrozen: boolean): JsonValue {
  if (Array.isArray(v)) return mapItems(v, (x) => walk(x, redactor, inFrozen))
  if (!isJsonObject(v)) return v
  return mapEntries(
    v,
    (k) => k,
    (k, x) => (typeof x === 'string' && VOCABULARY.has(k) ? x : walk(x, redactor, inFrozen)),
  )
}
