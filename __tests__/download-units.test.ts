import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import { startCodeArts } from '../__fixtures__/codearts-server.js'
import { RECORD_ID, TOKEN } from '../__fixtures__/sample.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { createAuthenticator } from '../src/codearts/authenticator.js'
import { CodeArtsClient } from '../src/codearts/client.js'
import { Limiter } from '../src/http/limiter.js'
import { DEFAULT_RETRY_POLICY } from '../src/http/retry.js'
import { downloadStages } from '../src/download/downloader.js'
import { extensionFor } from '../src/download/format.js'

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

describe('Limiter', () => {
  /** A task that ends when told to, noting when it started. */
  function held(started: string[], name: string): { task: () => Promise<string>; end: () => void } {
    let end = (): void => undefined
    const ended = new Promise<void>(resolve => (end = resolve))
    return {
      task: async () => {
        started.push(name)
        await ended
        return name
      },
      end
    }
  }

  it('starts a task given a free slot in the same tick, and the rest first in, first out', async () => {
    const limiter = new Limiter(2)
    const started: string[] = []
    const tasks = ['a', 'b', 'c', 'd', 'e'].map(name => held(started, name))
    const results = tasks.map(t => limiter.run(t.task))
    // No await yet: the first two hold the slots, the others wait.
    expect(started).toEqual(['a', 'b'])
    tasks[1].end()
    await results[1]
    await new Promise(resolve => setImmediate(resolve))
    expect(started).toEqual(['a', 'b', 'c'])
    tasks[0].end()
    await results[0]
    await new Promise(resolve => setImmediate(resolve))
    expect(started).toEqual(['a', 'b', 'c', 'd'])
    for (const t of tasks) t.end()
    expect(await Promise.all(results)).toEqual(['a', 'b', 'c', 'd', 'e'])
  })

  it('never runs more than its slots at once', async () => {
    const limiter = new Limiter(3)
    let running = 0
    let peak = 0
    const delays = [30, 5, 20, 1, 15, 10, 2]
    const results = await Promise.all(
      delays.map((delay, index) =>
        limiter.run(async () => {
          running++
          peak = Math.max(peak, running)
          await new Promise(resolve => setTimeout(resolve, delay))
          running--
          return index * 10
        })
      )
    )
    expect(results).toEqual([0, 10, 20, 30, 40, 50, 60])
    expect(peak).toBe(3)
  })

  it('frees the slot of a task that throws, and rejects with its error', async () => {
    const limiter = new Limiter(1)
    const failed = limiter.run(async () => {
      throw new Error('no')
    })
    const next = limiter.run(async () => 'next')
    await expect(failed).rejects.toThrow('no')
    expect(await next).toBe('next')
  })

  it('takes a whole number of slots from 1', () => {
    expect(() => new Limiter(0)).toThrow(RangeError)
    expect(() => new Limiter(1.5)).toThrow(RangeError)
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
          dir
        },
        {
          limiter: new Limiter(2),
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
