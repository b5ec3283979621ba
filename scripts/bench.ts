/**
 * Benchmark of the bundled action against bare Node.js, curl and gzip baselines on local emulators.
 * `npm run bench` is the full run for people; `npm run bench -- --quick` is the CI guard.
 * Flags: --quick, --reps N, --only 1,2,3,4,5,7,8, --concurrency N, --compression-level N.
 */
import { spawn } from 'node:child_process'
import { createHash, type Hash } from 'node:crypto'
import { createReadStream, existsSync, readFileSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as os from 'node:os'
import * as path from 'node:path'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { createInflateRaw } from 'node:zlib'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import {
  ACTION_ENTRY,
  NODE24,
  parseAnnotations,
  parseOutputFile,
  prepareStep,
  readStdout
} from '../__fixtures__/run-action.js'
import { RECORD_ID, TOKEN } from '../__fixtures__/sample.js'

const KiB = 1024
const MiB = 1024 * KiB
const GiB = 1024 * MiB
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const GNU_TIME = '/usr/bin/time'
const TASK_LOG = /^\/v1\/log\/([^/]+)\/task-log$/

const { values: flags } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    only: { type: 'string' },
    concurrency: { type: 'string' },
    'compression-level': { type: 'string' }
  }
})
const QUICK = flags.quick
// At quick sizes Node's start-up outweighs the work, so the ratios say little about the targets
// and a loaded CI machine makes them noisy: quick mode reports them but fails only on
// correctness, including the deterministic check that the pool really runs C requests at once.

const SIZES = QUICK
  ? {
      reps: 3,
      startupReps: 5,
      manyStages: 12,
      manyBytes: 64 * KiB,
      latencyMs: 50,
      bigStages: 4,
      bigBytes: 16 * MiB,
      memBig: 32 * MiB,
      memHuge: 64 * MiB,
      timeoutMs: 120_000,
      diskNeeded: 1 * GiB,
      followSeconds: 2,
      followAnswers: [1 * MiB],
      sectionStages: 4,
      sectionLatencyMs: 50
    }
  : {
      reps: 5,
      startupReps: 15,
      manyStages: 24,
      manyBytes: 200 * KiB,
      latencyMs: 300,
      bigStages: 4,
      bigBytes: 256 * MiB,
      memBig: 1 * GiB,
      memHuge: 4 * GiB,
      timeoutMs: 600_000,
      // The 4 GiB log, with room to spare for the other runs' files.
      diskNeeded: 6 * GiB,
      followSeconds: 20,
      followAnswers: [1 * MiB, 64 * KiB, 4 * KiB],
      sectionStages: 4,
      sectionLatencyMs: 300
    }
const REPS = flags.reps ? positiveInt('--reps', flags.reps) : SIZES.reps
const ONLY = new Set((flags.only ?? '1,2,3,4,5,7,8').split(',').map(s => s.trim()))

/** Defaults of every action.yml input, which the runner passes as INPUT_* even when unset. */
function actionDefaults(): Record<string, string> {
  const yml = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
  const block = /^inputs:\n((?:(?: {2}.*)?\n)*)/m.exec(yml)?.[1] ?? ''
  const defaults: Record<string, string> = {}
  let input = ''
  for (const line of block.split('\n')) {
    const name = /^ {2}([\w-]+):\s*$/.exec(line)
    if (name) input = name[1]
    const value = /^ {4}default:\s*(?:'([^']*)'|"([^"]*)"|(.*?))\s*$/.exec(line)
    if (value && input) defaults[input] = value[1] ?? value[2] ?? value[3]
  }
  return defaults
}

