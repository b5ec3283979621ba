import { describe, expect, it } from '@jest/globals'
import { capturedLogs, passModel, planFingerprints } from '../scripts/fingerprints.js'
import { FINGERPRINT_PLANS } from '../src/download/fingerprint-plans.js'
import { scannerTriggers } from '../src/download/log-scanner.js'
import {
  BUCKETS,
  bucketsOf,
  letsThrough,
  type FingerprintPlan,
  MAX_HITS_PER_CALL,
  MAX_TRIGGER_BYTES,
  MAX_TRIGGERS,
  modelPlan,
  TriggerKernel,
  triggerKernel,
  triggersKey
} from '../src/download/scan-kernel.js'

const WINDOW = 64 * 1024

interface Scan {
  lines: number
  /** `start * 256 + trigger`, in the order found. */
  hits: number[]
}

const hit = (start: number, trigger: number): number => start * 256 + trigger

/** The kernel's contract, byte by byte: newlines, and every occurrence of every trigger. */
function reference(block: Uint8Array, triggers: readonly Uint8Array[]): Scan {
  let lines = 0
  const hits: number[] = []
  for (let i = 0; i < block.length; i++) {
    if (block[i] === 0x0a) lines++
    for (const [t, trigger] of triggers.entries()) {
      let n = 0
      while (n < trigger.length && block[i + n] === trigger[n]) n++
      if (n === trigger.length) hits.push(hit(i, t))
    }
  }
  return { lines, hits }
}

/** Scans all of `block` as the scanner does, a call at a time, checking each call's bounds. */
function kernelScan(kernel: TriggerKernel, block: Uint8Array): Scan & { calls: number } {
  // The line of each byte, to check the order of the hits.
  const lineOf = new Int32Array(block.length + 1)
  for (let i = 0; i < block.length; i++) lineOf[i + 1] = lineOf[i] + (block[i] === 0x0a ? 1 : 0)
  let lines = 0
  let calls = 0
  const hits: number[] = []
  let lastLine = 0
  let from = 0
  do {
    const scanned = kernel.scan(block, from)
    if (block.length > 0) expect(scanned.end).toBeGreaterThan(from)
    expect(scanned.found).toBeLessThanOrEqual(MAX_HITS_PER_CALL)
    for (let i = 0; i < 2 * scanned.found; i += 2) {
      const start = from + kernel.hits[i]
      // In the order of their lines: never on a line before the previous one's.
      if (lineOf[start] < lastLine) throw new Error(`hit ${start} is on an earlier line`)
      lastLine = lineOf[start]
      hits.push(hit(start, kernel.hits[i + 1]))
    }
    lines += scanned.lines
    from = scanned.end
    calls++
  } while (from < block.length)
  return { lines, hits, calls }
}

/**
 * Expects the kernel's scan to equal the reference, hits in any order; a difference is shown
 * around its first hit, as hundreds of thousands of hits are too many for a diff.
 */
function expectSame(scan: Scan, want: Scan): void {
  expect(scan.lines).toBe(want.lines)
  const got = Float64Array.from(scan.hits).sort()
  const wanted = Float64Array.from(want.hits).sort()
  let first = 0
  while (first < got.length && got[first] === wanted[first]) first++
  const around = (hits: Float64Array): string[] =>
    [...hits.subarray(first, first + 3)].map(h => `${Math.floor(h / 256)}:${h % 256}`)
  expect({ count: got.length, from: around(got) }).toEqual({
    count: wanted.length,
    from: around(wanted)
  })
}

/** Deterministic bytes drawn from the characters that matter to the triggers, and some that do not. */
function noise(
  length: number,
  seed: number,
  alphabet = Buffer.from('\n[WE]RO: eb●\r\x00\xd7')
): Buffer {
  const out = Buffer.alloc(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = alphabet[(x >>> 16) % alphabet.length]
  }
  return out
}

const bytes = (texts: readonly string[]): Buffer[] => texts.map(text => Buffer.from(text))
const MARKS = bytes(['[W', '[E', '[ERROR]', 'O: ', 'b●', '●[', 'e\r', ' e'])

