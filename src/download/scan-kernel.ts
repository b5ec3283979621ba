/**
 * The byte pass of the log scanner: a WebAssembly SIMD kernel that counts the newlines of a block
 * and finds every occurrence of a set of triggers in it, without decoding the log.
 *
 * Why a kernel: counting lines with Buffer.indexOf costs a native call per line, and looking for
 * each of some 25 triggers with indexOf costs a pass per trigger. The kernel reads each byte once
 * for all of them. It is assembled here (a few kilobytes), so the action needs no build step or
 * binary file.
 *
 * How: each trigger is found by its fingerprint, FINGERPRINT adjacent bytes of it that are rare in
 * build logs. The fingerprints are spread over eight buckets, and a Teddy-style filter
 * (nibble lookups with `i8x16.swizzle`) tells, for 16 positions at once, which buckets'
 * fingerprints may start there. Most 64-byte steps have no such position and cost only the
 * filter. For a position that passes, a table of byte pairs names the triggers whose fingerprint
 * starts with the pair there, and the kernel compares each of them with the bytes, so what it
 * reports is exact: JavaScript sees only real occurrences, never the filter's false positives.
 * Which bytes of each trigger, and which bucket, is a `FingerprintPlan`: for the recognisers of
 * the registry, one searched against the tool outputs captured in this repository
 * (fingerprint-plans.ts, written by `npm run fingerprints`); for any other list of triggers, the
 * kernel's own (`modelPlan`).
 *
 * Cost (Node 24, the action's runtime, on the bench's generated log): the filter and the newline
 * count take about 1.65 times the CPU of the kernel before recognisers (which looked for `[E` and
 * `[W` only); steps that let a position through add the rest: with the registry's plan, 27 % of
 * the steps (35 % with `modelPlan`), and 8 to 10 % of this project's own test and CI output (42 to
 * 55 %). Common words as triggers (`Error`, `Failures:`) make most lines candidates: see workload 9
 * of scripts/bench/ and docs/performance.md.
 *
 * Contract of `TriggerKernel.scan` (the scanner relies on each point):
 * - It counts the newlines of `block[from, end)` and reports, once each, the occurrences of
 *   triggers that start in `block[from, end)` and lie inside `block`: their start and the
 *   trigger's index. An occurrence that spans `end` (a window's edge) is found by a byte-by-byte
 *   check of the few bytes around it, so nothing depends on where windows or chunks fall.
 * - Occurrences come in the order of their lines: a later one is never on an earlier line.
 *   (Triggers hold no newline, so an occurrence lies in one line.)
 * - One call reports at most MAX_HITS_PER_CALL occurrences, whatever the input: memory is bounded
 *   even for a block in which every byte starts a trigger. It then ends early (`end` before the
 *   window's end), and the next call goes on from there.
 */

import { FINGERPRINT_PLANS } from './fingerprint-plans.js'

/** Bytes the kernel scans per call; longer blocks take more calls. */
const WINDOW = 64 * 1024
/** Bytes per step of the kernel's main loop: four vectors. */
export const STEP = 64
/** Bytes of a fingerprint. Three cut the filter's false positives in logs about tenfold from two. */
export const FINGERPRINT = 3
// The loop runs FINGERPRINT - 1 bytes past the window (a fingerprint's positions are counted
// from its last byte) and reads a step ahead: those bytes must be zero, not left over.
const PADDING = 2 * STEP
/** Triggers a kernel can look for, and the bytes each may have. */
export const MAX_TRIGGERS = 128
export const MAX_TRIGGER_BYTES = 64
/** Occurrences one step can report at most: every position, every trigger. */
const MAX_HITS_PER_STEP = STEP * MAX_TRIGGERS
/** Occurrences one call can report: the kernel stops after the step that passes the limit. */
export const MAX_HITS_PER_CALL = 2 * MAX_HITS_PER_STEP
const HIT_LIMIT = MAX_HITS_PER_CALL - MAX_HITS_PER_STEP
/** Byte counters of newlines are added up every this many steps, before a counter can wrap. */
const STEPS_PER_FLUSH = Math.floor(255 / (STEP / 16))
export const BUCKETS = 8
const NEWLINE = 0x0a

// Memory: zero bytes, the window and its padding, then the kernel's tables and results.
/** Where the window starts: the bytes before it stay 0, so a look back is in bounds. */
const BASE = 16
/** The filter's tables (low and high nibble per fingerprint byte), then newlines and 0x0f. */
const TABLES = BASE + WINDOW + PADDING
const TABLE_COUNT = 2 * FINGERPRINT + 2
/** The filter hits of the four vectors of a step. */
const SCRATCH = TABLES + 16 * TABLE_COUNT
const END_AT = SCRATCH + STEP
const FOUND_AT = END_AT + 4
/**
 * Per trigger an entry: its fingerprint's offset in it, where its bytes are, its length and
 * index, its first four bytes (a little-endian i32) and the mask of those it has, and the next
 * entry whose fingerprint starts with the same two bytes (0: none).
 */