function positiveInt(flag: string, raw: string): number {
  const n = Number(raw)
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a positive integer, got ${raw}`)
  return n
}

const DEFAULTS = actionDefaults()
if (!DEFAULTS.concurrency) throw new Error('action.yml declares no default for concurrency')
const CONCURRENCY = flags.concurrency
  ? positiveInt('--concurrency', flags.concurrency)
  : Number(DEFAULTS.concurrency)
const ACTION_OVERRIDES: Record<string, string> = {
  ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
  ...(flags['compression-level'] ? { 'compression-level': flags['compression-level'] } : {})
}

/** Everything that went wrong with correctness; any entry fails the run whatever the timings. */
const problems: string[] = []

function check(ok: boolean, message: string): void {
  if (!ok) problems.push(message)
}

// ---------------------------------------------------------------------------------------------
// Generated logs: a pool of pre-built chunks of log lines, picked by a seeded PRNG, so a 1 GiB
// body costs no more memory than the pool and serving is cheap enough not to be the bottleneck.

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
const POOL = buildPool()

/** What the job summary reports for a log. */
interface Counts {
  lines: number
  errors: number
  warnings: number
}

/** The summary's counts worked out independently of the action: split into lines, then search. */
function referenceCounts(text: Buffer): Counts {
  const lines = text.toString('latin1').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return {
    lines: lines.length,
    errors: lines.filter(l => l.includes('[ERROR]')).length,
    warnings: lines.filter(l => l.includes('[WARN')).length
  }
}
// Every pool chunk ends with a newline, so a log's counts are the sum over its chunks.
const POOL_COUNTS = POOL.map(referenceCounts)

/** Feeds what is served to the digest and the reference counts. */
interface Served {
  hash: Hash
  counts: Counts
}

function* logChunks(seed: number, size: number, served: Served | undefined): Generator<Buffer> {
  const r = mulberry32(seed)
  for (let sent = 0; sent < size;) {
    const index = r() % POOL.length
    const chunk = POOL[index]
    const part = chunk.subarray(0, Math.min(chunk.length, size - sent))
    if (served) {
      served.hash.update(part)
      const add = part.length === chunk.length ? POOL_COUNTS[index] : referenceCounts(part)
      served.counts.lines += add.lines
      served.counts.errors += add.errors
      served.counts.warnings += add.warnings
    }
    sent += part.length
    yield part
  }
}

// ---------------------------------------------------------------------------------------------
// The CodeArts emulator, answering log requests itself through `intercept`.

/** What one run (of the action or of a baseline) did to the log server. */
interface Track {
  arrivals: number[]
  requests: Map<string, number>
  inFlight: number
  peakInFlight: number
  lastFinish: number
  errors: string[]
}

interface LogServer {
  api: CodeArtsEmulator
  url(stage: string): string
  /** SHA-256 of each stage's body, known once it has been served whole. */
  expected: Map<string, string>
  /** Reference counts of each stage's body, known once it has been served whole. */
  counts: Map<string, Counts>
  /** Starts attributing requests to a new run. */
  track(): Track
}

/** The `full-stages` answer for the served stages, as the CodeArts API shapes it. */
function stageList(sizes: Map<string, number>): string {
  const stages = [...sizes.keys()].map(stage => [stage, { display_name: stage, status: 'success' }])
  return JSON.stringify({
    status: 'success',
    error: null,
    result: { build_stages: Object.fromEntries(stages) }
  })
}

async function startLogServer(sizes: Map<string, number>, delayMs: number): Promise<LogServer> {
  const expected = new Map<string, string>()
  const counts = new Map<string, Counts>()
  let current: Track | undefined

  async function serve(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const run = current
    if (!run) throw new Error(`request ${req.url} outside any run`)
    if (req.method === 'GET' && url.pathname === `/v1/record/${RECORD_ID}/full-stages`) {
      // The action reads the stage list beside named stages, for the summary's names only.
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(stageList(sizes))
      return
    }
    run.arrivals.push(performance.now())
    const match = TASK_LOG.exec(url.pathname)
    const stage = url.searchParams.get('task_name') ?? ''
    const size = sizes.get(stage)
    const refusal =
      req.method !== 'GET' || !match || decodeURIComponent(match[1]) !== RECORD_ID
        ? 'path'
        : req.headers['x-auth-token'] !== TOKEN
          ? 'X-Auth-Token'
          : url.searchParams.get('log_level') !== 'INFO' ||
              url.searchParams.get('compress') !== 'false'
            ? 'query'
            : size === undefined
              ? 'stage'
              : undefined
    if (refusal !== undefined || size === undefined) {
      run.errors.push(`log server refused ${req.method} ${req.url}: wrong ${refusal}`)
      res.writeHead(400).end()
      return
    }
    run.requests.set(stage, (run.requests.get(stage) ?? 0) + 1)
    run.inFlight++
    run.peakInFlight = Math.max(run.peakInFlight, run.inFlight)
    try {
      await sleep(delayMs)
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': size })
      // Hashing every serve would load a core as much as the client under test; the body is a
      // pure function of the stage, so the first whole serve fixes the expected digest.
      const served = expected.has(stage)
        ? undefined
        : { hash: createHash('sha256'), counts: { lines: 0, errors: 0, warnings: 0 } }
      await pipeline(Readable.from(logChunks(seedOf(stage), size, served)), res)
      if (served) {
        expected.set(stage, served.hash.digest('hex'))
        counts.set(stage, served.counts)
      }
      run.lastFinish = performance.now()
    } finally {
      run.inFlight--
    }
  }

  const api = await startCodeArts({
    intercept: (req, res, url) => {
      serve(req, res, url).catch((error: unknown) => {
        const sink = current?.errors ?? problems
        sink.push(`log server: ${String(error)}`)
        res.destroy()
      })
      return true
    }
  })
  return {
    api,
    url: stage =>
      `${api.url}/v1/log/${RECORD_ID}/task-log?task_name=${stage}&log_level=INFO&compress=false`,
    expected,
    counts,
    track: () => {
      current = {
        arrivals: [],
        requests: new Map(),
        inFlight: 0,
        peakInFlight: 0,
        lastFinish: 0,
        errors: []
      }
      return current
    }
  }
}

function seedOf(stage: string): number {
  return createHash('sha256').update(stage).digest().readUInt32LE(0)
}

function stageNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `stage${i + 1}`)
}

// ---------------------------------------------------------------------------------------------
// Child processes.

interface Measured {
  code: number | null
  wallMs: number
  /** Peak RSS of the measured process, when asked for. */
  rssKiB?: number
  /** User plus system CPU time of the measured process, when GNU time measured it. */
  cpuMs?: number
  startedAt: number
  exitedAt: number
  stdout: string
  stderr: string
}

const running = new Set<number>()
let benchRoot = ''

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** Peak RSS by polling VmHWM, for machines without GNU time; misses only a last-moment rise. */
function pollHighWater(pid: number): () => number {
  let peak = 0
  const read = (): void => {
    try {
      const kb = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
      if (kb) peak = Math.max(peak, Number(kb[1]))
    } catch {
      // The process has exited between two polls.
    }
  }
  const timer = setInterval(read, 5)
  return () => {
    clearInterval(timer)
    return peak
  }
}

async function measure(
  cmd: string,
  argv: string[],
  options: { env?: Record<string, string>; cwd?: string; rss: boolean; stdout?: number }
): Promise<Measured> {
  const useTime = options.rss && existsSync(GNU_TIME)
  const rssFile = path.join(benchRoot, `time-${process.hrtime.bigint()}.txt`)
  const [file, args] = useTime ? [GNU_TIME, ['-v', '-o', rssFile, cmd, ...argv]] : [cmd, argv]
  const startedAt = performance.now()
  // A group of its own, so a timeout kills the measured process and not just GNU time.
  const child = spawn(file, args, {
    cwd: options.cwd,
    env: options.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    stdio: ['ignore', options.stdout ?? 'pipe', 'pipe'],
    detached: true
  })
  const pid = child.pid
  if (pid === undefined) throw new Error(`could not start ${cmd}`)
  running.add(pid)
  const stopPolling = options.rss && !useTime ? pollHighWater(pid) : undefined
  let stdout = ''
  let stderr = ''
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (stdout = (stdout + s).slice(-65536)))
  child.stderr?.setEncoding('utf8').on('data', (s: string) => (stderr = (stderr + s).slice(-65536)))
  const timer = setTimeout(() => killGroup(pid), SIZES.timeoutMs)
  let exitedAt = 0
  child.on('exit', () => (exitedAt = performance.now()))
  const code = await new Promise<number | null>(resolve => child.on('close', resolve))
  clearTimeout(timer)
  running.delete(pid)
  let rssKiB = stopPolling?.()
  let cpuMs: number | undefined
  if (useTime) {
    const report = await fs.readFile(rssFile, 'utf8')
    const field = (label: string): number =>
      Number(new RegExp(`${label}: ([\\d.]+)`).exec(report)?.[1])
    rssKiB = field('Maximum resident set size \\(kbytes\\)')
    cpuMs = (field('User time \\(seconds\\)') + field('System time \\(seconds\\)')) * 1000
    await fs.rm(rssFile)
  }
  return { code, wallMs: exitedAt - startedAt, rssKiB, cpuMs, startedAt, exitedAt, stdout, stderr }
}

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}

/** Checks each stage's file holds exactly what the server sent. */
async function verifyFiles(who: string, server: LogServer, files: Map<string, string>) {
  for (const [stage, file] of files) {
    const want = server.expected.get(stage)
    if (!want) {
      problems.push(`${who}: ${stage} was never served whole`)
      continue
    }
    const got = existsSync(file) ? await sha256File(file) : 'missing'
    check(got === want, `${who}: ${path.basename(file)} SHA-256 ${got} ≠ served ${want}`)
  }
}

function checkTrack(who: string, track: Track, stages: string[], limit: number): void {
  problems.push(...track.errors.map(e => `${who}: ${e}`))
  for (const stage of stages) {
    const n = track.requests.get(stage) ?? 0
    check(n === 1, `${who}: ${stage} requested ${n} times, expected once`)
  }
  check(
    track.peakInFlight <= limit,
    `${who}: ${track.peakInFlight} requests in flight, more than ${limit}`
  )
}

// ---------------------------------------------------------------------------------------------
// The runners being compared.

interface ActionResult {
  m: Measured
  track: Track
  /** Size of the uploaded zip and how many blocks it was staged in. */
  artifact?: { bytes: number; blocks: number }
}

/** Runs dist/index.js under Node 24 as the runner would, then checks every byte it kept. */
async function runAction(
  server: LogServer,
  stages: string[],
  options: { upload: boolean; rss?: boolean; keep?: (logDir: string) => Promise<void> }
): Promise<ActionResult> {
  const results = options.upload ? await startResultsService() : undefined
  const inputs: Record<string, string> = {
    ...DEFAULTS,
    'record-id': RECORD_ID,
    'task-names': stages.join(', '),
    token: TOKEN,
    endpoint: server.api.url,
    upload: String(options.upload),
    ...ACTION_OVERRIDES
  }
  const runtime: Record<string, string> = results
    ? {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('run-backend-1', 'job-backend-1'),
        ACTIONS_RESULTS_URL: results.url
      }
    : {}
  const { root, workspace, outputFile, summaryFile, env } = await prepareStep(
    inputs,
    runtime,
    benchRoot
  )
  try {
    const track = server.track()
    const m = await measure(NODE24, [ACTION_ENTRY], {
      env,
      cwd: workspace,
      rss: options.rss ?? true
    })
    const who = `action (${stages.length} stage(s))`
    const concurrency = Number(inputs.concurrency)
    checkTrack(who, track, stages, concurrency)
    check(m.code === 0, `${who} exited ${m.code}:\n${m.stdout}\n${m.stderr}`)
    const outputs = parseOutputFile(await fs.readFile(outputFile, 'utf8'))
    check(outputs['failed-stages'] === '[]', `${who}: failed-stages ${outputs['failed-stages']}`)
    const files = JSON.parse(outputs.files ?? '[]') as string[]
    check(files.length === stages.length, `${who}: ${files.length} files for ${stages.length}`)
    await verifyFiles(who, server, new Map(stages.map((s, i) => [s, files[i] ?? ''])))
    checkCounts(who, server, stages, await fs.readFile(summaryFile, 'utf8'))
    const artifact = results && {
      bytes: await verifyArtifact(who, server, stages, results, outputs),
      blocks: results.requests.filter(r => /[?&]comp=block(&|$)/.test(r.path)).length
    }
    await options.keep?.(outputs['log-dir'] ?? '')
    return { m, track, artifact }
  } finally {
    await results?.close()
    await fs.rm(root, { recursive: true, force: true })
  }
}

/** Checks the job summary's line, error and warning counts against the reference counts. */
function checkCounts(who: string, server: LogServer, stages: string[], summary: string): void {
  for (const stage of stages) {
    // Cells are found by their column headings, so a column added to the table cannot shift them.
    const rows = summary.split('\n').map(line => line.split('|').map(cell => cell.trim()))
    const heading = rows.find(cells => cells.includes('Lines')) ?? []
    const cells = rows.find(cells => cells[1] === stage) ?? []
    const [lines, errors, warnings] = ['Lines', 'Errors', 'Warnings'].map(name =>
      parseInt(cells[heading.indexOf(name)] ?? '', 10)
    )
    const want = server.counts.get(stage)
    check(
      want !== undefined &&
        lines === want.lines &&
        errors === want.errors &&
        warnings === want.warnings,
      `${who}: ${stage} summary counts ${lines}/${errors}/${warnings} ≠ reference ${want?.lines}/${want?.errors}/${want?.warnings}`
    )
  }
}

/** Checks the uploaded zip: its digest is the one reported and each entry inflates to what was served. */
async function verifyArtifact(
  who: string,
  server: LogServer,
  stages: string[],
  results: ResultsService,
  outputs: Record<string, string>
): Promise<number> {
  const artifact = results.artifacts[0]
  if (results.artifacts.length !== 1 || !artifact) {
    problems.push(`${who}: ${results.artifacts.length} artifacts stored, expected 1`)
    return 0
  }
  const zip = artifact.bytes
  const digest = createHash('sha256').update(zip).digest('hex')
  check(outputs['artifact-digest'] === digest, `${who}: artifact-digest ≠ SHA-256 of the blob`)
  const entries = await zipEntryDigests(zip)
  check(
    [...entries.keys()].sort().join() ===
      stages
        .map(s => `${s}.log`)
        .sort()
        .join(),
    `${who}: zip holds ${[...entries.keys()].join(', ')}`
  )
  for (const stage of stages) {
    const got = entries.get(`${stage}.log`)
    check(got === server.expected.get(stage), `${who}: zipped ${stage}.log differs from served`)
  }
  return zip.length
}

/**
 * SHA-256 of each entry's inflated bytes, streamed so a 1 GiB entry is never held whole;
 * __fixtures__/zip.ts's readZip does the full validation but inflates into memory.
 */
async function zipEntryDigests(zip: Buffer): Promise<Map<string, string>> {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]))
  if (eocd < 0) throw new Error('artifact is not a zip')
  const digests = new Map<string, string>()
  let pos = zip.readUInt32LE(eocd + 16)
  for (let i = zip.readUInt16LE(eocd + 10); i > 0; i--) {
    if (zip.readUInt32LE(pos) !== 0x02014b50) throw new Error(`bad central entry at ${pos}`)
    const method = zip.readUInt16LE(pos + 10)
    const compressed = zip.readUInt32LE(pos + 20)
    const nameLength = zip.readUInt16LE(pos + 28)
    const local = zip.readUInt32LE(pos + 42)
    if (compressed === 0xffffffff || local === 0xffffffff) throw new Error('zip64 entry')
    const name = zip.toString('utf8', pos + 46, pos + 46 + nameLength)
    pos += 46 + nameLength + zip.readUInt16LE(pos + 30) + zip.readUInt16LE(pos + 32)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(start, start + compressed)
    const hash = createHash('sha256')
    if (method === 8) {
      const inflate = createInflateRaw()
      inflate.end(data)
      for await (const chunk of inflate) hash.update(chunk as Buffer)
    } else {
      hash.update(data)
    }
    digests.set(name, hash.digest('hex'))
  }
  return digests
}

/**
 * Runs a baseline that saves each stage to the file it is given, then checks its requests, exit
 * code and every byte it saved.
 */
async function runBaseline(
  who: string,
  server: LogServer,
  stages: string[],
  limit: number,
  run: (files: Map<string, string>) => Promise<Measured>
): Promise<Measured> {
  const dir = await fs.mkdtemp(path.join(benchRoot, 'baseline-'))
  try {
    const files = new Map(stages.map(s => [s, path.join(dir, `${s}.log`)]))
    const track = server.track()
    const m = await run(files)
    checkTrack(who, track, stages, limit)
    check(m.code === 0, `${who} exited ${m.code}: ${m.stderr}`)
    await verifyFiles(who, server, files)
    return m
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

/** Runs curl on the stages' URLs, in parallel (at most `parallel`) or as a loop of single fetches. */
async function runCurl(
  server: LogServer,
  stages: string[],
  parallel: number | 'loop'
): Promise<Measured> {
  const who = parallel === 'loop' ? 'curl loop' : `curl --parallel-max ${parallel}`
  return runBaseline(who, server, stages, parallel === 'loop' ? 1 : parallel, files =>
    parallel === 'loop'
      ? measure(
          'sh',
          [
            '-c',
            'while [ $# -gt 0 ]; do curl --silent --show-error --fail -H "X-Auth-Token: $T" -o "$1" "$2" || exit 1; shift 2; done',
            'sh',
            ...stages.flatMap(s => [files.get(s) ?? '', server.url(s)])
          ],
          { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', T: TOKEN }, rss: true }
        )
      : measure(
          'curl',
          [
            ...['--silent', '--show-error', '--fail', '-H', `X-Auth-Token: ${TOKEN}`],
            ...['--parallel', '--parallel-max', String(parallel)],
            ...stages.flatMap(s => ['-o', files.get(s) ?? '', server.url(s)])
          ],
          { rss: true }
        )
  )
}

// The practical limit for a JavaScript action: each body straight from the socket to its file.
const BARE_NODE = `const http = require('node:http'), fs = require('node:fs'), { pipeline } = require('node:stream/promises')
const args = process.argv.slice(1)
const get = (url, file) => new Promise((resolve, reject) => http.get(url, { headers: { 'X-Auth-Token': process.env.T } }, r => r.statusCode === 200 ? pipeline(r, fs.createWriteStream(file)).then(resolve, reject) : reject(new Error('HTTP ' + r.statusCode))).on('error', reject))
Promise.all(args.filter((_, i) => i % 2 === 0).map((url, i) => get(url, args[2 * i + 1]))).catch(e => { console.error(e); process.exit(1) })`

/** Runs the bare Node.js pipeline under the action's Node, every stage at once. */
async function runBareNode(server: LogServer, stages: string[]): Promise<Measured> {
  return runBaseline('bare node', server, stages, stages.length, files =>
    measure(
      NODE24,
      ['-e', BARE_NODE, ...stages.flatMap(s => [server.url(s), files.get(s) ?? ''])],
      {
        env: { T: TOKEN },
        rss: true
      }
    )
  )
}

// ---------------------------------------------------------------------------------------------
// Statistics and the report.

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** Samples of one runner, in milliseconds or KiB. */
class Series {
  readonly wall: number[] = []
  readonly rss: number[] = []
  readonly cpu: number[] = []
  readonly extra: number[] = []
  constructor(
    readonly label: string,
    readonly extraLabel = ''
  ) {}
  add(m: Measured, extra?: number): void {
    this.wall.push(m.wallMs)
    if (m.rssKiB !== undefined) this.rss.push(m.rssKiB)
    if (m.cpuMs !== undefined) this.cpu.push(m.cpuMs)
    if (extra !== undefined) this.extra.push(extra)
  }
}

interface Target {
  name: string
  value: number
  op: '<=' | '>='
  limit: number
  unit: string
}

const targets: Target[] = []

/** Records a target on the ratio of two medians, e.g. action time over curl time. */
function ratioTarget(
  name: string,
  numerator: number[],
  denominator: number[],
  op: Target['op'],
  limit: number
): void {
  targets.push({ name, value: median(numerator) / median(denominator), op, limit, unit: '×' })
}
const pad = (s: string, n: number): string => s.padEnd(n)
const num = (v: number, digits = 0): string => (Number.isFinite(v) ? v.toFixed(digits) : '—')

function printSeries(title: string, series: Series[]): void {
  console.log(`\n${title}`)
  console.log(
    `  ${pad('runner', 38)}${'median ms'.padStart(10)}${'min'.padStart(8)}${'max'.padStart(8)}${'CPU ms'.padStart(8)}${'RSS MiB'.padStart(9)}  extra (median)`
  )
  for (const s of series.filter(x => x.wall.length > 0)) {
    const rss = s.rss.length ? num(median(s.rss) / KiB, 1) : '—'
    const cpu = s.cpu.length ? num(median(s.cpu)) : '—'
    const extra = s.extra.length ? `${s.extraLabel} ${num(median(s.extra))} ms` : ''
    console.log(
      `  ${pad(s.label, 38)}${num(median(s.wall)).padStart(10)}${num(Math.min(...s.wall)).padStart(8)}${num(Math.max(...s.wall)).padStart(8)}${cpu.padStart(8)}${rss.padStart(9)}  ${extra}`
    )
  }
}

/** Rotates the order of the runners every repetition, so drift and warm-up hit them all alike. */
async function alternate(reps: number, runners: (() => Promise<void>)[]): Promise<void> {
  for (let rep = 0; rep < reps; rep++) {
    for (let i = 0; i < runners.length; i++) await runners[(rep + i) % runners.length]()
  }
}

// ---------------------------------------------------------------------------------------------
// Scenarios.

async function manyStages(): Promise<void> {
  const stages = stageNames(SIZES.manyStages)
  const server = await startLogServer(
    new Map(stages.map(s => [s, SIZES.manyBytes])),
    SIZES.latencyMs
  )
  try {
    const action = new Series('action (upload: false)')
    let peak = 0
    const par = new Series(`curl --parallel --parallel-max ${CONCURRENCY}`)
    const loop = new Series('curl sequential loop')
    await alternate(REPS, [
      async () => {
        const r = await runAction(server, stages, { upload: false })
        action.add(r.m)
        peak = Math.max(peak, r.track.peakInFlight)
      },
      async () => par.add(await runCurl(server, stages, CONCURRENCY)),
      async () => loop.add(await runCurl(server, stages, 'loop'))
    ])
    printSeries(
      `1. ${stages.length} stages × ${SIZES.manyBytes / KiB} KiB, ${SIZES.latencyMs} ms latency, C=${CONCURRENCY}`,
      [action, par, loop]
    )
    console.log(`  the action had at most ${peak} requests in flight`)
    // The latency keeps every worker's request open together, so anything short of C is a pool bug.
    const want = Math.min(CONCURRENCY, stages.length)
    check(peak === want, `action had at most ${peak} requests in flight, expected ${want}`)
    ratioTarget('1a action / curl --parallel', action.wall, par.wall, '<=', 1.25)
    ratioTarget('1b curl loop / action', loop.wall, action.wall, '>=', 4)
  } finally {
    await server.api.close()
  }
}

async function throughput(): Promise<void> {
  const stages = stageNames(SIZES.bigStages)
  const server = await startLogServer(new Map(stages.map(s => [s, SIZES.bigBytes])), 0)
  try {
    const action = new Series('action (upload: false)')
    const bare = new Series('bare node http.get → pipeline → file')
    const par = new Series(`curl --parallel --parallel-max ${CONCURRENCY}`)
    await alternate(REPS, [
      async () => action.add((await runAction(server, stages, { upload: false })).m),
      async () => bare.add(await runBareNode(server, stages)),
      async () => par.add(await runCurl(server, stages, CONCURRENCY))
    ])
    const total = (stages.length * SIZES.bigBytes) / MiB
    const rate = (s: Series): string => `${num(total / (median(s.wall) / 1000))} MiB/s`
    printSeries(`2. ${stages.length} stages × ${SIZES.bigBytes / MiB} MiB at once, no latency`, [
      action,
      bare,
      par
    ])
    console.log(
      `  throughput: action ${rate(action)}, bare node ${rate(bare)}, curl ${rate(par)}; curl / bare node ${num(median(par.wall) / median(bare.wall), 2)}×`
    )
    ratioTarget('2 action / bare node', action.wall, bare.wall, '<=', 1.3)
  } finally {
    await server.api.close()
  }
}

async function memoryAndUpload(): Promise<void> {
  const server = await startLogServer(
    new Map([
      ['stage2', SIZES.memBig],
      ['stage3', SIZES.memHuge]
    ]),
    0
  )
  const devNull = await fs.open('/dev/null', 'w')
  try {
    const plain = new Series(`action, ${SIZES.memBig / MiB} MiB log, no upload`)
    const huge = new Series(`action, ${SIZES.memHuge / MiB} MiB log, no upload`)
    const big = new Series(`action, ${SIZES.memBig / MiB} MiB log, upload`, 'upload phase')
    const gzip = new Series(`gzip -6 of the same ${SIZES.memBig / MiB} MiB`)
    const zipBytes: number[] = []
    const blocks: number[] = []
    const runners = [
      async () => {
        const r = await runAction(server, ['stage2'], {
          upload: true,
          // gzip reads the very file the action zipped, while it is still on disk.
          keep: async dir => {
            if (ONLY.has('5')) {
              const file = path.join(dir, 'stage2.log')
              const m = await measure('gzip', ['-6', '-c', file], { rss: true, stdout: devNull.fd })
              check(m.code === 0, `gzip exited ${m.code}: ${m.stderr}`)
              gzip.add(m)
            }
          }
        })
        // From the last log byte sent to the exit: closing the file, zipping, uploading, finalizing.
        big.add(r.m, r.m.exitedAt - r.track.lastFinish)
        zipBytes.push(r.artifact?.bytes ?? 0)
        blocks.push(r.artifact?.blocks ?? 0)
      }
    ]
    if (ONLY.has('3')) {
      runners.push(
        async () => plain.add((await runAction(server, ['stage2'], { upload: false })).m),
        async () => huge.add((await runAction(server, ['stage3'], { upload: false })).m)
      )
    }
    await alternate(REPS, runners)
    printSeries(`3/5. one log, alone or uploaded to the results emulator`, [plain, huge, big, gzip])
    console.log(
      `  artifact zip: ${num(median(zipBytes) / MiB, 1)} MiB for ${SIZES.memBig / MiB} MiB of log (compression-level ${ACTION_OVERRIDES['compression-level'] ?? DEFAULTS['compression-level']}), staged in ${median(blocks)} blocks; a body over the results emulator's 256 MiB cap would have failed the upload`
    )
    if (ONLY.has('3')) {
      targets.push({
        name: `3a peak RSS, ${SIZES.memBig / MiB} MiB log, upload`,
        value: median(big.rss) / KiB,
        op: '<=',
        limit: 150,
        unit: ' MiB'
      })
      targets.push({
        name: `3b RSS ${SIZES.memHuge / MiB} − ${SIZES.memBig / MiB} MiB log`,
        value: (median(huge.rss) - median(plain.rss)) / KiB,
        op: '<=',
        limit: 8,
        unit: ' MiB'
      })
    }
    if (ONLY.has('5')) {
      ratioTarget('5 upload phase / gzip -6', big.extra, gzip.wall, '<=', 1.5)
    }
  } finally {
    await devNull.close()
    await server.api.close()
  }
}

