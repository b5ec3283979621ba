import { describe, expect, it } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import { extensionFor } from '../src/download/format.js'
import { mapWithConcurrency } from '../src/download/pool.js'

describe('extensionFor', () => {
  it('detects gzip, zip and plain text from the first bytes', () => {
    expect(extensionFor(gzipSync('log'))).toBe('.log.gz')
    expect(extensionFor(Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14]))).toBe('.zip')
    expect(extensionFor(Buffer.from('[2025/06/26 14:23:32.169 GMT+08:00] [INFO]'))).toBe('.log')
    expect(extensionFor(Buffer.from([0x50, 0x4b]))).toBe('.log')
    expect(extensionFor(Buffer.from([0x1f]))).toBe('.log')
    expect(extensionFor(Buffer.alloc(0))).toBe('.log')
  })
})

describe('mapWithConcurrency', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0
    let peak = 0
    const delays = [30, 5, 20, 1, 15, 10, 2]
    const results = await mapWithConcurrency(delays, 3, async (delay, index) => {
      running++
      peak = Math.max(peak, running)
      await new Promise(resolve => setTimeout(resolve, delay))
      running--
      return index * 10
    })
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60])
    expect(peak).toBe(3)
  })

  it('handles no items and a limit above the item count', async () => {
    expect(await mapWithConcurrency([], 4, async () => 1)).toEqual([])
    expect(await mapWithConcurrency([1, 2], 8, async x => x + 1)).toEqual([2, 3])
  })
})
