import { describe, expect, it } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import { DEMO_COMPILE_ERRORS, DEMO_LOGS } from '../__fixtures__/demo-logs.js'
import {
  EXCERPT_LINES,
  LINES_BEFORE,
  LogScanner,
  MAX_ERROR_GROUPS,
  MAX_GROUP_LINES,
  MAX_GROUP_STARTS,
  MAX_LINE_CHARS
} from '../src/download/log-scanner.js'

/**
 * The scanner's own work, with no recogniser: counts, the first error and the build errors.
 * Recognisers, which take lines out of the build errors, are tested in log-recognisers.test.ts.
 */
function scan(text: string | Buffer, chunkSize = 7): ReturnType<LogScanner['finish']> {
  const scanner = new LogScanner([])
  const data = Buffer.isBuffer(text) ? text : Buffer.from(text)
  for (let at = 0; at < data.length; at += chunkSize)
    scanner.write(data.subarray(at, at + chunkSize))
  return scanner.finish()
}

const line = (n: number, level = 'INFO'): string =>
  `[2025/06/26 14:23:${n} GMT+08:00] [${level}] [build] : line ${n}`

describe('LogScanner', () => {
  it('counts lines, errors and warnings whatever the chunking', () => {
    const text = [
      line(1),
      line(2, 'WARN'),
      line(3, 'ERROR'),
      line(4),
      line(5, 'ERROR'),
      line(6, 'WARNING')
    ].join('\n')
    for (const size of [1, 3, 7, 64, 100_000]) {
      expect(scan(text, size)).toMatchObject({ lines: 6, errors: 2, warnings: 2 })
    }
    expect(scan(`${text}\n`)).toMatchObject({ lines: 6 })
    expect(scan('')).toMatchObject({ lines: 0, errors: 0, warnings: 0, errorGroups: [] })
  })

  it('counts a line with two markers once', () => {
    expect(scan('[ERROR] a [ERROR] b\n[WARN] [WARN]\n')).toMatchObject({ errors: 1, warnings: 1 })
  })

  it('keeps the first error with a few lines before it and the lines after it', () => {
    const lines = Array.from({ length: 60 }, (_, i) => line(i + 1))
    lines[30] = line(31, 'ERROR')
    lines[31] = line(32, 'ERROR')
    lines[45] = line(46, 'ERROR')
    const text = lines.join('\n')
    for (const size of [1, 7, 13, 64, 100_000]) {
      const stats = scan(text, size)!
      expect(stats.firstError?.line).toBe(31)
      // Five lines before it, then the error line and the lines after it, twenty in all.
      expect(stats.firstError?.context).toEqual(
        lines.slice(30 - LINES_BEFORE, 30 - LINES_BEFORE + EXCERPT_LINES)
      )
    }
    expect(LINES_BEFORE).toBe(5)
    expect(EXCERPT_LINES).toBe(20)
  })

  it('fills the excerpt with lines after an early error, and stops at the end of the log', () => {
    const early = scan(
      `a\r\nb\r\n[ERROR] c\r\n${Array.from({ length: 30 }, (_, i) => `d${i}`).join('\r\n')}`
    )!
    expect(early.firstError).toEqual({
      line: 3,
      context: ['a', 'b', '[ERROR] c', ...Array.from({ length: 17 }, (_, i) => `d${i}`)]
    })
    const late = scan(
      `${Array.from({ length: 9 }, (_, i) => `x${i}`).join('\n')}\n[ERROR] e\nf\ng`,
      3
    )!
    expect(late.firstError).toEqual({
      line: 10,
      context: ['x4', 'x5', 'x6', 'x7', 'x8', '[ERROR] e', 'f', 'g']
    })
  })

  it('shortens very long lines', () => {
    const long = 'y'.repeat(10_000)
    const stats = scan(`${long}\n[ERROR] ${long}\n${long}\n`, 4096)!
    for (const kept of [...stats.errorGroups[0], ...stats.firstError!.context]) {
      expect(kept).toHaveLength(MAX_LINE_CHARS + 1)
      expect(kept.endsWith('…')).toBe(true)
    }
    expect(stats.firstError?.context).toHaveLength(3)
    // Cut between characters: no half of a character is kept.
    const wide = scan(`[ERROR] ${'构'.repeat(3000)}\n`, 1000)!
    expect(wide.errorGroups[0][0]).toBe(`[ERROR] ${'构'.repeat(MAX_LINE_CHARS - 8)}…`)
  })

  it('does not scan a compressed body', () => {
    expect(scan(gzipSync('[ERROR] x\n'))).toBeUndefined()
    expect(scan(gzipSync('[ERROR] x\n'), 1)).toBeUndefined()
    expect(scan(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 1)).toBeUndefined()
    expect(scan('ab', 1)).toMatchObject({ lines: 1 })
    expect(scan(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBeUndefined()
  })
})

const CODEARTS = (message: string): string =>
  `[2025/06/26 14:24:03.980 GMT+08:00] [ERROR] [build with maven:maven_build] : ${message}`
const INFO = '[2025/06/26 14:24:03.979 GMT+08:00] [INFO] [build with maven:maven_build] : ----'

/** The build errors of a log, checked to be the same however the log is chunked. */
function groups(text: string): string[][] {
  const whole = scan(text, 1 << 20)!.errorGroups
  for (const size of [1, 5, 64, 4096]) expect(scan(text, size)!.errorGroups).toEqual(whole)
  return whole
}

describe('LogScanner build errors', () => {
  it('groups each error with the indented error lines right below it', () => {
    const lines = [
      CODEARTS('COMPILATION ERROR : '),
      INFO,
      CODEARTS('OrderService.java:[42,17] cannot find symbol'),
      CODEARTS('  symbol:   class PaymentGateway'),
      CODEARTS('  location: package com.example.order.payment'),
      CODEARTS('RefundService.java:[88,35] incompatible types'),
      INFO
    ]
    expect(groups(lines.join('\n'))).toEqual([lines.slice(2, 5), [lines[5]]])
  })

  it("reads Maven lines without the CodeArts tag too, and takes Maven's advice for no error", () => {
    const lines = [
      '[ERROR] COMPILATION ERROR :',
      '[ERROR] /src/App.java:[3,8] cannot find symbol',
      '[ERROR]   symbol:   class Foo',
      '[ERROR]   location: class App',
      '[ERROR] -> [Help 1]',
      '[ERROR] ',
      '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
      '[ERROR] Re-run Maven using the -X switch to enable full debug logging.',
      '[ERROR] ',
      '[ERROR] For more information about the errors and possible solutions, please read the following articles:',
      '[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException',
      '[ERROR] ',
      '[ERROR] After correcting the problems, you can resume the build with the command',
      '[ERROR]   mvn <args> -rf :app',
      '[ERROR] build failed: command exited with code 1'
    ]
    expect(groups(`${lines.join('\n')}\n`)).toEqual([lines.slice(1, 4), [lines[14]]])
  })

  it('keeps a repeated error once, and ends an error at a blank error line or another line', () => {
    const lines = [
      CODEARTS('A.java:[1,1] cannot find symbol'),
      CODEARTS('  symbol: x'),
      INFO,
      CODEARTS('  indented after another line'),
      CODEARTS(''),
      CODEARTS('  indented after a blank error line'),
      CODEARTS('Failed to execute goal: Compilation failure: '),
      CODEARTS('A.java:[1,1] cannot find symbol').replace('03.980', '09.123'),
      CODEARTS('  symbol: x'),
      CODEARTS('A.java:[1,1] cannot find symbol'),
      CODEARTS('  symbol: y')
    ]
    expect(groups(lines.join('\n'))).toEqual([
      lines.slice(0, 2),
      [lines[3]],
      [lines[5]],
      lines.slice(9, 11)
    ])
  })

  it('keeps a heading when it is the only error, with its detail lines when it has some', () => {
    expect(groups(`${CODEARTS('Build failed:')}\n${INFO}\n`)).toEqual([[CODEARTS('Build failed:')]])
    const withDetail = [CODEARTS('Errors:'), CODEARTS('  a is wrong')]
    expect(groups(withDetail.join('\n'))).toEqual([withDetail])
    expect(groups(`${CODEARTS('x')}\n${CODEARTS('Trailing heading:')}`)).toEqual([[CODEARTS('x')]])
  })

  it('keeps a few lines per error, the first few errors, and counts every error line', () => {
    const stack = [CODEARTS('java.lang.IllegalStateException: boom')]
    for (let i = 0; i < 50; i++)
      stack.push(CODEARTS(`    at com.example.Frame${i}.run(Frame.java:${i})`))
    const distinct = Array.from({ length: 30 }, (_, i) => CODEARTS(`error number ${i}`))
    const text = [...stack, ...distinct].join('\n')
    const found = groups(text)
    expect(found[0]).toEqual(stack.slice(0, MAX_GROUP_LINES))
    expect(found.slice(1)).toEqual(distinct.slice(0, MAX_ERROR_GROUPS - 1).map(l => [l]))
    expect(scan(text)).toMatchObject({ errors: stack.length + distinct.length })
  })

  it('stops gathering after MAX_GROUP_STARTS error lines, however often one error repeats, and counts on', () => {
    const repeated = CODEARTS('the same error, again and again')
    const late = CODEARTS('an error after the repeats')
    const within = [...Array(MAX_GROUP_STARTS - 1).fill(repeated), late, INFO].join('\n')
    expect(groups(within)).toEqual([[repeated], [late]])
    const past = [...Array(MAX_GROUP_STARTS).fill(repeated), late, INFO].join('\n')
    expect(groups(past)).toEqual([[repeated]])
    expect(scan(past, 4096)).toMatchObject({
      errors: MAX_GROUP_STARTS + 1,
      firstError: { line: 1 }
    })
  })

  it("gives the demo's Maven build one error per compile error, with its symbol and location", () => {
    const stats = scan(DEMO_LOGS.stage2, 4096)!
    const messages = stats.errorGroups.map(g =>
      g.map(l => l.replace(/^.*\[ERROR\] \[[^\]]*\] : /, ''))
    )
    expect(messages.slice(0, 4)).toEqual(DEMO_COMPILE_ERRORS)
    expect(messages.flat()).not.toContain('COMPILATION ERROR : ')
    expect(messages.flat().filter(m => m.endsWith('cannot find symbol'))).toHaveLength(2)
    // The excerpt now holds what is wrong, not only the heading.
    const excerpt = stats.firstError!.context.join('\n')
    expect(stats.firstError!.context[LINES_BEFORE]).toContain('COMPILATION ERROR')
    expect(excerpt).toContain('OrderService.java:[42,17] cannot find symbol')
    expect(excerpt).toContain('location: variable gateway of type')
    expect(excerpt).toContain('RefundService.java:[131,9]')
  })
})

/** Counts as the summary defines them, from the whole text split into lines. */
function referenceCounts(text: string): { lines: number; errors: number; warnings: number } {
  const lines = text.split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return {
    lines: lines.length,
    errors: lines.filter(l => l.includes('[ERROR]')).length,
    warnings: lines.filter(l => l.includes('[WARN')).length
  }
}

describe('LogScanner counts equal a reference count', () => {
  const levels = ['INFO', 'INFO', 'DEBUG', 'WARN', 'WARNING', 'ERROR', 'GMT', 'UNKNOWN', 'ERR']
  // Marks where lines start, mid-line, twice on a line, CRLF endings, and near-misses.
  const text = Array.from({ length: 5000 }, (_, i) => {
    const level = levels[(i * 7) % levels.length]
    const body = i % 13 === 0 ? `see [${levels[i % levels.length]}] too` : 'x'.repeat(i % 90)
    return `[2025/06/26 14:23:${i % 60} GMT+08:00] [${level}] [build] : ${body}${i % 5 === 0 ? '\r' : ''}`
  }).join('\n')

  it('whatever the chunk size, including chunks larger than the scanning window', () => {
    const want = referenceCounts(text)
    expect(want.errors).toBeGreaterThan(0)
    for (const size of [1, 6, 7, 64, 1000, 65_536, 70_001, 1 << 20]) {
      expect(scan(text, size)).toMatchObject(want)
    }
  })

  it('for a marked line spanning many chunks', () => {
    const long = `[ERROR] ${'z'.repeat(50_000)} [WARN] ${'z'.repeat(20_000)}`
    const log = `a\n${long}\nb [WARN]\n`
    expect(scan(log, 4096)).toMatchObject({ lines: 3, errors: 1, warnings: 2 })
  })
})
