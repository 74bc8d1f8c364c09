import { parse } from 'yaml'

/**
 * True when `value` written without quotes reads back as the same string under both YAML
 * 1.1 and 1.2 (so `1.10`, `yes`, `0755`, `1e3`, dates and empty or padded text are not).
 */
export function readsAsPlainString(value: string): boolean {
  if (value === '' || value !== value.trim()) return false
  try {
    return parse(value, { version: '1.1' }) === value && parse(value) === value
  } catch {
    return false
  }
}
