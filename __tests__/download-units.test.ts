import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { startCodeArts } from '../__fixtures__/codearts-server.js'
import { RECORD_ID, TOKEN } from '../__fixtures__/sample.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { createAuthenticator } from '../src/codearts/authenticator.js'
import { CodeArtsClient } from '../src/codearts/client.js'
import { DEFAULT_RETRY_POLICY } from '../src/http/retry.js'
import { downloadStages } from '../src/download/downloader.js'
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

describe('downloadStages onBytes', () => {
  it('reports every body byte of every stage to onBytes, as the collection pacer needs', async () => {
    const logs = { stage1: 'a'.repeat(300_000), stage2: 'b\n'.repeat(700_000) }
    const api = await startCodeArts({ token: TOKEN, logs: { [RECORD_ID]: logs } })
    const client = new CodeArtsClient({
      endpoint: new URL(api.url),
      authenticator: createAuthenticator({ method: 'token', token: TOKEN }),
      timeoutMs: 10_000
    })
    try {
      const dir = await makeTempDir('cbl-pacer-')
      let received = 0
      const results = await downloadStages(
        client,
        {
          recordId: RECORD_ID,
          taskNames: ['stage1', 'stage2'],
          logLevel: 'INFO',
          compress: false,
          dir,
          concurrency: 2
        },
        {
          retry: DEFAULT_RETRY_POLICY,
          idleTimeoutMs: 10_000,
          onBytes: bytes => (received += bytes)
        }
      )
      expect(results.map(r => r.status)).toEqual(['downloaded', 'downloaded'])
      const sizes = await Promise.all(results.map(async r => (await fs.stat(r.file ?? '')).size))
      expect(sizes).toEqual([300_000, 1_400_000])
      expect(received).toBe(1_700_000)
    } finally {
      client.dispose()
      await api.close()
    }
  })
})