async function startup(): Promise<void> {
  const server = await startLogServer(new Map([['stage1', 64 * KiB]]), 0)
  const script = `require('node:http').get(process.argv[1], { headers: { 'X-Auth-Token': process.env.T } }, r => { r.resume(); r.on('end', () => process.exit(r.statusCode === 200 ? 0 : 1)) })`
  try {
    const action = new Series('action (upload: false)', 'first request')
    const bare = new Series('node -e http.get', 'first request')
    const first = (m: Measured, t: Track): number => (t.arrivals[0] ?? NaN) - m.startedAt
    // Untimed: the first start of a binary pays for cold page cache, which neither should.
    await runAction(server, ['stage1'], { upload: false, rss: false })
    await alternate(SIZES.startupReps, [
      async () => {
        const r = await runAction(server, ['stage1'], { upload: false, rss: false })
        action.add(r.m, first(r.m, r.track))
      },
      async () => {
        const track = server.track()
        const m = await measure(NODE24, ['-e', script, server.url('stage1')], {
          env: { T: TOKEN },
          rss: false
        })
        check(m.code === 0, `node -e exited ${m.code}: ${m.stderr}`)
        checkTrack('node -e', track, ['stage1'], 1)
        bare.add(m, first(m, track))
      }
    ])
    printSeries('4. start-up: process start → first request at the emulator', [action, bare])
    ratioTarget('4 start-up action / node -e', action.extra, bare.extra, '<=', 2)
  } finally {
    await server.api.close()
  }
}