const ENTRIES = FOUND_AT + 12
const ENTRY_BYTES = 32
const TRIGGER_BYTES = ENTRIES + MAX_TRIGGERS * ENTRY_BYTES
/**
 * Per pair of bytes (first * 256 + second), the first entry whose fingerprint starts with it
 * (0: none). A position the filter lets through costs one look here; only a real fingerprint's
 * start costs a comparison with a trigger.
 */
const PAIRS = TRIGGER_BYTES + MAX_TRIGGERS * MAX_TRIGGER_BYTES
/** Occurrences: pairs of i32, start then trigger index. */
const OUT = PAIRS + 4 * 65536
const PAGE = 64 * 1024
const PAGES = Math.ceil((OUT + (MAX_HITS_PER_CALL + MAX_TRIGGERS * MAX_TRIGGER_BYTES) * 8) / PAGE)

// ---------------------------------------------------------------------------------------------
// Choosing fingerprints and buckets. The weights are rough: they pick each trigger's rarest bytes
// and keep common fingerprints from sharing a bucket (`modelPlan`), and break ties between what
// the logs of scripts/fingerprints.ts do not show when it searches the registry's plan
// (`bucketMass`).

/**
 * How common each byte is in build logs, roughly: spaces, lower-case letters (by their English
 * frequency), digits and path punctuation most; upper case less; rare punctuation least. Bytes of
 * UTF-8 sequences are common in Chinese logs (lead bytes E3–E9 and continuation bytes), E2 (the
 * lead byte of symbols such as `●`) less so.
 */
const BYTE_WEIGHT: readonly number[] = (() => {
  const weight = new Array<number>(256).fill(1)
  const lower = 'etaoinsrhldcumfpgwybvkxjqz'
  for (let i = 0; i < lower.length; i++) weight[lower.charCodeAt(i)] = 60 - 2 * i
  for (let c = 0x41; c <= 0x5a; c++) weight[c] = 10
  for (let c = 0x30; c <= 0x39; c++) weight[c] = 25
  weight[0x20] = 100
  for (const c of '/.:-[]') weight[c.charCodeAt(0)] = 30
  for (const c of ',_=()\'"') weight[c.charCodeAt(0)] = 8
  for (const c of '<>#!@*?{}|+%$&;~`^\\') weight[c.charCodeAt(0)] = 2
  for (let c = 0x80; c <= 0xbf; c++) weight[c] = 5
  for (let c = 0xe3; c <= 0xe9; c++) weight[c] = 5
  return weight
})()
const TOTAL_WEIGHT = BYTE_WEIGHT.reduce((sum, w) => sum + w, 0)

/** Pairs on every line of a CodeArts log: its prefix. */
const PREFIX_PAIRS: ReadonlySet<number> = (() => {
  const prefix = Buffer.from('[2026/09/10 19:09:20.236 GMT+08:00] [INFO] [DEBUG] [build:mvn] : ')
  const pairs = new Set<number>()
  for (let i = 0; i + 1 < prefix.length; i++) pairs.add((prefix[i] << 8) | prefix[i + 1])
  return pairs
})()

type ByteClass = 'lower' | 'upper' | 'digit' | 'space' | 'other'
function classOf(byte: number): ByteClass {
  if (byte >= 0x61 && byte <= 0x7a) return 'lower'
  if (byte >= 0x41 && byte <= 0x5a) return 'upper'
  if (byte >= 0x30 && byte <= 0x39) return 'digit'
  return byte === 0x20 ? 'space' : 'other'
}

/**
 * How common a pair of adjacent bytes is: the bytes' weights, times how much more often logs put
 * them together than apart. Every line has CodeArts' prefix; letters run in words, digits in
 * numbers and times, spaces in indents, and punctuation repeats in rules (`-----`, `=====`).
 */
function pairWeight(first: number, second: number): number {
  const [a, b] = [classOf(first), classOf(second)]
  let together = 1
  if (PREFIX_PAIRS.has((first << 8) | second)) together = 50
  else if (a === b && a !== 'other') together = 4
  else if (first === second) together = 20
  else if ((a === 'space' && b === 'lower') || (a === 'lower' && b === 'space')) together = 2
  return BYTE_WEIGHT[first] * BYTE_WEIGHT[second] * together
}

/** How common a run of bytes is: each byte given the one before it. */
function runWeight(bytes: Uint8Array): number {
  let weight = BYTE_WEIGHT[bytes[0]]
  for (let i = 1; i < bytes.length; i++)
    weight *= pairWeight(bytes[i - 1], bytes[i]) / BYTE_WEIGHT[bytes[i - 1]]
  return weight
}