describe('TriggerKernel', () => {
  it('agrees with a byte-by-byte search, for every length around its 16-, 64- and window-byte steps', () => {
    const kernel = new TriggerKernel(MARKS)
    const lengths = [0, 1, 2, 3, 15, 16, 17, 63, 64, 65, 66, 127, 1000]
    lengths.push(WINDOW - 2, WINDOW - 1, WINDOW, WINDOW + 1, WINDOW + 2, 3 * WINDOW + 17)
    for (const [i, length] of lengths.entries()) {
      // An odd start, as a subarray of a socket chunk has.
      const block = noise(length + 3, i).subarray(3)
      expectSame(kernelScan(kernel, block), reference(block, MARKS))
    }
  })

  it('finds a trigger split by a window boundary, at every offset, and leaves nothing behind from a longer block', () => {
    const trigger = Buffer.from('<<< FAILURE!')
    const kernel = new TriggerKernel([trigger, Buffer.from('[W')])
    for (let shift = 1; shift < trigger.length; shift++) {
      const block = Buffer.alloc(2 * WINDOW, 'x')
      trigger.copy(block, WINDOW - shift)
      block[2 * WINDOW - 1] = 0x0a
      expect(kernelScan(kernel, block)).toMatchObject({
        lines: 1,
        hits: [hit(WINDOW - shift, 0)]
      })
    }
    // The window's bytes from the block above must not count for this shorter one.
    expect(kernelScan(kernel, Buffer.from('[W\n'))).toMatchObject({ lines: 1, hits: [hit(0, 1)] })
    expect(kernelScan(kernel, Buffer.from('<<< FAILURE'))).toMatchObject({ lines: 0, hits: [] })
  })

  it('agrees with a byte-by-byte search for random sets of triggers, overlapping ones included', () => {
    const alphabet = Buffer.from('ab\n:● [E]W-')
    const inTriggers = Buffer.from('ab:● [E]W-')
    let x = 20250626
    const pick = (n: number): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      return (x >>> 8) % n
    }
    for (let round = 0; round < 60; round++) {
      const triggers = new Map<string, Buffer>()
      for (let n = 1 + pick(12); triggers.size < n;) {
        const trigger = Buffer.from(
          Array.from({ length: 2 + pick(6) }, () => inTriggers[pick(inTriggers.length)])
        )
        triggers.set(trigger.toString('hex'), trigger)
      }
      const set = [...triggers.values()]
      const length = [5, 64, 65, 200, 4096, WINDOW + 5][pick(6)]
      const block = noise(length, round, alphabet)
      expectSame(kernelScan(new TriggerKernel(set), block), reference(block, set))
      // Any plan finds the same: only how often the filter lets a position through depends on it.
      const plan = {
        at: set.map(trigger => pick(Math.max(1, trigger.length - 2))),
        bucket: set.map(() => pick(BUCKETS))
      }
      expectSame(kernelScan(new TriggerKernel(set, plan), block), reference(block, set))
    }
  })

  it("finds with the registry's planned kernel exactly what a byte-by-byte search finds in captured tool output", () => {
    const triggers = scannerTriggers()
    const kernel = triggerKernel(triggers)
    expect(kernel.plan).toBe(FINGERPRINT_PLANS.get(triggersKey(triggers)))
    expect(triggerKernel(['[ERROR]', '[WARN']).plan).toEqual(modelPlan(bytes(['[ERROR]', '[WARN'])))
    const block = Buffer.concat(capturedLogs())
    const want = reference(block, kernel.triggers)
    // Most of the triggers occur, hundreds of times in all.
    expect(new Set(want.hits.map(h => h % 256)).size).toBeGreaterThanOrEqual(30)
    expect(want.hits.length).toBeGreaterThan(500)
    expectSame(kernelScan(kernel, block), want)
  })

  it('takes a plan only for its triggers: each fingerprint inside its trigger, in one of the buckets', () => {
    const triggers = bytes(['[ERROR]', 'ab'])
    const wrong: [{ at: number[]; bucket: number[] }, string][] = [
      [
        { at: [0], bucket: [0] },
        'A fingerprint plan has 1 fingerprints and 1 buckets for 2 triggers'
      ],
      [{ at: [5, 0], bucket: [0, 0] }, 'A fingerprint of "[ERROR]" starts at 0 to 4, got 5'],
      [{ at: [0, 1], bucket: [0, 0] }, 'A fingerprint of "ab" starts at 0 to 0, got 1'],
      [{ at: [0.5, 0], bucket: [0, 0] }, 'A fingerprint of "[ERROR]" starts at 0 to 4, got 0.5'],
      [{ at: [0, 0], bucket: [0, BUCKETS] }, 'A fingerprint of "ab" is in bucket 0 to 7, got 8']
    ]
    for (const [plan, message] of wrong)
      expect(() => new TriggerKernel(triggers, plan)).toThrow(message)
    expect(new TriggerKernel(triggers, { at: [4, 0], bucket: [7, 7] }).triggers).toBe(triggers)
  })

  it('plans the same each time: every trigger let through by its own bucket, no dearer than the kernel would', () => {
    const triggers = ['[ERROR]', 'error: ', 'FAILED', '# ']
    const logs = capturedLogs().slice(0, 4)
    const plan = planFingerprints(triggers, logs)
    expect(planFingerprints(triggers, logs)).toEqual(plan)
    const bytes = triggers.map(trigger => Buffer.from(trigger))
    const buckets = bucketsOf(bytes, plan)
    for (const [t, trigger] of bytes.entries())
      expect(letsThrough(buckets[plan.bucket[t]], trigger, plan.at[t])).toBe(true)
    const passes = passModel(logs)
    const cost = (of: FingerprintPlan): number =>
      bucketsOf(bytes, of).reduce((sum, bucket) => sum + passes(bucket), 0)
    expect(cost(plan)).toBeLessThanOrEqual(cost(modelPlan(bytes)))
  })

  it('has a plan for the registry that lets through less than half of what its own would of the captured logs (npm run fingerprints)', () => {
    const triggers = scannerTriggers()
    const planned = FINGERPRINT_PLANS.get(triggersKey(triggers))
    expect(planned).toBeDefined()
    const bytes = triggers.map(trigger => Buffer.from(trigger))
    const passes = passModel(capturedLogs())
    const cost = (plan: FingerprintPlan): number =>
      bucketsOf(bytes, plan).reduce((sum, bucket) => sum + passes(bucket), 0)
    expect(cost(planned!)).toBeLessThan(cost(modelPlan(bytes)) / 2)
  })

  it('keeps a call to MAX_HITS_PER_CALL hits when every byte starts a trigger, and finds them all', () => {
    const triggers = bytes(['aa', 'aaa', 'a:', ':a', 'aaaaaaaa'])
    const block = Buffer.alloc(3 * WINDOW, 'a')
    block.write(':a:a:a', 1000)
    block[WINDOW + 7] = 0x0a
    const scan = kernelScan(new TriggerKernel(triggers), block)
    expect(scan.hits.length).toBeGreaterThan(4 * MAX_HITS_PER_CALL)
    expect(scan.calls).toBeGreaterThan(4)
    expectSame(scan, reference(block, triggers))
  })

  it('takes triggers of 2 to MAX_TRIGGER_BYTES bytes, without a newline, each once, MAX_TRIGGERS at most', () => {
    expect(() => new TriggerKernel(bytes(['a']))).toThrow(
      '2 to 64 bytes and no newline, got "a" (1 bytes)'
    )
    expect(() => new TriggerKernel([Buffer.alloc(MAX_TRIGGER_BYTES + 1, 'a')])).toThrow(
      'no newline'
    )
    expect(() => new TriggerKernel(bytes(['a\nb']))).toThrow('no newline, got "a\\nb"')
    expect(() => new TriggerKernel(bytes(['ab', 'ab']))).toThrow('Trigger "ab" is given twice')
    const many = Array.from({ length: MAX_TRIGGERS + 1 }, (_, i) => Buffer.from(`t${i}`))
    expect(() => new TriggerKernel(many)).toThrow('at most 128 triggers, got 129')
    expect(new TriggerKernel(many.slice(1)).triggers).toHaveLength(MAX_TRIGGERS)
  })

  it('is built once per set of triggers', () => {
    expect(triggerKernel(['[ERROR]', '[WARN'])).toBe(triggerKernel(['[ERROR]', '[WARN']))
    expect(triggerKernel(['[ERROR]', '[WARN'])).not.toBe(triggerKernel(['[WARN', '[ERROR]']))
  })
})
