import { commitMessage, templateData, DEFAULT_COMMIT_MESSAGE } from '../images/commit-message.js'
import type { SetterChange } from '../images/setters.js'
import { renderTemplate } from './exec.js'
import { GoMap } from './values.js'
import { fromPlain, SPRIG_FUNCS } from './sprig.js'

const deploy = { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', namespace: 'apps' }
const release = { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', name: 'api', namespace: 'apps' }
const changes: SetterChange[] = [
  { file: 'clusters/prod/web.yaml', line: 9, setter: 'flux-system:web', policy: 'flux-system:web', field: 'image', oldValue: 'ghcr.io/org/web:1.0.0', newValue: 'ghcr.io/org/web:1.1.0', object: deploy },
  { file: 'clusters/prod/api.yaml', line: 12, setter: 'flux-system:api:tag', policy: 'flux-system:api', field: 'tag', oldValue: '2.0.0', newValue: '2.1.0', object: release },
  { file: 'clusters/prod/api.yaml', line: 20, setter: 'flux-system:api:tag', policy: 'flux-system:api', field: 'tag', oldValue: '2.0.0', newValue: '2.1.0', object: release },
]
const data = templateData({ name: 'apps', namespace: 'flux-system' }, 'clusters/prod', changes, { env: 'prod' })

describe('renderTemplate (Go text/template subset)', () => {
  it.each([
    ['plain text', 'hello', {}, 'hello'],
    ['field', '{{ .A.B }}', { A: { B: 'x' } }, 'x'],
    ['trim markers', 'a  {{- .A -}}  \n b', { A: 1 }, 'a1b'],
    ['comment', 'a{{/* note */}}b', {}, 'ab'],
    ['if/else if/else', '{{ if eq .N 1 }}one{{ else if eq .N 2 }}two{{ else }}many{{ end }}', { N: 2 }, 'two'],
    ['if on empty list', '{{ if .L }}y{{ else }}n{{ end }}', { L: [] }, 'n'],
    ['range list with index', '{{ range $i, $e := .L }}{{ $i }}={{ $e }};{{ end }}', { L: ['a', 'b'] }, '0=a;1=b;'],
    ['range map sorted by key', '{{ range $k, $v := .M }}{{ $k }}:{{ $v }} {{ end }}', { M: new GoMap([['b', 2], ['a', 1]]) }, 'a:1 b:2 '],
    ['range else', '{{ range .L }}x{{ else }}none{{ end }}', { L: [] }, 'none'],
    ['break and continue', '{{ range .L }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}', { L: [1, 2, 3, 4, 5] }, '13'],
    ['with', '{{ with .A }}{{ .B }}{{ end }}', { A: { B: 'in' } }, 'in'],
    ['variables and $', '{{ $x := "v" }}{{ range .L }}{{ $x }}{{ $.T }}{{ end }}', { L: [1, 2], T: '!' }, 'v!v!'],
    ['assignment', '{{ $n := 0 }}{{ range .L }}{{ $n = . }}{{ end }}{{ $n }}', { L: [1, 7] }, '7'],
    ['pipeline into sprig', '{{ .S | trim | upper }}', { S: '  web ' }, 'WEB'],
    ['sprig argument order', '{{ replace "-" "_" .S }} {{ .S | trimPrefix "a-" }}', { S: 'a-b-c' }, 'a_b_c b-c'],
    ['printf', '{{ printf "%s=%d %q %5s|%-3s|" "k" 42 "q" "r" "l" }}', {}, 'k=42 "q"     r|l  |'],
    ['parenthesised pipeline', '{{ (printf "%s-%s" "a" "b") | upper }}', {}, 'A-B'],
    ['len, index, join, default', '{{ len .L }} {{ index .L 1 }} {{ join "," .L }} {{ default "d" .E }}', { L: ['x', 'y'], E: '' }, '2 y x,y d'],
    ['missing map key is the zero value', '[{{ .V.nope }}]', { V: new GoMap([], '') }, '[]'],
  ])('%s', (_name, tpl, input, expected) => {
    expect(renderTemplate(tpl, input)).toBe(expected)
  })

  it.each([
    ['unknown function', '{{ frobnicate .A }}', /function "frobnicate" is not supported/],
    ['define', '{{ define "x" }}{{ end }}', /'define' is not supported/],
    ['missing end', '{{ if .A }}x', /missing \{\{end\}\}/],
    ['unknown struct field', '{{ .Nope }}', /can't evaluate field Nope/],
  ])('errors clearly: %s', (_name, tpl, message) => {
    expect(() => renderTemplate(tpl, { A: 1 })).toThrow(message)
  })
})

describe('commit messages with Flux template data (I-23)', () => {
  it('renders the example template of flux-semantics §6.5', () => {
    const tpl = 'Bump images for {{ .Values.env }}\n{{ range .Changed.Changes }}- {{ .OldValue }} -> {{ .NewValue }}\n{{ end }}'

    expect(commitMessage(tpl, data)).toEqual({
      ok: true,
      message: 'Bump images for prod\n- ghcr.io/org/web:1.0.0 -> ghcr.io/org/web:1.1.0\n- 2.0.0 -> 2.1.0\n',
    })
  })

  it('renders the files/objects template from the Flux documentation', () => {
    const tpl = [
      'Automated image update',
      '',
      'Automation name: {{ .AutomationObject.Namespace }}/{{ .AutomationObject.Name }}',
      '',
      'Files:',
      '{{ range $filename, $_ := .Changed.FileChanges -}}',
      '- {{ $filename }}',
      '{{ end -}}',
      '',
      'Objects:',
      '{{ range $resource, $changes := .Changed.Objects -}}',
      '- {{ $resource.Kind }} {{ $resource.Name }}',
      '  Changes:',
      '{{- range $_, $change := $changes }}',
      '    - {{ $change.OldValue }} -> {{ $change.NewValue }}',
      '{{ end -}}',
      '{{ end -}}',
    ].join('\n')

    const res = commitMessage(tpl, data)

    expect(res).toEqual({
      ok: true,
      message: [
        'Automated image update',
        '',
        'Automation name: flux-system/apps',
        '',
        'Files:',
        '- api.yaml',
        '- web.yaml',
        // `{{ end -}}` eats the blank line before "Objects:", as in Go
        'Objects:',
        '- Deployment web',
        '  Changes:',
        '    - ghcr.io/org/web:1.0.0 -> ghcr.io/org/web:1.1.0',
        '- HelmRelease api',
        '  Changes:',
        '    - 2.0.0 -> 2.1.0',
        // each inner iteration starts with the newline after `$changes }}`
        '',
        '    - 2.0.0 -> 2.1.0',
        '',
      ].join('\n'),
    })
  })

  it('uses the default message without a template', () => {
    expect(commitMessage(undefined, data)).toEqual({ ok: true, message: DEFAULT_COMMIT_MESSAGE })
  })

  it('refuses the fields Flux removed, as Flux stalls on them', () => {
    const res = commitMessage('{{ range .Updated.Images }}{{ . }}{{ end }}', data)

    expect(res.ok).toBe(false)
    expect(!res.ok && res.error).toMatch(/Updated.*removed/)
  })
})

describe('renderTemplate options (Flux Operator ResourceSets)', () => {
  const inputs = fromPlain({ tenant: 'Team One', n: 3, app: { version: '6.7.x' }, list: ['a', 'b'], nested: { x: 1 } })
  const opts = { delims: ['<<', '>>'] as const, funcs: new Map([...SPRIG_FUNCS, ['inputs', () => inputs]]), missingKey: 'error' as const, context: 'ResourceSet templates' }

  it.each([
    ['custom delimiters leave {{ }} alone', '{{ .Values }} << inputs.tenant >>', '{{ .Values }} Team One'],
    ['fields of a function result', '<< inputs.app.version | quote >>', '"6.7.x"'],
    ['int and arithmetic', '<< add (inputs.n | int) 1 >> << mul 2 3 >> << div 7 2 >>', '4 6 3'],
    ['slugify', '<< inputs.tenant | slugify >>', 'team-one'],
    ['toYaml | nindent', 'x:<< inputs.nested | toYaml | nindent 2 >>', 'x:\n  x: 1\n  '],
    ['toJson sorts keys', '<< dict "b" 1 "a" "<" | toJson >>', '{"a":"\\u003c","b":1}'],
    ['get with default', '<< get inputs "missing" | default "d" >>', 'd'],
    ['hasKey and kindIs', '<< hasKey inputs "n" >> << kindIs "slice" inputs.list >>', 'true true'],
    ['regexReplaceAll (RE2)', '<< regexReplaceAll "[aeiou]" "banana" "_" >>', 'b_n_n_'],
    ['b64enc', '<< "fleet" | b64enc >>', 'ZmxlZXQ='],
    ['range over a list', '<<- range $i, $x := inputs.list >>[<< $i >>=<< $x >>]<< end >>', '[0=a][1=b]'],
  ])('%s', (_name, tpl, expected) => {
    expect(renderTemplate(tpl, undefined, opts)).toBe(expected)
  })

  it('fails on a key no input has (missingkey=error), and names the context for unknown functions', () => {
    expect(() => renderTemplate('<< inputs.nope >>', undefined, opts)).toThrow('map has no entry for key "nope"')
    expect(() => renderTemplate('<< now >>', undefined, opts)).toThrow('function "now" is not supported in ResourceSet templates')
  })

  it('bounds its output', () => {
    expect(() => renderTemplate('<< range until 5000 >>0123456789<< end >>', undefined, { ...opts, maxOutput: 1000 })).toThrow('template output exceeds 1000 characters')
  })
})

describe('renderTemplate budgets', () => {
  it.each([
    ['repeat', '{{ repeat 100000000 "ab" }}'],
    ['indent', '{{ indent 100000000 "a" }}'],
    ['printf width', '{{ printf "%900000000s" "a" }}'],
  ])('refuses a %s that would build a huge string', (_name, tpl) => {
    expect(() => renderTemplate(tpl, {})).toThrow(/too large here/)
  })
})