/** Where in `trigger` its fingerprint starts: its rarest FINGERPRINT bytes (all of a shorter one). */
function fingerprintAt(trigger: Uint8Array): number {
  let best = 0
  for (let i = 1; i + FINGERPRINT <= trigger.length; i++)
    if (
      runWeight(trigger.subarray(i, i + FINGERPRINT)) <
      runWeight(trigger.subarray(best, best + FINGERPRINT))
    )
      best = i
  return best
}

/**
 * The filter's plan for a list of triggers: per trigger, where its fingerprint starts in it, and
 * its bucket (0 to BUCKETS - 1). Whatever the plan, the kernel reports every occurrence and
 * nothing else; the plan decides how often ordinary bytes pass the filter and cost the slow path.
 */
export interface FingerprintPlan {
  at: readonly number[]
  bucket: readonly number[]
}

/**
 * One bucket of the filter: for each byte of a fingerprint, the low and high nibbles (bit sets)
 * that its fingerprints have there. A trigger shorter than a fingerprint lets any byte follow.
 */
export interface Bucket {
  lo: number[]
  hi: number[]
}

const ANY = 0xffff

/** A bucket with no fingerprint: it lets nothing through. */
function emptyBucket(): Bucket {
  return { lo: new Array<number>(FINGERPRINT).fill(0), hi: new Array<number>(FINGERPRINT).fill(0) }
}

/** The bytes whose low nibble is in `lo` and high nibble in `hi`. */
function bytesOf(lo: number, hi: number): number[] {
  const bytes: number[] = []
  for (let h = 0; h < 16; h++)
    if ((hi >> h) & 1) for (let l = 0; l < 16; l++) if ((lo >> l) & 1) bytes.push((h << 4) | l)
  return bytes
}

/**
 * How often, by the weights above, a bucket lets a position through: every mix of its
 * fingerprints' nibbles, the first two bytes as a pair, the others by their share of all bytes.
 */
export function bucketMass(bucket: Bucket): number {
  const seconds = bytesOf(bucket.lo[1], bucket.hi[1])
  let mass = 0
  for (const first of bytesOf(bucket.lo[0], bucket.hi[0]))
    for (const second of seconds) mass += pairWeight(first, second)
  for (let j = 2; j < FINGERPRINT; j++) {
    const share = bytesOf(bucket.lo[j], bucket.hi[j]).reduce((sum, b) => sum + BYTE_WEIGHT[b], 0)
    mass *= share / TOTAL_WEIGHT
  }
  return mass
}

/** `bucket` with `fingerprint` added: a new bucket that lets through what either would. */
function withFingerprint(bucket: Bucket, fingerprint: Uint8Array): Bucket {
  const lo = [...bucket.lo]
  const hi = [...bucket.hi]
  for (let j = 0; j < FINGERPRINT; j++) {
    const byte = fingerprint[j]
    lo[j] |= j < fingerprint.length ? 1 << (byte & 15) : ANY
    hi[j] |= j < fingerprint.length ? 1 << (byte >> 4) : ANY
  }
  return { lo, hi }
}

/** A trigger's fingerprint: FINGERPRINT bytes from `at` (fewer in a shorter trigger). */
const fingerprintOf = (trigger: Uint8Array, at: number): Uint8Array =>
  trigger.subarray(at, at + FINGERPRINT)

/**
 * The kernel's own plan, from the weights above: each trigger's rarest bytes, spread over the
 * buckets commonest first, each where it adds the least to what the filter lets through (a
 * bucket accepts every mix of its fingerprints' nibbles, so two common fingerprints in one bucket
 * would let through runs that neither is). Quick, for any list of triggers; the registry's list
 * has a plan searched against captured logs instead (fingerprint-plans.ts).
 */
export function modelPlan(triggers: readonly Uint8Array[]): FingerprintPlan {
  const at = triggers.map(fingerprintAt)
  const bucket = triggers.map(() => 0)
  const buckets = Array.from({ length: BUCKETS }, () => ({ nibbles: emptyBucket(), used: false }))
  const fingerprint = (t: number): Uint8Array => fingerprintOf(triggers[t], at[t])
  const order = triggers
    .map((_, t) => t)
    .sort((a, b) => runWeight(fingerprint(b)) - runWeight(fingerprint(a)) || a - b)
  for (const t of order) {
    let best = 0
    let bestCost = Infinity
    for (const [i, { nibbles, used }] of buckets.entries()) {
      const before = used ? bucketMass(nibbles) : 0
      const cost = bucketMass(withFingerprint(nibbles, fingerprint(t))) - before
      if (cost < bestCost) [best, bestCost] = [i, cost]
    }
    buckets[best] = { nibbles: withFingerprint(buckets[best].nibbles, fingerprint(t)), used: true }
    bucket[t] = best
  }
  return { at, bucket }
}

