/**
 * Benchmark of the log scanner on its own, in-process: the scanner of this tree against the one
 * of commit 44e537a (before recognisers), taken from git into a temporary folder. CPU comes from
 * `process.cpuUsage`. `npx tsx scripts/bench-scanner.ts` is the full run (a few minutes);
 * `--quick` runs small sizes in seconds for CI, reports the ratios and fails only on wrong
 * counts, as at those sizes a loaded machine decides the ratios. `--stand-ins` adds the bench's
 * stand-in recogniser to the registered ones.
 *
 * Rows (issue 30, Performance):
 *   a. 1 GiB of the generated log (the bench's generator) in 64 KiB chunks, old and new scanner
 *      in turn, 9 times: the median ratio of CPU is at most 1.15.
 *   b. A log of the same size in which every line is a failure: captured tool output
 *      (`__fixtures__/failures/{tool}/output.txt`, or the demo's compile errors while there is
 *      none) behind CodeArts prefixes in turn, each line holding a trigger: at most 2x the old
 *      scanner's CPU on that log; peak RSS reported.
 *   c. Linear scaling: a 1 MiB line against a 2 MiB one (`a:a:a:…`), and a million failure lines
 *      against two million: twice the input costs at most 2.3x the CPU.
 *
 * The recognisers are the registry's (src/download/recognisers/index.ts). While it is empty, a
 * stand-in recogniser takes their place: it declares some 20 triggers of the rarity real ones
 * have (`error`, `FAIL`, `●`, `Tests run:`, …) and recognises nothing, so it measures the byte
 * pass and the handing over of candidate lines, not a recogniser's own work.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { DEMO_COMPILE_ERRORS } from '../__fixtures__/demo-logs.js'
import { LogScanner } from '../src/download/log-scanner.js'
import { RECOGNISERS } from '../src/download/recognisers/index.js'
import type { Recogniser } from '../src/download/recognisers/recogniser.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const OLD_COMMIT = '44e537a'
const CHUNK = 64 * KiB

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    'stand-ins': { type: 'boolean', default: false }
  }
})
const QUICK = flags.quick
const SIZES = QUICK
  ? { log: 16 * MiB, reps: 3, failureReps: 1, longLineReps: 4, errorLines: 100_000, scaleReps: 1 }
  : { log: 1 * GiB, reps: 9, failureReps: 3, longLineReps: 64, errorLines: 1_000_000, scaleReps: 3 }
const TARGETS = { generated: 1.15, failures: 2, scaling: 2.3 }

/** The part of a scanner the bench uses: both versions have it. */
interface Scanner {
  write(chunk: Buffer): void
  finish(): { lines: number; errors: number; warnings: number } | undefined
}
type MakeScanner = () => Scanner

// ---------------------------------------------------------------------------------------------
// The generated log: the generator of scripts/bench.ts, copied so that this script stands alone.

function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

// Rare errors and warnings, as in a real build log: the action scans every line for them.
function level(r: () => number): string {
  const x = r() % 10_000
  return x < 5 ? 'ERROR' : x < 100 ? 'WARN' : x < 1000 ? 'DEBUG' : 'INFO'
}
const STEPS = ['code checkout', 'build with maven', 'npm build', 'docker build', 'unit test']
const MESSAGES: ((r: () => number) => string)[] = [
  r =>
    `Downloaded from central: https://repo.maven.apache.org/maven2/org/example/lib${r() % 500}/${r() % 9}.${r() % 20}.${r() % 10}/lib.jar (${(r() % 900) + 1} kB at ${(r() % 99) / 10} MB/s)`,
  r =>
    `[${r() % 100}%] Building CXX object src/CMakeFiles/core.dir/module_${r().toString(16)}.cpp.o`,
  r => `Step ${r() % 40}/40 : RUN npm ci --prefer-offline --no-audit`,
  r =>
    `Tests run: ${r() % 900}, Failures: ${r() % 3}, Errors: 0, Skipped: ${r() % 20}, Time elapsed: ${(r() % 100_000) / 1000} s`,
  r => `${r().toString(16).padStart(8, '0')}${r().toString(16).padStart(8, '0')}: Pushed`,
  r => `npm warn deprecated pkg-${r() % 3000}@${r() % 7}.${r() % 30}.0: no longer supported`
]
const POOL_CHUNKS = 64
const POOL_CHUNK_BYTES = 64 * KiB

