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