/** The BUCKETS buckets of `plan`, each with its triggers' fingerprints. */
export function bucketsOf(triggers: readonly Uint8Array[], plan: FingerprintPlan): Bucket[] {
  const buckets = Array.from({ length: BUCKETS }, emptyBucket)
  for (const [t, trigger] of triggers.entries())
    buckets[plan.bucket[t]] = withFingerprint(
      buckets[plan.bucket[t]],
      fingerprintOf(trigger, plan.at[t])
    )
  return buckets
}

/** The filter's lookup tables, low then high nibble per fingerprint byte: bit b is bucket b. */
function filterTables(buckets: readonly Bucket[]): number[][] {
  const tables = Array.from({ length: 2 * FINGERPRINT }, () => new Array<number>(16).fill(0))
  for (const [b, bucket] of buckets.entries())
    for (let j = 0; j < FINGERPRINT; j++)
      for (let n = 0; n < 16; n++) {
        if ((bucket.lo[j] >> n) & 1) tables[2 * j][n] |= 1 << b
        if ((bucket.hi[j] >> n) & 1) tables[2 * j + 1][n] |= 1 << b
      }
  return tables
}

// ---------------------------------------------------------------------------------------------
// A small WebAssembly assembler: just what the kernel needs.

/** Unsigned LEB128, the encoding of sizes, indices and memory offsets. */
function uleb(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}

/** Signed LEB128, the encoding of i32.const immediates (non-negative ones here). */
function sleb(n: number): number[] {
  const out: number[] = []
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    if (n === 0 && (byte & 0x40) === 0) return [...out, byte]
    out.push(byte | 0x80)
  }
}

const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()]
const name = (text: string): number[] => vec([...Buffer.from(text)].map(b => [b]))
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body]

const I32 = 0x7f
const I64 = 0x7e
const V128 = 0x7b
const EMPTY = 0x40
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Load8U: 0x2d,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  i32GeS: 0x4e,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Ctz: 0x68,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i64Const: 0x42,
  i64Eqz: 0x50,
  i64Ctz: 0x7a,
  i64Sub: 0x7d,
  i64And: 0x83,
  i64Or: 0x84,
  i64Shl: 0x86,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad
}
const simd = (code: number): number[] => [0xfd, ...uleb(code)]
const v128Load = (offset: number): number[] => [...simd(0x00), 0, ...uleb(offset)]
const v128Store = (offset: number): number[] => [...simd(0x0b), 0, ...uleb(offset)]
const ZERO = [...simd(0x0c), ...new Array<number>(16).fill(0)]
/** The 16 lanes from lane `first` of two vectors put end to end. */
const i8x16Shuffle = (first: number): number[] => [
  ...simd(0x0d),
  ...Array.from({ length: 16 }, (_, i) => first + i)
]
const i8x16Swizzle = simd(0x0e)
/**
 * Relaxed SIMD's swizzle, which may differ from `i8x16.swizzle` only for indices of 16 or more:
 * the filter's indices are nibbles, and on x64 it spares a saturating add per lookup.
 */
const i8x16RelaxedSwizzle = simd(0x100)
const i32x4ExtractLane = (lane: number): number[] => [...simd(0x1b), lane]
const i8x16Eq = simd(0x23)
const i8x16Ne = simd(0x24)
const v128And = simd(0x4e)
const v128Or = simd(0x50)
const v128AnyTrue = simd(0x53)
const i8x16Bitmask = simd(0x64)
const i8x16Sub = simd(0x71)
const i16x8ExtaddPairwiseI8x16U = simd(0x7d)
const i32x4ExtaddPairwiseI16x8U = simd(0x7f)
const i16x8ShrU = simd(0x8d)
const get = (local: number): number[] => [op.localGet, local]
const set = (local: number): number[] => [op.localSet, local]
const tee = (local: number): number[] => [op.localTee, local]
const i32 = (n: number): number[] => [op.i32Const, ...sleb(n)]
const load32 = (offset: number): number[] => [op.i32Load, 2, ...uleb(offset)]
const load8 = (offset: number): number[] => [op.i32Load8U, 0, ...uleb(offset)]
const store32 = (offset: number): number[] => [op.i32Store, 2, ...uleb(offset)]

// ---------------------------------------------------------------------------------------------
// The kernel: scan(len) -> the newlines of the window's bytes [0, end). The occurrences starting
// there go to OUT, their count to FOUND_AT, and `end` to END_AT: len, or where the scan stopped
// with OUT nearly full. P runs over memory addresses, from BASE.

// Locals: the parameter, then i32s, an i64 and v128s.
const [LEN, P, LOOP_END, INNER_END, LINES, FOUND, POS, E, START, SIZE, I, RESULT_END] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
]
const I32_LOCALS = 11
/** The positions of a step that its filter let through, one bit each. */
const LANES = 12
const [ACC, CAND, M, V, X, LO, HI] = [13, 14, 15, 16, 17, 18, 19]
/** What the bytes of the vector before gave, per fingerprint byte but the last. */
const PREVIOUS = Array.from({ length: FINGERPRINT - 1 }, (_, j) => 20 + j)
/** The tables, loaded into locals before the loop, so that V8 can keep them in registers. */
const TABLE = Array.from({ length: TABLE_COUNT }, (_, k) => 20 + FINGERPRINT - 1 + k)
const [NL_TABLE, LOW_TABLE] = [TABLE[2 * FINGERPRINT], TABLE[2 * FINGERPRINT + 1]]
const V128_LOCALS = 7 + PREVIOUS.length + TABLE.length