const SECTIONS_JOB = 'b'.repeat(32)

/**
 * A job's build read with and without the summary's own requests (the unit test report and the
 * build's outputs), every request answered after the link's latency: the sections' requests go
 * first in the pool of the log downloads, so they should cost next to nothing.
 */
async function summarySections(): Promise<void> {
  const stages = stageNames(SIZES.sectionStages)
  const latency = SIZES.sectionLatencyMs
  const log = '[2025/06/26 14:23:32.169 GMT+08:00] [INFO] [build] : a line of the log\n'.repeat(
    2000
  )
  const t0 = Date.UTC(2024, 5, 26, 8, 25, 9)
  const api = await startCodeArts({
    token: TOKEN,
    answerDelayMs: latency,
    logs: { [RECORD_ID]: Object.fromEntries(stages.map(s => [s, log])) },
    stages: {
      [RECORD_ID]: Object.fromEntries(
        stages.map((stage, i) => [
          stage,
          {
            display_name: `Action ${i + 1}`,
            status: 'success',
            start_time: t0 + i * 10_000,
            finish_time: t0 + (i + 1) * 10_000
          }
        ])
      )
    },
    records: { [`${SECTIONS_JOB}/7`]: { build_record_id: RECORD_ID, build_no: 7 } },
    testReports: {
      [`${SECTIONS_JOB}/7`]: { summary: { total: 412, success: 410, failures: 2 } }
    },
    buildOutputs: {
      [`${SECTIONS_JOB}/7`]: { package_info: { name: 'app', version: '1.0.0', uri: 'a.jar' } }
    }
  })
  const run = async (summary: boolean, series: Series): Promise<void> => {
    const { root, workspace, outputFile, summaryFile, env } = await prepareStep(
      {
        ...DEFAULTS,
        'job-id': SECTIONS_JOB,
        'build-number': '7',
        token: TOKEN,
        endpoint: api.url,
        upload: 'false',
        summary: String(summary),
        ...ACTION_OVERRIDES
      },
      {},
      benchRoot
    )
    const since = api.requests.length
    try {
      const m = await measure(NODE24, [ACTION_ENTRY], { env, cwd: workspace, rss: false })
      const who = `sections ${summary ? 'on' : 'off'}`
      check(m.code === 0, `${who} exited ${m.code}:\n${m.stdout}\n${m.stderr}`)
      const asked = api.requests.slice(since).map(r => r.path)
      const extra = asked.filter(p => p.endsWith('/summary') || p.endsWith('/output-info'))
      check(extra.length === (summary ? 2 : 0), `${who}: ${extra.length} section requests`)
      const outputs = parseOutputFile(await fs.readFile(outputFile, 'utf8'))
      const text = await fs.readFile(summaryFile, 'utf8')
      check(
        !summary || (text.includes('### Tests') && outputs.packages?.includes('"app"') === true),
        `${who}: no Tests section or packages output`
      )
      series.add(m)
    } finally {
      await fs.rm(root, { recursive: true, force: true })
    }
  }
  try {
    const on = new Series('action, summary: true (2 more requests)')
    const off = new Series('action, summary: false')
    await alternate(REPS, [() => run(true, on), () => run(false, off)])
    printSeries(
      `8. summary sections: a job's build of ${stages.length} actions, ${latency} ms per request, C=${CONCURRENCY}`,
      [on, off]
    )
    const cost = (median(on.wall) - median(off.wall)) / 1000
    console.log(`  the sections cost ${num(cost * 1000)} ms (difference of the medians)`)
    targets.push({
      name: `8 sections' cost at ${latency} ms`,
      value: cost,
      op: '<=',
      limit: 0.4,
      unit: ' s'
    })
  } finally {
    await api.close()
  }
}

