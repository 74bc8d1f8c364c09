import { COMMANDS, main } from '../../src/adapters/cli/main.js'
import type { CliCommand } from '../../src/adapters/cli/io.js'

/** Every command and subcommand the CLI knows, as the words that name it. */
async function allCommands(): Promise<{ words: string[]; command: CliCommand }[]> {
  const out: { words: string[]; command: CliCommand }[] = []
  for (const [name, entry] of Object.entries(COMMANDS)) {
    out.push({ words: [name], command: (await entry.load()).default })
    for (const [sub, load] of Object.entries(entry.sub ?? {})) out.push({ words: [name, sub], command: (await load()).default })
  }
  return out
}

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), env: {}, cwd: process.cwd(), isTty: false })
  return { code, out, err }
}

// `  --name VALUE  text` or `  -o, --name VALUE  text`: a line that documents an option.
const OPTION_LINE = /^\s+(?:-([a-zA-Z]), )?--([a-z0-9][a-z0-9-]*)\b/gm
const ANY_FLAG = /(?<![\w-])--([a-z0-9][a-z0-9-]*)/g

describe('help for every command', () => {
  it('documents every option the command parses, and no option it does not parse', async () => {
    const commands = await allCommands()
    const everyOption = new Set(commands.flatMap((c) => Object.keys(c.command.options)))
    expect(commands.map((c) => c.words.join(' '))).toEqual(expect.arrayContaining(['diff', 'render', 'get', 'check', 'build', 'substitute', 'images', 'images select', 'reconcile', 'version']))
    for (const { words, command } of commands) {
      const label = words.join(' ')
      const documented = [...command.usage.matchAll(OPTION_LINE)]
      const parsed = Object.keys(command.options)
      expect({ label, options: documented.map((m) => m[2]).sort() }).toEqual({ label, options: [...parsed].sort() })
      for (const m of documented) {
        const short = (command.options[m[2]!] as { short?: string } | undefined)?.short
        expect({ label, option: m[2], short: m[1] }).toEqual({ label, option: m[2], short })
      }
      // Flags named in the text (`--base/--head`, a pointer to a subcommand) exist somewhere.
      for (const m of command.usage.matchAll(ANY_FLAG)) if (m[1] !== 'help') expect({ label, mentioned: m[1], known: everyOption.has(m[1]!) }).toEqual({ label, mentioned: m[1], known: true })
      expect(command.usage).toMatch(new RegExp(`^Usage: fluxgate ${label}\\b`))
    }
  })

  it('prints the same usage for `fluxgate help CMD`, `fluxgate CMD --help` and `fluxgate CMD -h`, on stdout with exit 0', async () => {
    for (const { words, command } of await allCommands()) {
      const expected = command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`
      for (const argv of [['help', ...words], [...words, '--help'], [...words, '-h'], [...words, '--repo', '.', '--help']]) {
        const r = await run(argv)
        expect({ argv, code: r.code, out: r.out, err: r.err }).toEqual({ argv, code: 0, out: expected, err: '' })
      }
    }
  })

  it('lists every command in the general help, and says so for an unknown one', async () => {
    const general = await run(['help'])
    expect(general.code).toBe(0)
    for (const name of Object.keys(COMMANDS)) expect(general.out).toContain(`  ${name} `)
    expect((await run(['--help'])).out).toBe(general.out)
    const unknown = await run(['help', 'deploy'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain("unknown command 'deploy'")
  })
})