/** The nibbles of V into LO and HI. */
const nibblesOfV = [
  ...[...get(V), ...get(LOW_TABLE), ...v128And, ...set(LO)],
  ...[...get(V), ...i32(4), ...i16x8ShrU, ...get(LOW_TABLE), ...v128And, ...set(HI)]
]
/** The buckets whose fingerprints may have each byte of V as their byte `j`. */
const lookup = (j: number, swizzle: number[]): number[] => [
  ...[...get(TABLE[2 * j]), ...get(LO), ...swizzle],
  ...[...get(TABLE[2 * j + 1]), ...get(HI), ...swizzle, ...v128And]
]

/**
 * The buckets whose fingerprint may end at each byte of V (lane i: start at i - FINGERPRINT + 1):
 * byte j's buckets, FINGERPRINT - 1 - j lanes later, the lanes before taken from the vector
 * before (PREVIOUS), all together.
 */
const fingerprintsEndingInV = (swizzle: number[]): number[] => [
  ...nibblesOfV,
  ...lookup(FINGERPRINT - 1, swizzle),
  ...PREVIOUS.flatMap((previous, j) => [
    ...[...lookup(j, swizzle), ...set(X), ...get(previous), ...get(X)],
    ...[...i8x16Shuffle(16 - (FINGERPRINT - 1 - j)), ...v128And, ...get(X), ...set(previous)]
  ])
]

/**
 * One vector of the main loop: its newlines into the lanes of ACC, its filter hits into CAND and
 * to the step's place in SCRATCH, for the slow path.
 */
const step = (offset: number, swizzle: number[]): number[] => [
  ...[...get(P), ...v128Load(offset), ...set(V)],
  ...[...get(ACC), ...get(V), ...get(NL_TABLE), ...i8x16Eq, ...i8x16Sub, ...set(ACC)],
  ...[...i32(0), ...fingerprintsEndingInV(swizzle), ...tee(M), ...v128Store(SCRATCH + offset)],
  ...[...get(CAND), ...get(M), ...v128Or, ...set(CAND)]
]

/** Adds the per-lane newline counts in ACC to LINES and clears them. */
const flush = [
  ...[...get(ACC), ...i16x8ExtaddPairwiseI8x16U, ...i32x4ExtaddPairwiseI16x8U, ...set(ACC)],
  ...[...get(LINES), ...get(ACC), ...i32x4ExtractLane(0), op.i32Add],
  ...[...get(ACC), ...i32x4ExtractLane(1), op.i32Add, ...get(ACC), ...i32x4ExtractLane(2)],
  ...[op.i32Add, ...get(ACC), ...i32x4ExtractLane(3), op.i32Add, ...set(LINES)],
  ...[...ZERO, ...set(ACC)]
]

/**
 * Compares the trigger of entry E with the bytes at START, which are inside the window; on a
 * match, appends the occurrence. A mismatch leaves the block early.
 */
const verify = [
  ...[...i32(0), ...set(I), op.block, EMPTY, op.loop, EMPTY],
  ...[...get(I), ...get(SIZE), op.i32LtU, op.if, EMPTY],
  ...[...get(START), ...get(I), op.i32Add, ...load8(0)],
  ...[...get(E), ...load32(4), ...get(I), op.i32Add, ...load8(0), op.i32Ne, op.brIf, 2],
  ...[...get(I), ...i32(1), op.i32Add, ...set(I), op.br, 1, op.end, op.end],
  ...[...get(FOUND), ...i32(3), op.i32Shl, ...get(START), ...i32(BASE), op.i32Sub],
  ...[...store32(OUT), ...get(FOUND), ...i32(3), op.i32Shl, ...get(E), ...load32(12)],
  ...[...store32(OUT + 4), ...get(FOUND), ...i32(1), op.i32Add, ...set(FOUND), op.end]
]

/** Every trigger whose fingerprint starts with the two bytes at POS, checked in full. */
const entries = [
  ...[...get(POS), ...load8(0), ...i32(8), op.i32Shl, ...get(POS), ...load8(1), op.i32Or],
  ...[...i32(2), op.i32Shl, ...load32(PAIRS), ...set(E), op.block, EMPTY, op.loop, EMPTY],
  ...[...get(E), op.i32Eqz, op.brIf, 1],
  ...[...get(POS), ...get(E), ...load32(0), op.i32Sub, ...set(START)],
  ...[...get(E), ...load32(8), ...set(SIZE)],
  ...[...get(START), ...i32(BASE), op.i32GeS, ...get(START), ...get(SIZE), op.i32Add, ...get(LEN)],
  // One load rules out most false positives before the byte-by-byte check.
  ...[op.i32LeS, op.i32And, op.if, EMPTY, ...get(START), ...load32(0), ...get(E), ...load32(20)],
  ...[op.i32And, ...get(E), ...load32(16), op.i32Eq, op.if, EMPTY, ...verify, op.end, op.end],
  ...[...get(E), ...load32(24), ...set(E), op.br, 0, op.end, op.end]
]

