/**
 * A request a flow cannot carry out as asked (an unknown cluster name, an ambiguous one):
 * the caller's input is wrong, not the fleet. The CLI shows it as a usage error (exit 2), the
 * Action fails the step with it.
 */
export class RequestError extends Error {
  readonly code = 'request'
}