/** A build's log written at 1 MiB/s, followed by the action with poll-seconds 2. */
async function follow(): Promise<void> {
  const rate = 1 * MiB
  const pollSeconds = 2
  const whole = Buffer.concat([...logChunks(7, SIZES.followSeconds * rate, undefined)])
  // Whole lines only, so a log printed whole is exactly the text.
  const text = whole.subarray(0, whole.lastIndexOf(0x0a) + 1).toString('latin1')
  const jobId = 'f'.repeat(32)
  console.log(
    `\n7. follow: a build writing ${num(text.length / MiB, 1)} MiB of log at ${rate / MiB} MiB/s, followed with poll-seconds ${pollSeconds}; one run per answer size${QUICK ? ' (quick: a short log, one answer size)' : ''}`
  )
  console.log(
    `  ${pad('most text per answer', 22)}${'CPU'.padStart(8)}${'wall s'.padStart(8)}${'end→exit s'.padStart(12)}${'poll gap s'.padStart(12)}${'printed'.padStart(9)}${'requests'.padStart(10)}${'peak/s'.padStart(8)}  notice`
  )
  for (const chunkBytes of SIZES.followAnswers) {
    const api = await startCodeArts({
      token: TOKEN,
      records: { [`${jobId}/1`]: { build_record_id: RECORD_ID, build_no: 1 } },
      stages: {
        [RECORD_ID]: {
          s1: { execution_stage_name: 'stage1', display_name: 'Build', status: 'success' }
        }
      },
      logs: { [RECORD_ID]: { stage1: text } },
      liveLogs: {
        [`${jobId}/1`]: {
          text,
          recordId: RECORD_ID,
          written: [],
          writtenPerSecond: rate,
          chunkBytes
        }
      }
    })
    const inputs: Record<string, string> = {
      ...DEFAULTS,
      token: TOKEN,
      endpoint: api.url,
      'job-id': jobId,
      'build-number': '1',
      'wait-minutes': '10',
      'poll-seconds': String(pollSeconds),
      upload: 'false'
    }
    const { root, workspace, env } = await prepareStep(inputs, {}, benchRoot)
    const stdoutFile = path.join(root, 'stdout')
    const out = await fs.open(stdoutFile, 'w')
    try {
      const m = await measure(NODE24, [ACTION_ENTRY], {
        env,
        cwd: workspace,
        rss: true,
        stdout: out.fd
      })
      const who = `follow, answers of ${formatSize(chunkBytes)}`
      check(m.code === 0, `${who}: exited ${m.code}: ${m.stderr}`)
      const stdout = await fs.readFile(stdoutFile, 'utf8')
      const { inert } = readStdout(stdout)
      const notices = parseAnnotations(stdout).filter(a => a.title === 'Live log not shown whole')
      const polls = api.requests
        .filter(r => r.path === `/v1/record/${RECORD_ID}/info`)
        .map(r => r.at)
      const live = api.requests.filter(r => r.path.endsWith('/real-time-log')).map(r => r.at)
      const gap = Math.max(...polls.slice(1).map((at, i) => at - polls[i])) / 1000
      const peak = Math.max(0, ...live.map(at => live.filter(t => t >= at && t < at + 1000).length))
      const builtAt = polls[0] + (text.length / rate) * 1000
      const endToExit = (performance.timeOrigin + m.exitedAt - builtAt) / 1000
      const cpu = ((m.cpuMs ?? NaN) / m.wallMs) * 100
      const printed = (inert.length / text.length) * 100
      // Either the whole log once, in order, or its exact beginning and one notice saying how much.
      const said = `The job log shows the first ${formatSize(Buffer.byteLength(inert))} of the build's log;`
      check(text.startsWith(inert), `${who}: the printed text is not the log's exact beginning`)
      check(
        inert === text
          ? notices.length === 0
          : notices.length === 1 && notices[0].message.startsWith(said),
        `${who}: ${num(printed, 1)} % printed, with ${notices.length} notice(s): ${notices.map(n => n.message).join(' | ')}`
      )
      check(peak <= 4, `${who}: ${peak} live log requests within one second`)
      console.log(
        `  ${pad(formatSize(chunkBytes), 22)}${`${num(cpu, 1)} %`.padStart(8)}${num(m.wallMs / 1000, 1).padStart(8)}${num(endToExit, 1).padStart(12)}${num(gap, 1).padStart(12)}${`${num(printed, 1)} %`.padStart(9)}${String(live.length).padStart(10)}${String(peak).padStart(8)}  ${notices[0]?.message ?? '—'}`
      )
      const size = formatSize(chunkBytes)
      targets.push(
        { name: `7 CPU, answers of ${size}`, value: cpu, op: '<=', limit: 5, unit: ' %' },
        {
          name: `7 poll gap, answers of ${size}`,
          value: gap,
          op: '<=',
          limit: pollSeconds + 1,
          unit: ' s'
        },
        {
          name: `7 end → exit, answers of ${size}`,
          value: endToExit,
          op: '<=',
          limit: 15,
          unit: ' s'
        }
      )
    } finally {
      await out.close()
      await api.close()
      await fs.rm(root, { recursive: true, force: true })
    }
  }
}

