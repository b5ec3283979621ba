import { describe, expect, it } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import { CONTEXT_LINES, LogScanner, MAX_LINE_CHARS } from '../src/download/log-scanner.js'

function scan(text: string | Buffer, chunkSize = 7): ReturnType<LogScanner['finish']> {
  const scanner = new LogScanner()
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
    expect(scan('')).toMatchObject({ lines: 0, errors: 0, warnings: 0, errorLines: [] })
  })

  it('counts a line with two markers once', () => {
    expect(scan('[ERROR] a [ERROR] b\n[WARN] [WARN]\n')).toMatchObject({ errors: 1, warnings: 1 })
  })

  it('keeps the first error with the lines before it', () => {
    const lines = Array.from({ length: 40 }, (_, i) => line(i + 1))
    lines[30] = line(31, 'ERROR')
    lines[35] = line(36, 'ERROR')
    const stats = scan(lines.join('\n'), 13)!
    expect(stats.firstError?.line).toBe(31)
    expect(stats.firstError?.context).toEqual(lines.slice(31 - 1 - CONTEXT_LINES, 31))
    expect(stats.errorLines).toEqual([lines[30], lines[35]])
  })

  it('keeps fewer context lines when the error comes early, and strips CR', () => {
    const stats = scan(`a\r\nb\r\n[ERROR] c\r\n`)!
    expect(stats.firstError).toEqual({ line: 3, context: ['a', 'b', '[ERROR] c'] })
  })

  it('shortens very long lines', () => {
    const stats = scan(`[ERROR] ${'y'.repeat(10_000)}\n`, 4096)!
    expect(stats.errorLines[0]).toHaveLength(MAX_LINE_CHARS + 1)
    expect(stats.errorLines[0].endsWith('…')).toBe(true)
  })

  it('does not scan a compressed body', () => {
    expect(scan(gzipSync('[ERROR] x\n'))).toBeUndefined()
    expect(scan(gzipSync('[ERROR] x\n'), 1)).toBeUndefined()
    expect(scan(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]), 1)).toBeUndefined()
    expect(scan('ab', 1)).toMatchObject({ lines: 1 })
    expect(scan(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0]))).toBeUndefined()
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