/**
 * A step whose filter let something through: the positions that passed in its four vectors (from
 * SCRATCH), as one bit each (bit i: the fingerprint that starts at P + i - FINGERPRINT + 1), and
 * for each the entries whose fingerprint starts with the two bytes there. One loop over the bits,
 * so that a branch mispredicted costs once per step, not per vector. Past HIT_LIMIT occurrences
 * the scan ends after this step: RESULT_END is then the first start it has not covered.
 */
const slowPath = [
  ...[0, 16, 32, 48].flatMap(offset => [
    ...[...(offset === 0 ? [] : get(LANES)), ...i32(0), ...v128Load(SCRATCH + offset), ...ZERO],
    ...[...i8x16Ne, ...i8x16Bitmask, op.i64ExtendI32U],
    ...(offset === 0 ? [] : [op.i64Const, ...sleb(offset), op.i64Shl, op.i64Or]),
    ...set(LANES)
  ]),
  ...[op.block, EMPTY, op.loop, EMPTY, ...get(LANES), op.i64Eqz, op.brIf, 1],
  ...[...get(P), ...get(LANES), op.i64Ctz, op.i32WrapI64, op.i32Add],
  ...[...i32(FINGERPRINT - 1), op.i32Sub, ...set(POS)],
  ...entries,
  ...[...get(LANES), ...get(LANES), op.i64Const, 1, op.i64Sub, op.i64And, ...set(LANES)],
  ...[op.br, 0, op.end, op.end],
  ...[...get(FOUND), ...i32(HIT_LIMIT), op.i32GtS, op.if, EMPTY],
  ...[...get(P), ...i32(STEP), op.i32Add, ...tee(LOOP_END), ...tee(INNER_END)],
  ...[...i32(BASE + FINGERPRINT - 1), op.i32Sub, ...set(RESULT_END), op.end]
]

function kernelBody(swizzle: number[]): number[] {
  return [
    ...[3, ...uleb(I32_LOCALS), I32, 1, I64, ...uleb(V128_LOCALS), V128],
    ...TABLE.flatMap((local, k) => [...i32(0), ...v128Load(TABLES + 16 * k), ...set(local)]),
    // The loop covers the fingerprints that start in the window: it ends FINGERPRINT - 1 past it.
    ...[...i32(BASE), ...set(P), ...get(LEN), ...set(RESULT_END)],
    ...[...get(LEN), ...i32(BASE), op.i32Add, ...tee(LEN), ...i32(FINGERPRINT - 1), op.i32Add],
    ...[...set(LOOP_END), op.block, EMPTY, op.loop, EMPTY],
    ...[...get(P), ...get(LOOP_END), op.i32GeU, op.brIf, 1],
    ...[...get(P), ...i32(STEPS_PER_FLUSH * STEP), op.i32Add, ...tee(INNER_END)],
    ...[...get(LOOP_END), ...get(INNER_END), ...get(LOOP_END), op.i32LtU, op.select],
    ...[...set(INNER_END), op.block, EMPTY, op.loop, EMPTY],
    ...[...get(P), ...get(INNER_END), op.i32GeU, op.brIf, 1, ...ZERO, ...set(CAND)],
    ...[0, 16, 32, 48].flatMap(offset => step(offset, swizzle)),
    ...[...get(CAND), ...v128AnyTrue, op.if, EMPTY, ...slowPath, op.end],
    ...[...get(P), ...i32(STEP), op.i32Add, ...set(P), op.br, 0, op.end, op.end],
    ...[...flush, op.br, 0, op.end, op.end],
    ...[...i32(0), ...get(RESULT_END), ...store32(END_AT)],
    ...[...i32(0), ...get(FOUND), ...store32(FOUND_AT), ...get(LINES), op.end]
  ]
}

function assemble(swizzle: number[]): Uint8Array {
  const body = kernelBody(swizzle)
  return new Uint8Array([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, 1, I32, 1, I32]])),
    ...section(3, vec([[0]])),
    ...section(5, vec([[0, ...uleb(PAGES)]])),
    ...section(
      7,
      vec([
        [...name('scan'), 0, 0],
        [...name('memory'), 2, 0]
      ])
    ),
    ...section(10, vec([[...uleb(body.length), ...body]]))
  ])
}

// The project's lib (ES2022, no DOM) has no WebAssembly types; these are the parts used here.
declare const WebAssembly: {
  validate: (bytes: Uint8Array) => boolean
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: Record<string, unknown> }
}