/** A size as the action's notices write it: bytes, or KiB and MiB with one decimal. */
function formatSize(bytes: number): string {
  if (bytes < KiB) return `${bytes} B`
  return bytes < MiB ? `${(bytes / KiB).toFixed(1)} KiB` : `${(bytes / MiB).toFixed(1)} MiB`
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const started = performance.now()
  const free = await fs.statfs(os.tmpdir())
  if (free.bavail * free.bsize < SIZES.diskNeeded) {
    throw new Error(
      `${os.tmpdir()} has ${num((free.bavail * free.bsize) / GiB, 1)} GiB free; the bench needs ${SIZES.diskNeeded / GiB} GiB`
    )
  }
  benchRoot = await fs.mkdtemp(path.join(os.tmpdir(), 'cbl-bench-'))
  const cleanUp = (): void => {
    for (const pid of running) killGroup(pid)
    void fs.rm(benchRoot, { recursive: true, force: true }).finally(() => process.exit(130))
  }
  process.once('SIGINT', cleanUp)
  process.once('SIGTERM', cleanUp)
  console.log(
    `${QUICK ? 'quick' : 'full'} bench, ${REPS} repetitions, ${os.cpus().length} CPUs, Node ${process.version} (action under ${NODE24}), dist/index.js sha256 ${createHash('sha256').update(readFileSync(ACTION_ENTRY)).digest('hex').slice(0, 12)}, action.yml concurrency default ${DEFAULTS.concurrency}${flags.concurrency ? `, overridden to ${CONCURRENCY}` : ''}, load average ${os
      .loadavg()
      .map(l => num(l, 2))
      .join(' ')}`
  )
  try {
    if (ONLY.has('1')) await manyStages()
    if (ONLY.has('2')) await throughput()
    if (ONLY.has('3') || ONLY.has('5')) await memoryAndUpload()
    if (ONLY.has('4')) await startup()
    if (ONLY.has('7')) await follow()
    if (ONLY.has('8')) await summarySections()
  } finally {
    await fs.rm(benchRoot, { recursive: true, force: true })
  }

  console.log(
    `\ntargets${QUICK ? ' (quick: small sizes, so reported only; not the real targets)' : ''}`
  )
  let missed = 0
  for (const t of targets) {
    const margin = t.op === '<=' ? (t.limit - t.value) / t.limit : (t.value - t.limit) / t.limit
    const met = margin >= 0
    if (!met && !QUICK) missed++
    console.log(
      `  ${pad(t.name, 36)}${`${num(t.value, 2)}${t.unit}`.padStart(12)}  ${t.op === '<=' ? '≤' : '≥'} ${t.limit}${t.unit}  ${met ? 'met' : QUICK ? 'miss (info)' : 'MISSED'} (${margin >= 0 ? '+' : ''}${num(margin * 100)}%)`
    )
  }
  console.log(
    `  6 checks: ${problems.length === 0 ? 'every byte received equals every byte served, every summary count equals the reference count' : `${problems.length} problem(s)`}`
  )
  for (const p of problems) console.log(`    ✗ ${p}`)
  console.log(
    `\nload average ${os
      .loadavg()
      .map(l => num(l, 2))
      .join(
        ' '
      )}; bench process peak RSS ${num(process.resourceUsage().maxRSS / KiB)} MiB; took ${num((performance.now() - started) / 1000, 1)} s`
  )
  return problems.length > 0 || missed > 0 ? 1 : 0
}

process.exitCode = await main()
