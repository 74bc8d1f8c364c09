import { isJsonObject, type JsonObject } from '../model/object.js'

/**
 * True when `labels` match a Kubernetes label selector (`matchLabels` and `matchExpressions`
 * with In, NotIn, Exists, DoesNotExist). An absent selector matches everything (I-14); an
 * operator this does not know matches nothing, as the API server would reject it.
 */
export function matchesSelector(selector: JsonObject | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true
  const match = isJsonObject(selector['matchLabels']) ? selector['matchLabels'] : {}
  for (const [k, v] of Object.entries(match)) if (labels[k] !== v) return false
  const exprs = Array.isArray(selector['matchExpressions']) ? selector['matchExpressions'] : []
  return exprs.every((e) => isJsonObject(e) && expressionMatches(e, labels))
}

function expressionMatches(e: JsonObject, labels: Record<string, string>): boolean {
  const key = typeof e['key'] === 'string' ? e['key'] : ''
  const values = Array.isArray(e['values']) ? e['values'].filter((v): v is string => typeof v === 'string') : []
  const has = Object.hasOwn(labels, key)
  switch (e['operator']) {
    case 'In':
      return has && values.includes(labels[key]!)
    case 'NotIn':
      return !has || !values.includes(labels[key]!)
    case 'Exists':
      return has
    case 'DoesNotExist':
      return !has
    default:
      return false
  }
}
