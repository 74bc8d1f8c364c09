import type { KubeObject } from '../../../../model/object.js'

// Generated objects (name without suffix) and the suffix kustomize v5.5.0 gave them.
export const GENERATED: [string, KubeObject, string][] = [
  ['binaryData', { apiVersion: 'v1', binaryData: { 'bin.dat': 'YQBi//4gYmluYXJ5' }, kind: 'ConfigMap', metadata: { name: 'binary' } }, '6hhd59dh8t'],
  ['no data', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' } }, '6ct58987ht'],
  ['key order', { apiVersion: 'v1', data: { _c: '3', 'A.b': '4', B: '1', a: '2', 'a-b': '5' }, kind: 'ConfigMap', metadata: { name: 'keys' } }, 't9httb6m54'],
  ['labels and annotations do not count', { apiVersion: 'v1', data: { x: 'y' }, kind: 'ConfigMap', metadata: { annotations: { a: 'b' }, labels: { l: 'v' }, name: 'opts' } }, '6gc9d749f7'],
  ['literals', { apiVersion: 'v1', data: { a: '1', b: 'two' }, kind: 'ConfigMap', metadata: { name: 'simple' } }, '5m9tg7g54f'],
  ['unicode, tabs and HTML characters', { apiVersion: 'v1', data: { tab: 'a\tb', 'uni.txt': 'héllo wörld ✓ 🎉\n<tag> & "q"\n', ü: 'ñ' }, kind: 'ConfigMap', metadata: { name: 'unicode' } }, 'g457gm66m2'],
  ['env file', { apiVersion: 'v1', data: { K1: 'v1', K2: 'v2 with spaces' }, kind: 'ConfigMap', metadata: { name: 'withenv' } }, 'cgb9dmd9c2'],
  ['secret', { apiVersion: 'v1', data: { password: 'aHVudGVyMg==' }, kind: 'Secret', metadata: { name: 'sec' }, type: 'Opaque' }, 'cf85kd65mm'],
  ['empty secret', { apiVersion: 'v1', data: {}, kind: 'Secret', metadata: { name: 'secempty' }, type: 'Opaque' }, '46f8b28mk5'],
  ['secret from files', { apiVersion: 'v1', data: { 'bin.dat': 'YQBi//4gYmluYXJ5', 'uni.txt': 'aMOpbGxvIHfDtnJsZCDinJMg8J+OiQo8dGFnPiAmICJxIgo=' }, kind: 'Secret', metadata: { name: 'secfile' }, type: 'Opaque' }, 'gbk547hbm4'],
  ['secret type', { apiVersion: 'v1', data: { 'tls.crt': 'Q0VSVA==', 'tls.key': 'S0VZ' }, kind: 'Secret', metadata: { name: 'sectls' }, type: 'kubernetes.io/tls' }, '4b255hm948'],
]
