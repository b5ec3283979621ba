/**
 * A WebAssembly SIMD kernel that counts newlines and finds where a `[W` or `[E` starts, 64 bytes
 * per step. Counting lines with Buffer.indexOf costs a native call per line, about 0.5 s per GiB
 * of log; the kernel takes about 60 ms per GiB, plus 25 ms for copying the blocks into its
 * memory. The module is assembled here, a few hundred bytes, so the action needs no build step
 * or binary file.
 */

/** Bytes the kernel scans per call; larger blocks are scanned a window at a time. */
const WINDOW = 64 * 1024
/** Bytes per step of the kernel's main loop: four vectors. */
const STEP = 64
// The kernel reads STEP + 1 bytes from every p < len, in steps of STEP: bytes up to len + STEP
// must not be left over from an earlier window.
const PADDING = STEP + 1
/** Where the kernel writes candidate offsets, past the window and its zero padding. */
const OUT = WINDOW + 2 * STEP
/** Where the kernel writes how many candidates it found. */
const COUNT = OUT - 4
const PAGE = 64 * 1024
// A candidate needs two bytes, so a window has at most WINDOW / 2 of them.
const PAGES = Math.ceil((OUT + (WINDOW / 2) * 4) / PAGE)

const NEWLINE = 0x0a
const BRACKET = 0x5b
const E = 0x45
// 'W' (0x57) and 'E' (0x45) differ only in the bits 0x12: masking them off finds both with one comparison,
// along with 'G' and 'U', which the caller's check of the whole mark rules out.
const NOT_W_E_BITS = ~0x12 & 0xff

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
const V128 = 0x7b
const EMPTY = 0x40
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Ctz: 0x68,
  i32Popcnt: 0x69,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Shl: 0x74
}
const simd = (code: number): number[] => [0xfd, ...uleb(code)]
const v128Load = (offset: number): number[] => [...simd(0x00), 0, ...uleb(offset)]
const i8x16Splat = simd(0x0f)
const i8x16Eq = simd(0x23)
const v128And = simd(0x4e)
const v128Or = simd(0x50)
const v128Xor = simd(0x51)
const v128AnyTrue = simd(0x53)
const i8x16Bitmask = simd(0x64)
const get = (local: number): number[] => [op.localGet, local]
const set = (local: number): number[] => [op.localSet, local]
const i32 = (n: number): number[] => [op.i32Const, ...sleb(n)]

const [LEN, P, Q, LINES, FOUND, MASK, V, CAND, NL, BR, WE, MASK_WE] = [
  0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
]
/** Leaves on the stack the lanes of the 16 bytes at `at` + `offset` where `[W` or `[E` starts. */
const pairs = (at: number, offset: number): number[] => [
  ...[...get(at), ...v128Load(offset), ...get(BR), ...i8x16Eq],
  ...[...get(at), ...v128Load(offset + 1), ...get(MASK_WE), ...v128And, ...get(WE), ...i8x16Eq],
  ...v128And
]
/** Counts the newlines of the vector at P + offset into LINES and adds its pairs to CAND. */
const step = (offset: number): number[] => [
  ...[...get(P), ...v128Load(offset), ...set(V)],
  ...[...get(LINES), ...get(V), ...get(NL), ...i8x16Eq, ...i8x16Bitmask, op.i32Popcnt],
  ...[op.i32Add, ...set(LINES)],
  ...[...get(CAND), ...pairs(P, offset), ...v128Or, ...set(CAND)]
]
// scan(len) -> newlines in [0, len); the offsets where `[W` or `[E` starts go to OUT, their
// count to COUNT. Pairs are rare in a log, so the main loop only notes whether a
// step of 64 bytes has any, and the offsets are worked out for those steps alone.
const body = [
  ...[2, ...uleb(5), I32, ...uleb(7), V128],
  ...[...i32(NEWLINE), ...i8x16Splat, ...set(NL)],
  ...[...i32(BRACKET), ...i8x16Splat, ...set(BR)],
  ...[...i32(E), ...i8x16Splat, ...set(WE)],
  ...[...i32(NOT_W_E_BITS), ...i8x16Splat, ...set(MASK_WE)],
  ...[op.block, EMPTY, op.loop, EMPTY],
  ...[...get(P), ...get(LEN), op.i32GeU, op.brIf, 1],
  ...[...get(CAND), ...get(CAND), ...v128Xor, ...set(CAND)],
  ...step(0),
  ...step(16),
  ...step(32),
  ...step(48),
  ...[...get(CAND), ...v128AnyTrue, op.if, EMPTY],
  ...[...get(P), ...set(Q), op.loop, EMPTY],
  ...[...pairs(Q, 0), ...i8x16Bitmask, ...set(MASK)],
  ...[op.block, EMPTY, op.loop, EMPTY],
  ...[...get(MASK), op.i32Eqz, op.brIf, 1],
  ...[...get(FOUND), ...i32(2), op.i32Shl, ...get(Q), ...get(MASK), op.i32Ctz, op.i32Add],
  ...[op.i32Store, 2, ...uleb(OUT)],
  ...[...get(FOUND), ...i32(1), op.i32Add, ...set(FOUND)],
  ...[...get(MASK), ...get(MASK), ...i32(1), op.i32Sub, op.i32And, ...set(MASK)],
  ...[op.br, 0, op.end, op.end],
  ...[...get(Q), ...i32(16), op.i32Add, ...set(Q)],
  ...[...get(Q), ...get(P), ...i32(STEP), op.i32Add, op.i32LtU, op.brIf, 0, op.end, op.end],
  ...[...get(P), ...i32(STEP), op.i32Add, ...set(P), op.br, 0, op.end, op.end],
  ...[...i32(0), ...get(FOUND), op.i32Store, 2, ...uleb(COUNT), ...get(LINES), op.end]
]
const MODULE = new Uint8Array([
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

// The project's lib (ES2022, no DOM) has no WebAssembly types; these are the parts used here.
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object) => { exports: Record<string, unknown> }
}

interface Kernel {
  scan: (len: number) => number
  bytes: Uint8Array
  offsets: Int32Array
  found: Int32Array
}

let kernel: Kernel | undefined

function load(): Kernel {
  const { exports } = new WebAssembly.Instance(new WebAssembly.Module(MODULE))
  const memory = exports.memory as { buffer: ArrayBuffer }
  return {
    scan: exports.scan as (len: number) => number,
    bytes: new Uint8Array(memory.buffer),
    offsets: new Int32Array(memory.buffer, OUT, WINDOW / 2),
    found: new Int32Array(memory.buffer, COUNT, 1)
  }
}

/**
 * Counts the newlines of `block` and appends to `candidates`, in order, every offset where `[W`
 * or `[E` starts: the only places a `[WARN` or `[ERROR]` mark can be.
 */
export function scanBlock(block: Uint8Array, candidates: number[]): number {
  const k = (kernel ??= load())
  let lines = 0
  for (let from = 0; from < block.length; from += WINDOW) {
    const to = Math.min(from + WINDOW, block.length)
    const len = to - from
    k.bytes.set(to - from === block.length ? block : block.subarray(from, to))
    k.bytes.fill(0, len, len + PADDING)
    lines += k.scan(len)
    const found = k.found[0]
    for (let i = 0; i < found; i++) candidates.push(from + k.offsets[i])
    // A pair split between two windows: the kernel saw only its '[' followed by padding.
    if (block[to - 1] === BRACKET && (block[to] & NOT_W_E_BITS) === E) candidates.push(to - 1)
  }
  return lines
}
