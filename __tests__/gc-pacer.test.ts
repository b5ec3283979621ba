import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { runInNewContext } from 'node:vm'
import { startCodeArts } from '../__fixtures__/codearts-server.js'
import { RECORD_ID, TOKEN } from '../__fixtures__/sample.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { createAuthenticator } from '../src/codearts/authenticator.js'
import { CodeArtsClient } from '../src/codearts/client.js'
import { DEFAULT_RETRY_POLICY } from '../src/codearts/retry.js'
import { downloadStages } from '../src/download/downloader.js'
import { GcPacer, exposeCollector, type Collect } from '../src/memory/gc-pacer.js'

const MiB = 1024 * 1024

/** A collector that records what it was asked for instead of collecting. */
function recorder(): { collect: Collect; calls: string[] } {
  const calls: string[] = []
  return { calls, collect: ({ type, execution }) => calls.push(`${type}/${execution}`) }
}

describe('exposeCollector', () => {
  it('gives V8’s collector without leaving gc in contexts made afterwards', () => {
    const gc = exposeCollector()
    expect(typeof gc).toBe('function')
    expect(() => gc?.({ type: 'minor', execution: 'sync' })).not.toThrow()
    expect(() => gc?.({ type: 'major', execution: 'async' })).not.toThrow()
    expect(runInNewContext('typeof gc')).toBe('undefined')
    expect(typeof (globalThis as { gc?: unknown }).gc).toBe('undefined')
  })
})

describe('GcPacer', () => {
  it('collects the young generation every minorEveryBytes and everything every majorEveryBytes', () => {
    const { collect, calls } = recorder()
    const pacer = new GcPacer(collect, { minorEveryBytes: 4 * MiB, majorEveryBytes: 16 * MiB })
    for (let i = 0; i < 32; i++) pacer.add(MiB)
    const minors = Array(3).fill('minor/sync')
    expect(calls).toEqual([...minors, 'major/async', ...minors, 'major/async'])
  })

  it('counts bytes across chunks of any size and does not catch up after a large one', () => {
    const { collect, calls } = recorder()
    const pacer = new GcPacer(collect, { minorEveryBytes: 4 * MiB, majorEveryBytes: 64 * MiB })
    pacer.add(3 * MiB)
    expect(calls).toEqual([])
    pacer.add(MiB - 1)
    expect(calls).toEqual([])
    pacer.add(1)
    expect(calls).toEqual(['minor/sync'])
    pacer.add(40 * MiB)
    expect(calls).toEqual(['minor/sync', 'minor/sync'])
    pacer.add(3 * MiB)
    expect(calls).toHaveLength(2)
  })

  it('collects on a timer until stopped, for work whose bytes are not counted', async () => {
    const { collect, calls } = recorder()
    const stop = new GcPacer(collect).every(5)
    // Waits for the ticks rather than for a set time: a loaded machine may run timers late.
    for (let waited = 0; calls.length < 3 && waited < 5000; waited += 5) await sleep(5)
    stop()
    expect(calls.length).toBeGreaterThanOrEqual(3)
    expect(new Set(calls)).toEqual(new Set(['minor/sync']))
    const seen = calls.length
    await sleep(40)
    expect(calls).toHaveLength(seen)
  })

  it('does nothing without a collector', async () => {
    const pacer = new GcPacer(undefined)
    expect(pacer.active).toBe(false)
    pacer.add(1024 * MiB)
    const stop = pacer.every(1)
    await sleep(10)
    stop()
    expect(new GcPacer(recorder().collect).active).toBe(true)
  })
})

describe('downloadStages onBytes', () => {
  it('reports every body byte of every stage, as the pacer needs', async () => {
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
