import { describe, expect, it } from '@jest/globals'
import { DEMO_COMPILE_ERRORS, DEMO_LOGS } from '../__fixtures__/demo-logs.js'
import { LogScanner, MAX_FOLLOWING, type LogStats } from '../src/download/log-scanner.js'
import { RECOGNISERS } from '../src/download/recognisers/index.js'
import {
  findingMessage,
  MAX_FINDINGS,
  MAX_MESSAGE_LINES,
  MAX_TOOL_LINE_CHARS,
  toolLine,
  type Finding,
  type Followed,
  type Recogniser,
  type Take
} from '../src/download/recognisers/recogniser.js'

function scan(recognisers: readonly Recogniser[], text: string | Buffer, chunkSize = 61): LogStats {
  const scanner = new LogScanner(recognisers)
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text)
  for (let at = 0; at < data.length; at += chunkSize)
    scanner.write(data.subarray(at, at + chunkSize))
  const stats = scanner.finish()
  if (!stats) throw new Error('taken for a compressed body')
  return stats
}

/** What a recogniser was handed, in order: `c:` candidates and `f:` following lines. */
type Calls = string[]

/**
 * A recogniser that follows a script written into the log's lines, and notes every call. A
 * candidate is recognised unless it says `quiet`, refused when it says `skip`, and asks for as
 * many following lines as the digit after its trigger. A following line is `recognised` when
 * indented, `took` when it starts with `- `, else `done`. Each recognised candidate is a finding.
 */
function scripted(
  name: string,
  triggers: string[],
  maxFollowing: number,
  calls: Calls
): Recogniser {
  return {
    name,
    triggers,
    maxFollowing,
    start() {
      const findings: Finding[] = []
      return {
        candidate(line: string): Take | undefined {
          calls.push(`c:${line}`)
          if (line.includes('skip')) return undefined
          const trigger = triggers.find(t => line.includes(t))
          const digit = trigger
            ? /^\d/.exec(line.slice(line.indexOf(trigger) + trigger.length))
            : null
          const recognised = !line.includes('quiet')
          if (recognised) findings.push({ kind: 'compile-error', message: `${name}: ${line}` })
          return { recognised, following: digit ? Number(digit[0]) : 0 }
        },
        following(line: string): Followed {
          calls.push(`f:${line}`)
          return line.startsWith('  ') ? 'recognised' : line.startsWith('- ') ? 'took' : 'done'
        },
        finish: () => findings
      }
    }
  }
}

/**
 * The contract's driving rules applied the plain way, to the whole text split into lines: what
 * each recogniser is handed, what it finds, and which lines one of them recognised.
 */
function reference(
  recognisers: readonly Recogniser[],
  text: string
): { findings: Finding[]; recognisedLines: Set<number> } {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  const recognisedLines = new Set<number>()
  const findings: Finding[] = []
  for (const recogniser of recognisers) {
    const state = recogniser.start()
    let wanted = 0
    for (const [i, raw] of lines.entries()) {
      const line = toolLine(raw)
      if (wanted > 0) {
        const followed = state.following(line)
        if (followed !== 'done') {
          wanted--
          if (followed === 'recognised') recognisedLines.add(i)
          continue
        }
        wanted = 0
      }
      if (!recogniser.triggers.some(trigger => raw.includes(trigger))) continue
      const take = state.candidate(line)
      if (!take) continue
      if (take.recognised) recognisedLines.add(i)
      wanted = Math.min(take.following, recogniser.maxFollowing)
    }
    findings.push(...state.finish().slice(0, MAX_FINDINGS))
  }
  return { findings, recognisedLines }
}

const PREFIX = (i: number, level = 'INFO'): string =>
  `[2026/09/10 19:09:${String(i % 60).padStart(2, '0')}.236 GMT+08:00] [${level}] [build:step] : `

/** A deterministic log of the scripts' lines, with and without CodeArts prefixes and colour. */
function scriptLog(lines: number, seed: number): string {
  const bodies = [
    'compiling module',
    'FAIL3 in unit',
    'FAIL quiet2 here',
    'FAIL skip5',
    '● Suite › test1',
    '  expected 1',
    '- took this',
    '  at frame (x.ts:1:2)',
    'e: file:///a.kt:1:2 oops',
    'Tests <<< FAILURE!9',
    '  detail FAIL2',
    '- e: 1',
    'ok ●●●',
    ''
  ]
  let x = seed
  const out: string[] = []
  for (let i = 0; i < lines; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    const body = bodies[(x >>> 8) % bodies.length]
    const level = (x >>> 4) % 5 === 0 ? 'ERROR' : 'INFO'
    const style = (x >>> 12) % 4
    const line =
      style === 0
        ? body
        : style === 1
          ? `${PREFIX(i, level)}${body}`
          : style === 2
            ? `${PREFIX(i, level)}\u001b[31m${body}\u001b[0m`
            : `[ERROR] ${body}\r`
    out.push(line)
  }
  return out.join('\n')
}