// The module is the same for every set of triggers: each instance holds its tables in memory.
// Relaxed SIMD where the runtime has it (Node 22 and later), the plain swizzle elsewhere.
let kernelModule: object | undefined
function loadModule(): object {
  const relaxed = assemble(i8x16RelaxedSwizzle)
  return new WebAssembly.Module(WebAssembly.validate(relaxed) ? relaxed : assemble(i8x16Swizzle))
}

/** What one call of `TriggerKernel.scan` covered. */
export interface Scanned {
  /** Newlines in `block[from, end)`. */
  lines: number
  /** Where the next call starts: the block's length once it is all scanned. */
  end: number
  /** How many occurrences it found: the first pairs of `TriggerKernel.hits`. */
  found: number
}

/** Room for the occurrences that span a window's edge, after the kernel's. */
const MAX_SPANNING = MAX_TRIGGERS * MAX_TRIGGER_BYTES

/** The kernel for one set of triggers; see the module's comment for the contract of `scan`. */
export class TriggerKernel {
  /**
   * The occurrences the last call of `scan` found, as pairs: start (from that call's `from`) and
   * trigger index. Read in place, so that they cost no copy; the next call overwrites them.
   */
  readonly hits: Int32Array
  /** Which bytes of each trigger the filter keys on, and their buckets. */
  readonly plan: FingerprintPlan
  private readonly run: (len: number) => number
  private readonly bytes: Uint8Array
  private readonly words: Int32Array

  /**
   * `triggers`: distinct, each of 2 to MAX_TRIGGER_BYTES bytes, none with a newline. `plan`: for
   * these triggers (fingerprints inside them, buckets 0 to BUCKETS - 1); the kernel's own
   * (`modelPlan`) when not given.
   */
  constructor(
    readonly triggers: readonly Uint8Array[],
    plan?: FingerprintPlan
  ) {
    checkTriggers(triggers)
    this.plan = plan ?? modelPlan(triggers)
    checkPlan(triggers, this.plan)
    const { at } = this.plan
    const buckets = bucketsOf(triggers, this.plan)
    const { exports } = new WebAssembly.Instance((kernelModule ??= loadModule()))
    const memory = exports.memory as { buffer: ArrayBuffer }
    this.run = exports.scan as (len: number) => number
    this.bytes = new Uint8Array(memory.buffer)
    this.words = new Int32Array(memory.buffer)
    this.hits = new Int32Array(memory.buffer, OUT, 2 * (MAX_HITS_PER_CALL + MAX_SPANNING))
    const tables = [...filterTables(buckets), new Array(16).fill(NEWLINE), new Array(16).fill(15)]
    this.bytes.set(tables.flat(), TABLES)
    // The entries, chained by the first two bytes of their fingerprints, and the triggers' bytes,
    // for the kernel's exact check.
    let byte = TRIGGER_BYTES
    for (const [t, trigger] of triggers.entries()) {
      const entry = ENTRIES + t * ENTRY_BYTES
      const pair = PAIRS / 4 + ((trigger[at[t]] << 8) | trigger[at[t] + 1])
      const head = trigger.subarray(0, 4)
      const [word, mask] = [Buffer.alloc(4), Buffer.alloc(4)]
      word.set(head)
      mask.fill(0xff, 0, head.length)
      const next = this.words[pair]
      const fields = [at[t], byte, trigger.length, t, word.readInt32LE(), mask.readInt32LE(), next]
      this.words.set(fields, entry >> 2)
      this.words[pair] = entry
      this.bytes.set(trigger, byte)
      byte += trigger.length
    }
  }

  /**
   * Scans `block` from `from`, at most a window: counts its newlines and finds, into `hits`, the
   * occurrences of triggers that start there.
   */
  scan(block: Uint8Array, from: number): Scanned {
    const to = Math.min(from + WINDOW, block.length)
    const len = to - from
    this.bytes.set(len === block.length ? block : block.subarray(from, to), BASE)
    this.bytes.fill(0, BASE + len, BASE + len + PADDING)
    let lines = this.run(len)
    const end = from + Math.min(this.words[END_AT >> 2], len)
    let found = this.words[FOUND_AT >> 2]
    if (end < to) {
      // Stopped early: the lines were counted to the end of the step, FINGERPRINT - 1 bytes on.
      const counted = Math.min(end + FINGERPRINT - 1, to)
      for (let at = end; at < counted; at++) if (block[at] === NEWLINE) lines--
      // The kernel may have found occurrences that span `end`: they are left to the check of
      // the occurrences that span it, below, which finds each of them once.
      const hits = this.hits
      let kept = 0
      for (let i = 0; i < 2 * found; i += 2)
        if (from + hits[i] + this.triggers[hits[i + 1]].length <= end) {
          hits[kept++] = hits[i]
          hits[kept++] = hits[i + 1]
        }
      found = kept / 2
    }
    if (end < block.length) found = this.spanning(block, from, end, found)
    return { lines, end, found }
  }

