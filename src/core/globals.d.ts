// The web-standard globals the core may use, declared once. `tsconfig.core.json` type-checks
// src/core with no Node types ("types": []), so a Buffer, a timer or `process` is an error
// there; these few are pure (no I/O, no clock) and exist in Node, browsers and workers alike.
// The other tsconfigs leave this file out: @types/node declares the same names.

interface TextEncoder {
  readonly encoding: string
  encode(input?: string): Uint8Array<ArrayBuffer>
}
declare const TextEncoder: { prototype: TextEncoder; new (): TextEncoder }

interface TextDecoder {
  readonly encoding: string
  readonly fatal: boolean
  readonly ignoreBOM: boolean
  decode(input?: ArrayBuffer | ArrayBufferView, options?: { stream?: boolean }): string
}
declare const TextDecoder: { prototype: TextDecoder; new (label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean }): TextDecoder }

interface URL {
  hash: string
  host: string
  hostname: string
  href: string
  readonly origin: string
  password: string
  pathname: string
  port: string
  protocol: string
  search: string
  username: string
  toString(): string
  toJSON(): string
}
declare const URL: { prototype: URL; new (url: string | URL, base?: string | URL): URL; canParse(url: string | URL, base?: string | URL): boolean }

declare function structuredClone<T>(value: T): T
declare function atob(data: string): string
declare function btoa(data: string): string