function buildPool(): Buffer[] {
  const r = mulberry32(20250626)
  let ms = Date.UTC(2025, 5, 26, 6, 23, 32)
  return Array.from({ length: POOL_CHUNKS }, () => {
    const lines: string[] = []
    let bytes = 0
    while (bytes < POOL_CHUNK_BYTES) {
      ms += r() % 40
      const stamp = new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').replace(/-/g, '/')
      const line = `[${stamp.slice(0, -1)} GMT+08:00] [${level(r)}] [${STEPS[r() % STEPS.length]}] : ${MESSAGES[r() % MESSAGES.length](r)}\n`
      lines.push(line)
      bytes += line.length
    }
    return Buffer.from(lines.join(''))
  })
}

/**
 * A log of `size` bytes made of `text` over and over, as 64 KiB chunks that split lines as a
 * socket does. The chunks are views of one buffer, so feeding them costs the bench nothing.
 */
function* chunksOf(text: Buffer, size: number): Generator<Buffer> {
  for (let sent = 0; sent < size;) {
    for (let at = 0; at < text.length && sent < size; at += CHUNK) {
      const chunk = text.subarray(at, Math.min(at + CHUNK, text.length, at + size - sent))
      sent += chunk.length
      yield chunk
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Logs of failures.

/** The bench's stand-in for the recognisers while the registry has none. */
const STAND_IN: Recogniser = {
  name: 'bench stand-in',
  triggers: [
    ...['error', 'Error', 'FAIL', 'Failed ', 'FAILED', '<<< FAILURE!', '<<< ERROR!', '●'],
    ...['panicked at', 'e: ', '# ', '--> ', '_test.go:', ' > ', '---- ', '.go:', 'error[E'],
    ...['Tests run:', 'Failures:', 'Stack Trace:', 'in /', ':line ']
  ],
  maxFollowing: 0,
  start: () => ({ candidate: () => undefined, following: () => 'done', finish: () => [] })
}
/**
 * A recogniser that every `a:a:` of a long line makes a candidate, and that tries a pattern
 * which would backtrack badly on a long line: row c shows that the line it gets is cut.
 */
const HOSTILE: Recogniser = {
  name: 'bench hostile',
  triggers: [':a:'],
  maxFollowing: 0,
  start: () => ({
    candidate: line => (/^(a|a:)*b/.test(line) ? { recognised: true, following: 0 } : undefined),
    following: () => 'done',
    finish: () => []
  })
}
const STAND_INS_USED = RECOGNISERS.length === 0 || flags['stand-ins']
const BENCH_RECOGNISERS = STAND_INS_USED ? [...RECOGNISERS, STAND_IN] : RECOGNISERS

const PREFIXES = [
  (i: number) => `[2026/09/10 19:09:${String(i % 60).padStart(2, '0')}.236 GMT+08:00] `,
  (i: number) =>
    `[Sep 14, 2026 02:29:${String(i % 60).padStart(2, '0')}.820 GMT+08:00] [ERROR] [build:mvn] : `,
  (i: number) =>
    `[2026/09/10 19:09:${String(i % 60).padStart(2, '0')}.236 GMT+08:00] [INFO] [unit test:run] : `
]

/**
 * Lines of captured failures, each holding a trigger of the bench's recognisers: the lines of
 * every `__fixtures__/failures/{tool}/output.txt`, or the demo's compile errors while none exists.
 */
function failureLines(): { lines: string[]; source: string } {
  const dir = path.join(ROOT, '__fixtures__', 'failures')
  const outputs = existsSync(dir)
    ? readdirSync(dir)
        .map(tool => path.join(dir, tool, 'output.txt'))
        .filter(file => existsSync(file))
    : []
  const captured = outputs.flatMap(file => readFileSync(file, 'utf8').split('\n'))
  const all = captured.length > 0 ? captured : DEMO_COMPILE_ERRORS.flat().map(l => `[ERROR] ${l}`)
  const triggers = BENCH_RECOGNISERS.flatMap(r => r.triggers)
  const lines = all.filter(line => triggers.some(trigger => line.includes(trigger)))
  const source =
    outputs.length > 0
      ? `${outputs.length} captured outputs`
      : "the demo's compile errors (no __fixtures__/failures/*/output.txt yet)"
  return { lines: lines.length > 0 ? lines : all, source }
}

/** Lines of failures in a pool of this many, repeated to make longer logs. */
const POOL_LINES = 10_000

/** POOL_LINES lines of failures, behind CodeArts' prefixes in turn. */
function failurePool(lines: readonly string[]): Buffer {
  const out: string[] = []
  for (let i = 0; i < POOL_LINES; i++)
    out.push(`${PREFIXES[i % PREFIXES.length](i)}${lines[i % lines.length]}\n`)
  return Buffer.from(out.join(''))
}

// ---------------------------------------------------------------------------------------------
// Measuring.

interface Run {
  cpuMs: number
  counts: { lines: number; errors: number; warnings: number }
}

/** Feeds the chunks to a new scanner; the CPU it took, and its counts. */
function run(make: MakeScanner, chunks: Iterable<Buffer>, onChunk?: () => void): Run {
  const scanner = make()
  const before = process.cpuUsage()
  let n = 0
  for (const chunk of chunks) {
    scanner.write(chunk)
    if (onChunk && ++n % 64 === 0) onChunk()
  }
  const stats = scanner.finish()
  onChunk?.()
  const used = process.cpuUsage(before)
  if (!stats) throw new Error('A scanner took the log for a compressed body')
  const { lines, errors, warnings } = stats
  return { cpuMs: (used.user + used.system) / 1000, counts: { lines, errors, warnings } }
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Everything that went wrong with correctness; any entry fails the run whatever the timings. */
const problems: string[] = []

interface Row {
  row: string
  what: string
  before: string
  after: string
  ratio: number
  target: number
  note?: string
}
const rows: Row[] = []

/**
 * Runs `a` and `b` in turn `reps` times; the median of each one's CPU and of their ratios. Both
 * must count the same, or, given `lines`, count those lines.
 */
function alternate(
  reps: number,
  a: () => Run,
  b: () => Run,
  label: string,
  lines?: [number, number]
): { a: number; b: number; ratio: number } {
  const [as, bs, ratios] = [[], [], []] as number[][]
  for (let i = 0; i < reps; i++) {
    const first = a()
    const second = b()
    as.push(first.cpuMs)
    bs.push(second.cpuMs)
    ratios.push(second.cpuMs / first.cpuMs)
    const counted = [first.counts, second.counts]
    const right = lines
      ? counted.every((counts, k) => counts.lines === lines[k])
      : JSON.stringify(counted[0]) === JSON.stringify(counted[1])
    if (!right) problems.push(`${label}: counted ${JSON.stringify(counted)}`)
  }
  return { a: median(as), b: median(bs), ratio: median(ratios) }
}

/** `times` runs one after another, as one: their CPU added, their counts added. */
function repeat(times: number, once: () => Run): Run {
  const total: Run = { cpuMs: 0, counts: { lines: 0, errors: 0, warnings: 0 } }
  for (let i = 0; i < times; i++) {
    const { cpuMs, counts } = once()
    total.cpuMs += cpuMs
    total.counts.lines += counts.lines
    total.counts.errors += counts.errors
    total.counts.warnings += counts.warnings
  }
  return total
}

/** Today's scanner from OLD_COMMIT: its src/ from git, in a temporary folder. */
async function oldScanner(dir: string): Promise<MakeScanner> {
  const tar = execFileSync('git', ['archive', OLD_COMMIT, 'src'], {
    cwd: ROOT,
    maxBuffer: 64 * MiB
  })
  execFileSync('tar', ['-x', '-C', dir], { input: tar })
  const module = (await import(
    pathToFileURL(path.join(dir, 'src', 'download', 'log-scanner.ts')).href
  )) as { LogScanner: new () => Scanner }
  return () => new module.LogScanner()
}

const perGiB = (ms: number, bytes: number): string =>
  `${((ms / 1000) * (GiB / bytes)).toFixed(3)} s/GiB`
const mib = (bytes: number): string => `${(bytes / MiB).toFixed(0)} MiB`

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cbl-scanner-bench-'))
  try {
    const makeOld = await oldScanner(dir)
    const makeNew: MakeScanner = () => new LogScanner(BENCH_RECOGNISERS)
    const triggers = new Set(BENCH_RECOGNISERS.flatMap(r => r.triggers)).size
    console.log(
      `Scanner bench${QUICK ? ' (quick)' : ''}: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}; ` +
        `recognisers: ${BENCH_RECOGNISERS.map(r => r.name).join(', ')} (${triggers} triggers)` +
        (STAND_INS_USED ? '; the stand-in recognises nothing' : '')
    )

    // Warm both up, so that neither pays for compiling while measured.
    const generated = Buffer.concat(buildPool())
    for (const make of [makeOld, makeNew]) run(make, chunksOf(generated, 16 * MiB))

    // a. The generated log.
    const a = alternate(
      SIZES.reps,
      () => run(makeOld, chunksOf(generated, SIZES.log)),
      () => run(makeNew, chunksOf(generated, SIZES.log)),
      'generated log'
    )
    rows.push({
      row: 'a',
      what: `generated log, ${mib(SIZES.log)}, ${SIZES.reps}x in turn`,
      before: perGiB(a.a, SIZES.log),
      after: perGiB(a.b, SIZES.log),
      ratio: a.ratio,
      target: TARGETS.generated
    })

    // b. Every line a failure.
    const { lines, source } = failureLines()
    const failures = failurePool(lines)
    let peakRss = 0
    const sampleRss = (): void => {
      peakRss = Math.max(peakRss, process.memoryUsage.rss())
    }
    const b = alternate(
      SIZES.failureReps,
      () => run(makeOld, chunksOf(failures, SIZES.log)),
      () => run(makeNew, chunksOf(failures, SIZES.log), sampleRss),
      'failure log'
    )
    rows.push({
      row: 'b',
      what: `every line a failure, ${mib(SIZES.log)}, ${SIZES.failureReps}x`,
      before: perGiB(b.a, SIZES.log),
      after: perGiB(b.b, SIZES.log),
      ratio: b.ratio,
      target: TARGETS.failures,
      note: `from ${source}, ${lines.length} lines; peak RSS ${mib(peakRss)}`
    })

    // c. Twice the input, at most 2.3 times the CPU.
    const makeHostile: MakeScanner = () => new LogScanner([...BENCH_RECOGNISERS, HOSTILE])
    const longLine = (bytes: number): (() => Run) => {
      const text = Buffer.from(`${'a:'.repeat(bytes / 2)}\n`)
      return () => repeat(SIZES.longLineReps, () => run(makeHostile, chunksOf(text, text.length)))
    }
    const c1 = alternate(SIZES.scaleReps, longLine(1 * MiB), longLine(2 * MiB), 'long line', [
      SIZES.longLineReps,
      SIZES.longLineReps
    ])
    rows.push({
      row: 'c',
      what: `a line of a:a:…, 1 then 2 MiB, ${SIZES.longLineReps} logs of each`,
      before: `${c1.a.toFixed(0)} ms`,
      after: `${c1.b.toFixed(0)} ms`,
      ratio: c1.ratio,
      target: TARGETS.scaling
    })
    const errorLog =
      (count: number): (() => Run) =>
      () =>
        run(makeNew, chunksOf(failures, (failures.length * count) / POOL_LINES))
    const n = SIZES.errorLines
    const c2 = alternate(SIZES.scaleReps, errorLog(n), errorLog(2 * n), 'failure lines', [n, 2 * n])
    rows.push({
      row: 'c',
      what: `${n.toLocaleString('en')} then ${(2 * n).toLocaleString('en')} failure lines`,
      before: `${c2.a.toFixed(0)} ms`,
      after: `${c2.b.toFixed(0)} ms`,
      ratio: c2.ratio,
      target: TARGETS.scaling
    })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }

  const missed = rows.filter(row => !(row.ratio <= row.target))
  const table = [
    ['row', 'workload', 'old / 1x', 'new / 2x', 'ratio', 'target', 'result'],
    ...rows.map(row => [
      row.row,
      row.what,
      row.before,
      row.after,
      row.ratio.toFixed(2),
      `<= ${row.target}`,
      row.ratio <= row.target ? 'ok' : 'MISSED'
    ])
  ]
  const widths = table[0].map((_, i) => Math.max(...table.map(cells => cells[i].length)))
  for (const cells of table) console.log(cells.map((cell, i) => cell.padEnd(widths[i])).join('  '))
  for (const row of rows) if (row.note) console.log(`(${row.row}) ${row.note}`)
  console.log(`peak RSS of the whole bench: ${mib(process.resourceUsage().maxRSS * KiB)}`)
  for (const problem of problems) console.log(`PROBLEM: ${problem}`)
  if (QUICK && missed.length > 0)
    console.log('(quick: ratios at these sizes are reported, not held to their targets)')
  if (problems.length > 0 || (!QUICK && missed.length > 0)) process.exitCode = 1
}

await main()