function recognisers(calls: Calls[]): Recogniser[] {
  return [
    scripted('fails', ['FAIL', '<<< FAILURE!'], 4, (calls[0] = [])),
    scripted('bullets', ['●', 'e: '], 9, (calls[1] = [])),
    scripted('errors', ['[ERROR]'], 2, (calls[2] = []))
  ]
}

describe('LogScanner with recognisers', () => {
  it('drives each recogniser by the contract, whatever the chunking, as a plain reading does', () => {
    for (const seed of [1, 2, 3]) {
      const text = scriptLog(400, seed)
      const want: Calls[] = []
      const wanted = reference(recognisers(want), text)
      expect(wanted.findings.length).toBeGreaterThan(20)
      expect(want.flat().filter(call => call.startsWith('f:')).length).toBeGreaterThan(20)
      for (const size of [1, 3, 61, 4096, 1 << 20]) {
        const got: Calls[] = []
        const stats = scan(recognisers(got), text, size)
        expect(got).toEqual(want)
        expect(stats.findings).toEqual(wanted.findings)
      }
    }
  })

  it('leaves the lines a recogniser recognised out of the build errors, and counts them as before', () => {
    for (const seed of [4, 5]) {
      const text = scriptLog(400, seed)
      const { recognisedLines } = reference(recognisers([]), text)
      const lines = text.split('\n')
      // The same log with the recognised lines made plain: its build errors are the ones wanted.
      const plain = lines.map((line, i) => (recognisedLines.has(i) ? 'plain' : line)).join('\n')
      const wanted = scan([], plain, 1 << 20).errorGroups
      expect(recognisedLines.size).toBeGreaterThan(20)
      expect(wanted.length).toBeGreaterThan(0)
      const without = scan([], text)
      for (const size of [1, 61, 1 << 20]) {
        const stats = scan(recognisers([]), text, size)
        expect(stats.errorGroups).toEqual(wanted)
        expect(stats).toMatchObject({
          lines: without.lines,
          errors: without.errors,
          warnings: without.warnings,
          firstError: without.firstError
        })
      }
    }
  })

  it("raises no warning for the demo's compile errors once a recogniser recognises them", () => {
    // A Maven compiler recogniser in miniature: the error line and its symbol and location.
    const maven: Recogniser = {
      name: 'mini-maven',
      triggers: ['.java:['],
      maxFollowing: 2,
      start() {
        const findings: Finding[] = []
        return {
          candidate(line) {
            // Maven's own `[ERROR] ` stays on the line when CodeArts wrote it at another level.
            const message = line.replace(/^\[ERROR\] /, '')
            if (!/^\S+\.java:\[\d+,\d+\] /.test(message)) return undefined
            findings.push({ kind: 'compile-error', message })
            return { recognised: true, following: 2 }
          },
          following: line =>
            /^(?:\[ERROR\] )? {2}(?:symbol|location):/.test(line) ? 'recognised' : 'done',
          finish: () => findings
        }
      }
    }
    const before = scan([], DEMO_LOGS.stage2, 4096)
    const after = scan([maven], DEMO_LOGS.stage2, 4096)
    const messages = (groups: string[][]): string[] =>
      groups.flat().map(line => line.replace(/^.*\[ERROR\] \[[^\]]*\] : /, ''))
    expect(messages(before.errorGroups)).toEqual(expect.arrayContaining(DEMO_COMPILE_ERRORS.flat()))
    for (const line of DEMO_COMPILE_ERRORS.flat())
      expect(messages(after.errorGroups)).not.toContain(line)
    expect(after.errorGroups.length).toBeGreaterThan(0)
    expect(after.findings.map(f => f.message)).toEqual(
      expect.arrayContaining(DEMO_COMPILE_ERRORS.map(lines => lines[0]))
    )
    expect(after).toMatchObject({
      lines: before.lines,
      errors: before.errors,
      warnings: before.warnings
    })
  })

  it('hands a recogniser lines cut to MAX_TOOL_LINE_CHARS, and at most maxFollowing after a candidate', () => {
    const seen: string[] = []
    const greedy: Recogniser = {
      name: 'greedy',
      triggers: [':a:'],
      maxFollowing: 3,
      start: () => ({
        candidate(line) {
          seen.push(line)
          return { recognised: true, following: 1_000_000 }
        },
        following(line) {
          seen.push(line)
          return 'took'
        },
        finish: () => []
      })
    }
    // A 1 MiB line of `a:a:a:…`, then lines that hold no trigger.
    const text = `${'a:'.repeat(512 * 1024)}\n${'plain line\n'.repeat(10)}`
    const stats = scan([greedy], text, 64 * 1024)
    expect(stats.lines).toBe(11)
    expect(seen).toHaveLength(1 + 3)
    expect(seen[0]).toHaveLength(MAX_TOOL_LINE_CHARS)
    expect(seen.slice(1)).toEqual(['plain line', 'plain line', 'plain line'])
  })

  it('keeps at most MAX_FINDINGS findings per recogniser, over lines that each look like an error', () => {
    let candidates = 0
    const everyLine: Recogniser = {
      name: 'every-line',
      triggers: ['error:'],
      maxFollowing: 0,
      start() {
        // A careless recogniser: it keeps every finding. The scanner keeps the first MAX_FINDINGS.
        const findings: Finding[] = []
        return {
          candidate(line) {
            candidates++
            findings.push({ kind: 'compile-error', message: line })
            return { recognised: true, following: 0 }
          },
          following: () => 'done',
          finish: () => findings
        }
      }
    }
    const line = `${PREFIX(1, 'ERROR')}src/a.c:1:2: error: boom\n`
    const text = Buffer.from(line.repeat(100_000))
    const stats = scan([everyLine], text, 64 * 1024)
    expect(candidates).toBe(100_000)
    expect(stats).toMatchObject({ lines: 100_000, errors: 100_000, errorGroups: [] })
    expect(stats.findings).toHaveLength(MAX_FINDINGS)
    expect(stats.findings[0]).toEqual({
      kind: 'compile-error',
      message: 'src/a.c:1:2: error: boom'
    })
  })

  it('drops a recogniser that throws, names it, and goes on with the others and the counts', () => {
    const calls: Calls = []
    const broken: Recogniser = {
      name: 'broken',
      triggers: ['FAIL'],
      maxFollowing: 1,
      start: () => ({
        candidate(line) {
          if (line.includes('boom')) throw new Error('cannot read this')
          return { recognised: true, following: 1 }
        },
        following: () => 'took',
        finish: () => [{ kind: 'compile-error', message: 'never reported' }]
      })
    }
    const text = 'FAIL one\nnext\nFAIL boom\nFAIL two\n[ERROR] FAIL x\n'
    const stats = scan([broken, scripted('fails', ['FAIL'], 0, calls)], text, 5)
    expect(stats.recogniserFailures).toEqual(['broken: cannot read this'])
    expect(stats.findings.map(f => f.message)).toEqual([
      'fails: FAIL one',
      'fails: FAIL boom',
      'fails: FAIL two',
      'fails: [ERROR] FAIL x'
    ])
    expect(stats).toMatchObject({ lines: 5, errors: 1 })
    expect(scan([scripted('fails', ['FAIL'], 0, [])], text).recogniserFailures).toBeUndefined()
  })

  it('takes recognisers that ask for 0 to MAX_FOLLOWING lines, and share triggers with the marks', () => {
    const asking = (maxFollowing: number): Recogniser => ({
      ...scripted('asking', ['[WARN', 'x'], 0, []),
      maxFollowing
    })
    expect(() => new LogScanner([asking(MAX_FOLLOWING + 1)])).toThrow(
      'Recogniser asking asks for up to 1001 following lines; 0 to 1000 are allowed'
    )
    expect(() => new LogScanner([asking(1.5)])).toThrow('asks for up to 1.5 following lines')
    const badTrigger = { ...asking(0), triggers: ['x'] }
    expect(() => new LogScanner([badTrigger])).toThrow(
      'Recogniser asking: A trigger has 2 to 64 bytes and no newline, got "x" (1 bytes)'
    )
    const calls: Calls = []
    const stats = scan([scripted('warns', ['[WARN', '[WARN', 'N]'], 0, calls)], '[WARN] a\nb\n', 1)
    expect(stats).toMatchObject({ warnings: 1, lines: 2 })
    expect(calls).toEqual(['c:[WARN] a'])
  })

  it('registers recognisers the scanner can drive', () => {
    expect(() => new LogScanner(RECOGNISERS)).not.toThrow()
    expect(new Set(RECOGNISERS.map(r => r.name)).size).toBe(RECOGNISERS.length)
  })
})

describe('findingMessage', () => {
  it('keeps MAX_MESSAGE_LINES lines, without blank lines or trailing spaces at either end', () => {
    expect(findingMessage(['', '  ', 'expected 7 ', '  but was 6', '', ''])).toBe(
      'expected 7\n  but was 6'
    )
    const many = Array.from({ length: 2 * MAX_MESSAGE_LINES }, (_, i) =>
      i === 9 ? '' : `line ${i}`
    )
    // The tenth line is blank: the message ends on the ninth, not on a blank line.
    expect(findingMessage(['', ...many])).toBe(many.slice(0, 9).join('\n'))
    expect(findingMessage(['', ' '])).toBe('')
  })
})
