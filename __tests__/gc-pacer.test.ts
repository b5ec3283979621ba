import { describe, expect, it } from '@jest/globals'
import { setTimeout as sleep } from 'node:timers/promises'
import { runInNewContext } from 'node:vm'
import {
  GcPacer,
  exposeCollector,
  startedWithExposedGc,
  type Collect
} from '../src/memory/gc-pacer.js'

const MiB = 1024 * 1024

/** A collector that records what it was asked for instead of collecting. */
function recorder(): { collect: Collect; calls: string[] } {
  const calls: string[] = []
  return { calls, collect: ({ type, execution }) => calls.push(`${type}/${execution}`) }
}

describe('startedWithExposedGc', () => {
  it('finds the flag on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(startedWithExposedGc(['--expose-gc'])).toBe(true)
    expect(startedWithExposedGc([], '--max-old-space-size=4096 --expose_gc')).toBe(true)
    expect(startedWithExposedGc(['--expose-gc-extra'], '--no-expose-gc')).toBe(false)
    expect(startedWithExposedGc([], undefined)).toBe(false)
  })
})

// Where jest itself was started with --expose-gc, the flag is rightly left on: nothing to check.
const itWhenTheFlagIsOurs = startedWithExposedGc(process.execArgv, process.env.NODE_OPTIONS)
  ? it.skip
  : it

describe('exposeCollector', () => {
  itWhenTheFlagIsOurs('gives V8’s collector without leaving gc in contexts made afterwards', () => {
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
    for (let i = 0; i < 32; i++) pacer.received(MiB)
    const minors = Array(3).fill('minor/sync')
    expect(calls).toEqual([...minors, 'major/async', ...minors, 'major/async'])
  })

  it('counts bytes across chunks of any size and does not catch up after a large one', () => {
    const { collect, calls } = recorder()
    const pacer = new GcPacer(collect, { minorEveryBytes: 4 * MiB, majorEveryBytes: 64 * MiB })
    pacer.received(3 * MiB)
    expect(calls).toEqual([])
    pacer.received(MiB - 1)
    expect(calls).toEqual([])
    pacer.received(1)
    expect(calls).toEqual(['minor/sync'])
    pacer.received(40 * MiB)
    expect(calls).toEqual(['minor/sync', 'minor/sync'])
    pacer.received(3 * MiB)
    expect(calls).toHaveLength(2)
  })

  it('collects on a timer until stopped, for work whose bytes are not counted', async () => {
    const { collect, calls } = recorder()
    const stop = new GcPacer(collect).collectEvery(5)
    // Waits for the ticks rather than for a set time: a loaded machine may run timers late.
    for (let waited = 0; calls.length < 3 && waited < 5000; waited += 5) await sleep(5)
    stop()
    expect(calls.length).toBeGreaterThanOrEqual(3)
    expect(new Set(calls)).toEqual(new Set(['minor/sync']))
    const seen = calls.length
    await sleep(40)
    expect(calls).toHaveLength(seen)
  })

  it('asks for nothing without a collector', async () => {
    const pacer = new GcPacer(undefined)
    expect(pacer.active).toBe(false)
    pacer.received(1024 * MiB)
    const stop = pacer.collectEvery(1)
    await sleep(20)
    stop()
    expect(pacer.asked).toEqual({ minor: 0, major: 0 })
    expect(new GcPacer(recorder().collect).active).toBe(true)
  })
})
