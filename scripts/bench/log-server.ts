/** The CodeArts emulator, answering stage log requests itself through `intercept`. */
import { createHash } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { setTimeout as sleep } from 'node:timers/promises'
import { startCodeArts, type CodeArtsEmulator } from '../../__fixtures__/codearts-server.js'
import { RECORD_ID, TOKEN } from '../../__fixtures__/sample.js'
import { logChunks, seedOf, type Counts } from './log-generator.js'

const TASK_LOG = /^\/v1\/log\/([^/]+)\/task-log$/

/** What one run (of the action or of a baseline) did to the log server. */
export interface Track {
  arrivals: number[]
  requests: Map<string, number>
  inFlight: number
  peakInFlight: number
  lastFinish: number
  errors: string[]
}

export interface LogServer {
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

/**
 * Serves generated logs of these sizes for RECORD_ID, each answer `delayMs` late; a failure
 * outside any run goes to `problems`.
 */
export async function startLogServer(
  sizes: Map<string, number>,
  delayMs: number,
  problems: string[]
): Promise<LogServer> {
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

export function stageNames(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `stage${i + 1}`)
}
