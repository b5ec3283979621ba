/** The runners being compared: the bundled action, curl and bare Node.js, each checked byte for byte. */
import { createHash } from 'node:crypto'
import { createReadStream, existsSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { pipeline } from 'node:stream/promises'
import { createInflateRaw } from 'node:zlib'
import { makeRuntimeToken } from '../../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../../__fixtures__/results-service.js'
import {
  ACTION_ENTRY,
  NODE24,
  parseOutputFile,
  prepareStep
} from '../../__fixtures__/run-action.js'
import { RECORD_ID, TOKEN } from '../../__fixtures__/sample.js'
import { check, type Bench } from './context.js'
import type { LogServer, Track } from './log-server.js'
import { measure, type Measured } from './measure.js'

async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256')
  await pipeline(createReadStream(file), hash)
  return hash.digest('hex')
}

/** Checks each stage's file holds exactly what the server sent. */
async function verifyFiles(
  bench: Bench,
  who: string,
  server: LogServer,
  files: Map<string, string>
): Promise<void> {
  for (const [stage, file] of files) {
    const want = server.expected.get(stage)
    if (!want) {
      bench.problems.push(`${who}: ${stage} was never served whole`)
      continue
    }
    const got = existsSync(file) ? await sha256File(file) : 'missing'
    check(bench, got === want, `${who}: ${path.basename(file)} SHA-256 ${got} ≠ served ${want}`)
  }
}

/** Checks a run asked for each stage once, and never had more than `limit` requests open. */
export function checkTrack(
  bench: Bench,
  who: string,
  track: Track,
  stages: string[],
  limit: number
): void {
  bench.problems.push(...track.errors.map(e => `${who}: ${e}`))
  for (const stage of stages) {
    const n = track.requests.get(stage) ?? 0
    check(bench, n === 1, `${who}: ${stage} requested ${n} times, expected once`)
  }
  check(
    bench,
    track.peakInFlight <= limit,
    `${who}: ${track.peakInFlight} requests in flight, more than ${limit}`
  )
}

export interface ActionResult {
  m: Measured
  track: Track
  /** Size of the uploaded zip and how many blocks it was staged in. */
  artifact?: { bytes: number; blocks: number }
}

/** Runs dist/index.js under Node 24 as the runner would, then checks every byte it kept. */
export async function runAction(
  bench: Bench,
  server: LogServer,
  stages: string[],
  options: { upload: boolean; rss?: boolean; keep?: (logDir: string) => Promise<void> }
): Promise<ActionResult> {
  const results = options.upload ? await startResultsService() : undefined
  const inputs: Record<string, string> = {
    ...bench.defaults,
    'record-id': RECORD_ID,
    'task-names': stages.join(', '),
    token: TOKEN,
    endpoint: server.api.url,
    upload: String(options.upload),
    ...bench.overrides
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
    bench.root
  )
  try {
    const track = server.track()
    const m = await measure(bench, NODE24, [ACTION_ENTRY], {
      env,
      cwd: workspace,
      rss: options.rss ?? true
    })
    const who = `action (${stages.length} stage(s))`
    const concurrency = Number(inputs.concurrency)
    checkTrack(bench, who, track, stages, concurrency)
    check(bench, m.code === 0, `${who} exited ${m.code}:\n${m.stdout}\n${m.stderr}`)
    const outputs = parseOutputFile(await fs.readFile(outputFile, 'utf8'))
    check(
      bench,
      outputs['failed-stages'] === '[]',
      `${who}: failed-stages ${outputs['failed-stages']}`
    )
    const files = JSON.parse(outputs.files ?? '[]') as string[]
    check(
      bench,
      files.length === stages.length,
      `${who}: ${files.length} files for ${stages.length}`
    )
    await verifyFiles(bench, who, server, new Map(stages.map((s, i) => [s, files[i] ?? ''])))
    checkCounts(bench, who, server, stages, await fs.readFile(summaryFile, 'utf8'))
    const artifact = results && {
      bytes: await verifyArtifact(bench, who, server, stages, results, outputs),
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
function checkCounts(
  bench: Bench,
  who: string,
  server: LogServer,
  stages: string[],
  summary: string
): void {
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
      bench,
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
  bench: Bench,
  who: string,
  server: LogServer,
  stages: string[],
  results: ResultsService,
  outputs: Record<string, string>
): Promise<number> {
  const artifact = results.artifacts[0]
  if (results.artifacts.length !== 1 || !artifact) {
    bench.problems.push(`${who}: ${results.artifacts.length} artifacts stored, expected 1`)
    return 0
  }
  const zip = artifact.bytes
  const digest = createHash('sha256').update(zip).digest('hex')
  check(
    bench,
    outputs['artifact-digest'] === digest,
    `${who}: artifact-digest ≠ SHA-256 of the blob`
  )
  const entries = await zipEntryDigests(zip)
  check(
    bench,
    [...entries.keys()].sort().join() ===
      stages
        .map(s => `${s}.log`)
        .sort()
        .join(),
    `${who}: zip holds ${[...entries.keys()].join(', ')}`
  )
  for (const stage of stages) {
    const got = entries.get(`${stage}.log`)
    check(
      bench,
      got === server.expected.get(stage),
      `${who}: zipped ${stage}.log differs from served`
    )
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
    const stored = zip.subarray(start, start + compressed)
    const hash = createHash('sha256')
    if (method === 8) {
      const inflate = createInflateRaw()
      inflate.end(stored)
      for await (const chunk of inflate) hash.update(chunk as Buffer)
    } else {
      hash.update(stored)
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
  bench: Bench,
  who: string,
  server: LogServer,
  stages: string[],
  limit: number,
  run: (files: Map<string, string>) => Promise<Measured>
): Promise<Measured> {
  const dir = await fs.mkdtemp(path.join(bench.root, 'baseline-'))
  try {
    const files = new Map(stages.map(s => [s, path.join(dir, `${s}.log`)]))
    const track = server.track()
    const m = await run(files)
    checkTrack(bench, who, track, stages, limit)
    check(bench, m.code === 0, `${who} exited ${m.code}: ${m.stderr}`)
    await verifyFiles(bench, who, server, files)
    return m
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

/** Runs curl on the stages' URLs, in parallel (at most `parallel`) or as a loop of single fetches. */
export async function runCurl(
  bench: Bench,
  server: LogServer,
  stages: string[],
  parallel: number | 'loop'
): Promise<Measured> {
  const who = parallel === 'loop' ? 'curl loop' : `curl --parallel-max ${parallel}`
  return runBaseline(bench, who, server, stages, parallel === 'loop' ? 1 : parallel, files =>
    parallel === 'loop'
      ? measure(
          bench,
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
          bench,
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
export async function runBareNode(
  bench: Bench,
  server: LogServer,
  stages: string[]
): Promise<Measured> {
  return runBaseline(bench, 'bare node', server, stages, stages.length, files =>
    measure(
      bench,
      NODE24,
      ['-e', BARE_NODE, ...stages.flatMap(s => [server.url(s), files.get(s) ?? ''])],
      { env: { T: TOKEN }, rss: true }
    )
  )
}
