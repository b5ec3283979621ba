/**
 * Benchmark of the log scanner on its own, in-process: the scanner of this tree against the one
 * of commit 44e537a (before recognisers), taken from git into a temporary folder. CPU comes from
 * `process.cpuUsage`. Workload 9 of `npm run bench`
 * (`--only 9`) is the full run (a few minutes); with `--quick` it runs small sizes in seconds
 * for CI, and its ratios are reported, not held to their targets, as at those sizes a loaded
 * machine decides them; wrong counts fail it at any size.
 *
 * Rows (issue 30, Performance):
 *   a. 1 GiB of the generated log (the bench's generator) in 64 KiB chunks, old and new scanner
 *      in turn, 9 times: the median ratio of CPU is at most 1.15. Row a0, for reference only:
 *      the same with no recogniser, the floor of the byte pass.
 *   b. A log of the same size in which every line is a failure: captured tool output
 *      (`__fixtures__/failures/{tool}/output.txt`, or the demo's compile errors while there is
 *      none) behind CodeArts prefixes in turn, each line holding a trigger: at most 2x the old
 *      scanner's CPU on that log; peak RSS reported.
 *   c. Linear scaling: a 1 MiB line against a 2 MiB one (`a:a:a:…`), and a million failure lines
 *      against two million: twice the input costs at most 2.3x the CPU.
 *
 * The recognisers are the registry's (src/download/recognisers/index.ts).
 */
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { DEMO_COMPILE_ERRORS } from '../../__fixtures__/demo-logs.js'
import { LogScanner } from '../../src/download/log-scanner.js'
import { GiB, KiB, MiB, type Workload } from './context.js'
import { POOL } from './log-generator.js'
import { median } from './report.js'
import { RECOGNISERS } from '../../src/download/recognisers/index.js'
import type { Recogniser } from '../../src/download/recognisers/recogniser.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
const OLD_COMMIT = '44e537a'
const CHUNK = 64 * KiB

/** The sizes of a run: small ones with --quick. */
const sizesFor = (quick: boolean) =>
  quick
    ? { log: 16 * MiB, reps: 3, failureReps: 1, longLineReps: 4, errorLines: 50_000, scaleReps: 1 }
    : {
        log: 1 * GiB,
        reps: 9,
        failureReps: 3,
        longLineReps: 64,
        errorLines: 1_000_000,
        scaleReps: 3
      }
let SIZES = sizesFor(false)
const TARGETS = { generated: 1.15, failures: 2, scaling: 2.3 }

/** The part of a scanner the bench uses: both versions have it. */
interface Scanner {
  write(chunk: Buffer): void
  finish(): { lines: number; errors: number; warnings: number } | undefined
}
type MakeScanner = () => Scanner

// ---------------------------------------------------------------------------------------------
// The generated log (log-generator.ts), fed as a socket would.

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
const BENCH_RECOGNISERS = RECOGNISERS

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

/** `count` lines of failures (about 4 MiB when not given), behind CodeArts' prefixes in turn. */
function failureLog(lines: readonly string[], count?: number): Buffer {
  const out: string[] = []
  let bytes = 0
  for (let i = 0; count === undefined ? bytes < 4 * MiB : i < count; i++) {
    const line = `${PREFIXES[i % PREFIXES.length](i)}${lines[i % lines.length]}\n`
    out.push(line)
    bytes += line.length
  }
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

/** Everything that went wrong with correctness; any entry fails the run whatever the timings. */
const problems: string[] = []

interface Row {
  row: string
  what: string
  before: string
  after: string
  ratio: number
  /** Absent for a row shown for reference only. */
  target?: number
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

async function measureScanner(quick: boolean): Promise<void> {
  SIZES = sizesFor(quick)
  const QUICK = quick
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cbl-scanner-bench-'))
  try {
    const makeOld = await oldScanner(dir)
    const makeNew: MakeScanner = () => new LogScanner(BENCH_RECOGNISERS)
    const triggers = new Set(BENCH_RECOGNISERS.flatMap(r => r.triggers)).size
    console.log(
      `Scanner bench${QUICK ? ' (quick)' : ''}: node ${process.version}, ${os.cpus()[0]?.model ?? 'unknown CPU'}; ` +
        `recognisers: ${BENCH_RECOGNISERS.map(r => r.name).join(', ')} (${triggers} triggers)`
    )

    // Warm both up, so that neither pays for compiling while measured.
    const generated = Buffer.concat(POOL)
    for (const make of [makeOld, makeNew]) run(make, chunksOf(generated, 16 * MiB))

    // a. The generated log, old scanner against new, in turn; a0 the same with no recogniser:
    // the kernel then looks for the old marks only and its filter lets nothing false through,
    // the floor of the byte pass, for reference (no target).
    const generatedRow = (row: string, what: string, make: MakeScanner, target?: number): void => {
      const { a, b, ratio } = alternate(
        SIZES.reps,
        () => run(makeOld, chunksOf(generated, SIZES.log)),
        () => run(make, chunksOf(generated, SIZES.log)),
        what
      )
      const [before, after] = [perGiB(a, SIZES.log), perGiB(b, SIZES.log)]
      rows.push({ row, what, before, after, ratio, target })
    }
    generatedRow(
      'a',
      `generated log, ${mib(SIZES.log)}, ${SIZES.reps}x in turn`,
      makeNew,
      TARGETS.generated
    )
    generatedRow('a0', 'the same, no recogniser (floor)', () => new LogScanner([]))

    // b. Every line a failure.
    const { lines, source } = failureLines()
    const failures = failureLog(lines)
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
    const errorLog = (count: number): (() => Run) => {
      const text = failureLog(lines, count)
      return () => run(makeNew, chunksOf(text, text.length))
    }
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

  const table = [
    ['row', 'workload', 'old / 1x', 'new / 2x', 'ratio'],
    ...rows.map(row => [row.row, row.what, row.before, row.after, row.ratio.toFixed(2)])
  ]
  const widths = table[0].map((_, i) => Math.max(...table.map(cells => cells[i].length)))
  console.log(
    '\n9. the log scanner in-process: this tree against 44e537a, CPU from process.cpuUsage'
  )
  for (const cells of table)
    console.log(`  ${cells.map((cell, i) => cell.padEnd(widths[i])).join('  ')}`)
  for (const row of rows) if (row.note) console.log(`  (${row.row}) ${row.note}`)
}

export default {
  ids: ['9'],
  async run(bench) {
    await measureScanner(bench.quick)
    bench.problems.push(...problems.map(p => `9: ${p}`))
    for (const row of rows) {
      if (row.target === undefined) continue
      bench.targets.push({
        name: `9${row.row} ${row.what}`.slice(0, 36),
        value: row.ratio,
        op: '<=',
        limit: row.target,
        unit: '×'
      })
    }
  }
} satisfies Workload