  /**
   * Adds the occurrences that start before `end` and end after it, which the kernel saw only the
   * start of, to the `found` in `hits`; how many there are then. They are on the line that holds
   * `end - 1`, the line of the window's last hits, so they keep the hits in the order of lines.
   */
  private spanning(block: Uint8Array, from: number, end: number, found: number): number {
    for (const [t, trigger] of this.triggers.entries()) {
      const last = Math.min(end - 1, block.length - trigger.length)
      for (let start = Math.max(from, end - trigger.length + 1); start <= last; start++) {
        let i = 0
        while (i < trigger.length && block[start + i] === trigger[i]) i++
        if (i < trigger.length) continue
        this.hits[2 * found] = start - from
        this.hits[2 * found + 1] = t
        found++
      }
    }
    return found
  }
}

/** What is wrong with a trigger, or undefined: it has 2 to MAX_TRIGGER_BYTES bytes and no newline. */
export function triggerProblem(trigger: Uint8Array): string | undefined {
  if (trigger.length >= 2 && trigger.length <= MAX_TRIGGER_BYTES && !trigger.includes(NEWLINE))
    return undefined
  const text = JSON.stringify(Buffer.from(trigger).toString())
  return `A trigger has 2 to ${MAX_TRIGGER_BYTES} bytes and no newline, got ${text} (${trigger.length} bytes)`
}

function checkPlan(triggers: readonly Uint8Array[], { at, bucket }: FingerprintPlan): void {
  if (at.length !== triggers.length || bucket.length !== triggers.length)
    throw new Error(
      `A fingerprint plan has ${at.length} fingerprints and ${bucket.length} buckets for ${triggers.length} triggers`
    )
  for (const [t, trigger] of triggers.entries()) {
    const last = Math.max(0, trigger.length - FINGERPRINT)
    const name = JSON.stringify(Buffer.from(trigger).toString())
    if (!Number.isInteger(at[t]) || at[t] < 0 || at[t] > last)
      throw new Error(`A fingerprint of ${name} starts at 0 to ${last}, got ${at[t]}`)
    if (!Number.isInteger(bucket[t]) || bucket[t] < 0 || bucket[t] >= BUCKETS)
      throw new Error(`A fingerprint of ${name} is in bucket 0 to ${BUCKETS - 1}, got ${bucket[t]}`)
  }
}

/**
 * Whether the filter lets position `at` of `bytes` through for `bucket`: each of the FINGERPRINT
 * bytes from there has a low and a high nibble of the bucket's fingerprints at that place. What
 * the kernel computes for 16 positions at once, one position at a time, for planning.
 */
export function letsThrough(bucket: Bucket, bytes: Uint8Array, at: number): boolean {
  for (let j = 0; j < FINGERPRINT; j++) {
    const byte = bytes[at + j] ?? 0
    if (!((bucket.lo[j] >> (byte & 15)) & 1) || !((bucket.hi[j] >> (byte >> 4)) & 1)) return false
  }
  return true
}

function checkTriggers(triggers: readonly Uint8Array[]): void {
  if (triggers.length > MAX_TRIGGERS)
    throw new Error(`The scanner takes at most ${MAX_TRIGGERS} triggers, got ${triggers.length}`)
  const seen = new Set<string>()
  for (const trigger of triggers) {
    const problem = triggerProblem(trigger)
    if (problem) throw new Error(problem)
    // Latin-1 keeps every byte apart: two triggers are the same only if their bytes are.
    const key = Buffer.from(trigger).toString('latin1')
    if (seen.has(key))
      throw new Error(`Trigger ${JSON.stringify(Buffer.from(trigger).toString())} is given twice`)
    seen.add(key)
  }
}

// Kernels by their triggers: a run builds one for its recognisers and reuses it for every log.
const kernels = new Map<string, TriggerKernel>()
const KEPT_KERNELS = 8

/** What kernels and plans (fingerprint-plans.ts) are kept by: the list of triggers, in order. */
export const triggersKey = (triggers: readonly string[]): string => JSON.stringify(triggers)

/**
 * The kernel for `triggers` (text, looked for as UTF-8), built once and then reused: on the plan
 * searched for them (fingerprint-plans.ts) when there is one, else on the kernel's own.
 */
export function triggerKernel(triggers: readonly string[]): TriggerKernel {
  const key = triggersKey(triggers)
  let kernel = kernels.get(key)
  if (!kernel) {
    const bytes = triggers.map(trigger => Buffer.from(trigger))
    kernel = new TriggerKernel(bytes, FINGERPRINT_PLANS.get(key))
    if (kernels.size >= KEPT_KERNELS) kernels.delete(kernels.keys().next().value as string)
    kernels.set(key, kernel)
  }
  return kernel
}
