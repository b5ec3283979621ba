import { randomUUID } from 'node:crypto'
import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'
import { signatureMatches } from './aksk-verifier.js'

/** A canned answer for one stage, instead of its log. */
export interface CannedResponse {
  status: number
  body: string | Buffer | object
  headers?: Record<string, string>
}

/** A request as the emulator received it. */
export interface ReceivedRequest {
  method: string
  path: string
  query: Record<string, string>
  headers: http.IncomingHttpHeaders
  /** When it arrived (epoch ms). */
  at: number
  /** The body of a POST, as it arrived. */
  body?: string
}

/** A build job the emulator starts builds of (`POST /v3/jobs/build`). */
export interface EmulatedJob {
  /** The number of the next build started; each start counts one up. */
  nextBuildNumber: number
  /** How the start answer carries the number; the documented string by default. */
  numberAs?: 'string' | 'number'
  /** The record ID of the build started with each number. */
  recordIds: Record<number, string>
  /** The statuses a started build's `info` answers, one a request; the last one stays. */
  statuses: string[]
  /** How many record lookups answer 404 after a start, as CodeArts registers the build. */
  registerAfter?: number
  /** Whether a stop is accepted (the default); an accepted stop makes the status `aborted`. */
  acceptStop?: boolean
  /** The connections of this many first starts are reset once the body was read. */
  resetStarts?: number
  /** The build starts at once, but its start is answered this much later, like a slow gateway. */
  answerStartAfterMs?: number
  /** More of a started build's record (times, trigger, commit, …), in its record-info and info answers. */
  record?: object
}

/** How the live log of one build grows and answers (`GET /v1/log/{job}/{no}/real-time-log`). */
export interface LiveLogScript {
  /** The build's whole output. */
  text: string
  /** The record whose status polls the text grows with. */
  recordId: string
  /** Bytes of the text written once the record's status was asked for 1, 2, … times; the last stays. */
  written: number[]
  /**
   * Bytes written per second from the record's first status poll on, instead of `written`; the
   * record's status is then `running` until the whole text is written, and `success` after.
   */
  writtenPerSecond?: number
  /** The most bytes one answer carries, cut back to the start of a character. */
  chunkBytes: number
  /** Offsets as numbers (the page's example) in every other answer, else strings (the schema). */
  mixOffsetTypes?: boolean
  /** `has_more` as the strings "true" and "false". */
  hasMoreAsString?: boolean
  /** This many first answers carry no text at all ("may be empty, request again"). */
  emptyFirst?: number
  /** The answer with this number (from 1) gives an end_offset behind its start. */
  backwardsAt?: number
  /** From the request with this number (from 1) on, the answer is this failure. */
  failFrom?: { request: number; answer: CannedResponse }
}

/** A build the emulator started. */
export interface StartedBuild {
  jobId: string
  buildNumber: number
  recordId: string
  /** The start request's body, parsed. */
  body: unknown
  at: number
}

/** A stop request the emulator received. */
export interface StopRequest {
  jobId: string
  buildNumber: number
  at: number
}

/** How the emulated CodeArts Build log API behaves. */
export interface CodeArtsEmulatorOptions {
  /** IAM token the gateway accepts in X-Auth-Token. */
  token?: string
  /** Decides about any other X-Auth-Token, e.g. the federated tokens an IAM emulator issued. */
  acceptToken?: (token: string) => boolean
  /** Access keys the gateway accepts, by key ID; a key with a security token is temporary. */
  keys?: Record<string, { secret: string; securityToken?: string }>
  /** Log bodies by record ID, then stage name. */
  logs?: Record<string, Record<string, string | Buffer>>
  /** Answers that replace a stage's log, keyed by stage name. */
  responses?: Record<string, CannedResponse>
  /** The `build_stages` map of `full-stages`, by record ID. */
  stages?: Record<string, Record<string, object>>
  /** The `result` of `record-info`, keyed `{job_id}/{build_no}`. */
  records?: Record<string, object>
  /** The `result` of a record's `info` (its status), by record ID. */
  info?: Record<string, object>
  /** The whole-build log of `download-log`, by record ID. */
  wholeLogs?: Record<string, string | Buffer>
  /**
   * Answers given, in order, to the first requests for a path (e.g. `/v1/record/R/full-stages`)
   * once they pass authentication; later requests get the path's normal answer.
   */
  script?: Record<string, CannedResponse[]>
  /** Called first for every request; returning true means it answered. */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean
  /** Delay before a log is answered, like a gateway assembling the file. */
  delayMs?: number
  /** Serve https with this key and certificate instead of http. */
  tls?: { key: Buffer; cert: Buffer }
  /** Listen on this port instead of a random one, so a saved configuration can name it. */
  port?: number
  /** Jobs that can be started, by job ID. */
  jobs?: Record<string, EmulatedJob>
  /** Live logs, keyed `{job_id}/{build_no}`; a build without one answers 404. */
  liveLogs?: Record<string, LiveLogScript>
  /** The `result` of the unit test report summary, keyed `{job_id}/{build_no}`; else 404. */
  testReports?: Record<string, object>
  /** The `result` of `output-info` (what a build produced), keyed `{job_id}/{build_no}`; else 404. */
  buildOutputs?: Record<string, object>
  /** Every request is answered this much later, like a link with this latency. */
  answerDelayMs?: number
  /**
   * The emulator's time (epoch ms): when requests arrive and how far a live log is written.
   * A test that drives the action's waits on a virtual clock passes that clock's `now`.
   */
  now?: () => number
}

export interface CodeArtsEmulator {
  url: string
  port: number
  requests: ReceivedRequest[]
  /** The most log requests that were being answered at one time. */
  maxInFlight(): number
  /** Queues answers for the next requests to a path, given once each before its normal answer. */
  script(pathname: string, answers: CannedResponse[]): void
  /** The builds started, in order. */
  started: StartedBuild[]
  /** The stop requests received, in order. */
  stops: StopRequest[]
  /** How many requests have arrived, and how many of them are not answered yet. */
  activity(): { received: number; answering: number }
  close(): Promise<void>
}

const MAX_CLOCK_SKEW_MS = 15 * 60_000

type Refusal = { error_code: string; error_msg: string } | undefined

/** Parses an X-Sdk-Date value (`YYYYMMDDTHHMMSSZ`) into epoch milliseconds. */
function parseSdkDate(value: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value)
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN
}

/**
 * Checks an AK/SK signature the way the gateway does: recomputes it from the request as it
 * arrived on the wire (path, query and the headers it names), with the secret it knows.
 */
function verifySignature(
  req: http.IncomingMessage,
  body: string,
  authorization: string,
  keys: NonNullable<CodeArtsEmulatorOptions['keys']>
): Refusal {
  const parts =
    /^SDK-HMAC-SHA256 Access=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]+)$/.exec(
      authorization
    )
  const bad = (why: string): Refusal => ({
    error_code: 'APIGW.0301',
    error_msg: `Incorrect IAM authentication information: ${why}`
  })
  if (!parts) return bad('malformed Authorization header')
  const [, accessKeyId, signedList, signature] = parts
  const key = keys[accessKeyId]
  if (!key) return bad('unknown access key')
  const signed = signedList.split(';')
  if (!signed.includes('host') || !signed.includes('x-sdk-date'))
    return bad('host and x-sdk-date must be signed')
  const date = parseSdkDate(String(req.headers['x-sdk-date'] ?? ''))
  if (!(Math.abs(Date.now() - date) <= MAX_CLOCK_SKEW_MS)) {
    return {
      error_code: 'APIGW.0303',
      error_msg: 'Incorrect app authentication information: the request has expired (X-Sdk-Date)'
    }
  }
  if (key.securityToken !== undefined) {
    if (
      req.headers['x-security-token'] !== key.securityToken ||
      !signed.includes('x-security-token')
    ) {
      return bad('temporary credentials need a signed, valid X-Security-Token')
    }
  }
  const received = {
    method: req.method ?? 'GET',
    target: req.url ?? '/',
    headers: req.headers,
    body
  }
  return signatureMatches(received, signed, signature, key.secret)
    ? undefined
    : bad('signature mismatch')
}

function authenticate(
  req: http.IncomingMessage,
  body: string,
  options: CodeArtsEmulatorOptions
): Refusal {
  const authorization = req.headers.authorization
  if (authorization?.startsWith('SDK-HMAC-SHA256 ') && options.keys) {
    return verifySignature(req, body, authorization, options.keys)
  }
  if (options.token === undefined && options.keys === undefined && !options.acceptToken) {
    return undefined
  }
  const token = req.headers['x-auth-token']
  if (options.token !== undefined && token === options.token) return undefined
  if (typeof token === 'string' && options.acceptToken?.(token)) return undefined
  return {
    error_code: 'APIGW.0301',
    error_msg: 'Incorrect IAM authentication information: verify token failed'
  }
}

/** What a route's answer gets: the request, its URL and body, and the decoded groups of its path. */
interface RouteRequest {
  req: http.IncomingMessage
  res: http.ServerResponse
  url: URL
  body: string
  /** The path's groups, URI-decoded: `/v1/record/{id}/info` gives [id]. */
  params: string[]
}

/**
 * One published endpoint: its method, its path and how it answers once the request passed
 * authentication and any scripted answers for its path were given.
 */
interface Route {
  method: 'GET' | 'POST'
  path: RegExp
  answer: (request: RouteRequest) => void
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

/** The state of a build the emulator started. */
interface BuildState {
  job: EmulatedJob
  recordId: string
  statuses: string[]
  lookupsLeft404: number
  stopped: boolean
}

const notFound = { error_code: 'CB.00060214', error_msg: 'URL not found' }

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: object,
  headers: Record<string, string> = {}
): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}

function answer(res: http.ServerResponse, canned: CannedResponse): void {
  const body =
    typeof canned.body === 'string' || Buffer.isBuffer(canned.body)
      ? canned.body
      : JSON.stringify(canned.body)
  res.writeHead(canned.status, canned.headers ?? {})
  res.end(body)
}

/** Starts the emulated CodeArts Build API (logs, stage list, record lookup, start and stop) on 127.0.0.1, on a random port unless told one. */
export async function startCodeArts(
  options: CodeArtsEmulatorOptions = {}
): Promise<CodeArtsEmulator> {
  const requests: ReceivedRequest[] = []
  const script: Record<string, CannedResponse[]> = { ...options.script }
  const started: StartedBuild[] = []
  const stops: StopRequest[] = []
  const builds = new Map<string, BuildState>()
  let inFlight = 0
  let peak = 0
  let answering = 0
  const now = options.now ?? Date.now

  /** Starts a build of a known job, or answers why not; a reset start starts nothing. */
  const start = (req: http.IncomingMessage, res: http.ServerResponse, text: string): void => {
    let body: { job_id?: unknown }
    try {
      body = JSON.parse(text) as { job_id?: unknown }
    } catch {
      sendJson(res, 400, { error_code: 'CB.00060200', error_msg: 'Invalid request body' })
      return
    }
    const jobId = typeof body.job_id === 'string' ? body.job_id : ''
    const job = options.jobs?.[jobId]
    if (!job) {
      sendJson(res, 404, { error_code: 'CB.00060214', error_msg: 'The job does not exist' })
      return
    }
    if ((job.resetStarts ?? 0) > 0) {
      job.resetStarts = (job.resetStarts ?? 0) - 1
      req.socket.destroy()
      return
    }
    const buildNumber = job.nextBuildNumber++
    const recordId = job.recordIds[buildNumber] ?? randomUUID()
    builds.set(`${jobId}/${buildNumber}`, {
      job,
      recordId,
      statuses: [...job.statuses],
      lookupsLeft404: job.registerAfter ?? 0,
      stopped: false
    })
    started.push({ jobId, buildNumber, recordId, body, at: now() })
    setTimeout(() => {
      sendJson(res, 200, {
        octopus_job_name: `j_${jobId.slice(0, 8)}`,
        actual_build_number: job.numberAs === 'number' ? buildNumber : String(buildNumber),
        daily_build_number: `20261202.${buildNumber}`
      })
    }, job.answerStartAfterMs ?? 0)
  }

  const stop = (res: http.ServerResponse, jobId: string, buildNumber: string): void => {
    stops.push({ jobId, buildNumber: Number(buildNumber), at: now() })
    const build = builds.get(`${jobId}/${buildNumber}`)
    if (!build) {
      sendJson(res, 404, { error_code: 'CB.00060214', error_msg: 'The build does not exist' })
      return
    }
    const accepted = build.job.acceptStop ?? true
    if (accepted) build.stopped = true
    sendJson(res, 200, {
      success: accepted,
      result: accepted ? 'The build is being stopped' : 'The build cannot be stopped now'
    })
  }

  /** The `record-info` result of a started build; 'not yet' while it registers. */
  const startedRecord = (jobId: string, buildNumber: string): object | 'not yet' | undefined => {
    const build = builds.get(`${jobId}/${buildNumber}`)
    if (!build) return undefined
    if (build.lookupsLeft404 > 0) {
      build.lookupsLeft404--
      return 'not yet'
    }
    return { ...build.job.record, build_record_id: build.recordId, build_no: Number(buildNumber) }
  }

  /** The `info` result (the status) of a started build. */
  const startedInfo = (id: string): object | undefined => {
    const build = [...builds.values()].find(b => b.recordId === id)
    if (!build) return undefined
    if (build.stopped) return { ...build.job.record, id, status: 'aborted' }
    const status = build.statuses.length > 1 ? build.statuses.shift() : build.statuses[0]
    return { ...build.job.record, id, status }
  }

  const liveAnswers = new Map<string, number>()
  const liveBytes = new Map<string, Buffer>()
  /** A live log's text as bytes, and how much of it is written by now. */
  const liveWritten = (live: LiveLogScript): { bytes: Buffer; written: number } => {
    let bytes = liveBytes.get(live.recordId)
    if (!bytes) liveBytes.set(live.recordId, (bytes = Buffer.from(live.text, 'utf8')))
    const info = `/v1/record/${live.recordId}/info`
    if (live.writtenPerSecond !== undefined) {
      const first = requests.find(r => r.path === info)
      const seconds = first ? (now() - first.at) / 1000 : 0
      return { bytes, written: Math.min(bytes.length, Math.floor(seconds * live.writtenPerSecond)) }
    }
    const polls = requests.filter(r => r.path === info).length
    const written =
      polls === 0
        ? 0
        : Math.min(bytes.length, live.written[Math.min(polls, live.written.length) - 1])
    return { bytes, written }
  }
  /** The status of a record whose live log is written over time: running until it is all written. */
  const timedStatus = (id: string): object | undefined => {
    const live = Object.values(options.liveLogs ?? {}).find(
      l => l.recordId === id && l.writtenPerSecond !== undefined
    )
    if (!live) return undefined
    const { bytes, written } = liveWritten(live)
    return { id, status: written < bytes.length ? 'running' : 'success' }
  }
  /** One live log answer: the text from start_offset up to what is written, at most chunkBytes. */
  const liveLog = (res: http.ServerResponse, key: string, url: URL): void => {
    const live = options.liveLogs?.[key]
    if (!live) {
      sendJson(res, 404, notFound)
      return
    }
    const n = (liveAnswers.get(key) ?? 0) + 1
    liveAnswers.set(key, n)
    if (live.failFrom && n >= live.failFrom.request) {
      answer(res, live.failFrom.answer)
      return
    }
    const { bytes, written } = liveWritten(live)
    const start = Math.min(Number(url.searchParams.get('start_offset') ?? '0'), written)
    let end = n <= (live.emptyFirst ?? 0) ? start : Math.min(start + live.chunkBytes, written)
    // A character is never cut: its continuation bytes (10xxxxxx) stay for the next answer.
    while (end > start && end < bytes.length && (bytes[end] & 0xc0) === 0x80) end--
    const asNumber = live.mixOffsetTypes === true && n % 2 === 0
    const offset = (value: number): string | number => (asNumber ? value : String(value))
    const more = end < written
    sendJson(res, 200, {
      status: 'success',
      error: null,
      result: {
        has_more: live.hasMoreAsString ? String(more) : more,
        start_offset: offset(start),
        end_offset: offset(n === live.backwardsAt ? Math.max(0, start - 1) : end),
        log: bytes.subarray(start, end).toString('utf8'),
        location: 'emulator'
      }
    })
  }

  /** A JSON endpoint that answers `result` in the success envelope, or 404 when it is undefined. */
  const json =
    (result: (params: string[], url: URL) => object | 'not yet' | undefined) =>
    ({ res, params, url }: RouteRequest): void => {
      const found = result(params, url)
      if (found === undefined || found === 'not yet') sendJson(res, 404, notFound)
      else sendJson(res, 200, { status: 'success', error: null, result: found })
    }

  /** Serves a stage's log or the whole log, as canned or as the options hold it. */
  const log =
    (whole: boolean) =>
    ({ res, url, params }: RouteRequest): void => {
      const stage = whole ? 'build' : (url.searchParams.get('task_name') ?? '')
      const canned = options.responses?.[stage]
      if (canned) {
        answer(res, canned)
        return
      }
      const level = url.searchParams.get('log_level') ?? 'INFO'
      if (level !== 'INFO' && level !== 'DEBUG') {
        sendJson(res, 400, { error_code: 'CB.00060200', error_msg: 'Invalid parameter: log_level' })
        return
      }
      const body = whole ? options.wholeLogs?.[params[0]] : options.logs?.[params[0]]?.[stage]
      if (body === undefined) {
        sendJson(res, 404, notFound)
        return
      }
      const compress = url.searchParams.get('compress') === 'true'
      inFlight++
      peak = Math.max(peak, inFlight)
      setTimeout(() => {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
        res.end(compress ? gzipSync(body) : body, () => inFlight--)
      }, options.delayMs ?? 0)
    }

  /** The published API: a new JSON endpoint is one entry here. */
  const routes: Route[] = [
    { method: 'GET', path: /^\/v1\/log\/([^/]+)\/task-log$/, answer: log(false) },
    { method: 'GET', path: /^\/v1\/log\/([^/]+)\/download-log$/, answer: log(true) },
    {
      method: 'GET',
      path: /^\/v1\/record\/([^/]+)\/full-stages$/,
      answer: json(([id]) => {
        const stages = options.stages?.[id]
        return stages === undefined ? undefined : { build_stages: stages }
      })
    },
    {
      method: 'GET',
      path: /^\/v1\/record\/([^/]+)\/([^/]+)\/record-info$/,
      answer: json(([jobId, n]) => startedRecord(jobId, n) ?? options.records?.[`${jobId}/${n}`])
    },
    {
      method: 'GET',
      path: /^\/v1\/record\/([^/]+)\/info$/,
      answer: json(([id]) => timedStatus(id) ?? startedInfo(id) ?? options.info?.[id])
    },
    {
      method: 'GET',
      path: /^\/v1\/log\/([^/]+)\/([^/]+)\/real-time-log$/,
      answer: ({ res, params, url }) => liveLog(res, `${params[0]}/${params[1]}`, url)
    },
    {
      method: 'GET',
      path: /^\/v1\/report\/([^/]+)\/summary$/,
      answer: json(
        ([jobId], url) => options.testReports?.[`${jobId}/${url.searchParams.get('build_no')}`]
      )
    },
    {
      method: 'GET',
      path: /^\/v3\/jobs\/([^/]+)\/([^/]+)\/output-info$/,
      answer: json(([jobId, n]) => options.buildOutputs?.[`${jobId}/${n}`])
    },
    {
      method: 'POST',
      path: /^\/v3\/jobs\/build$/,
      answer: ({ req, res, body }) => start(req, res, body)
    },
    {
      method: 'POST',
      path: /^\/v3\/jobs\/([^/]+)\/([^/]+)\/stop$/,
      answer: ({ res, params }) => stop(res, params[0], params[1])
    }
  ]

  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const seen: ReceivedRequest = {
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      at: now()
    }
    requests.push(seen)
    answering++
    res.once('close', () => answering--)
    const later = (body: string): void => {
      if (options.answerDelayMs)
        setTimeout(() => handle(req, res, url, body), options.answerDelayMs)
      else handle(req, res, url, body)
    }
    if (req.method !== 'POST') {
      later('')
      return
    }
    readBody(req).then(
      body => {
        seen.body = body
        later(body)
      },
      () => res.destroy()
    )
  }

  const handle = (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    url: URL,
    body: string
  ): void => {
    res.setHeader('X-Request-Id', randomUUID())
    if (options.intercept?.(req, res, url)) return
    const route = routes.find(r => r.method === req.method && r.path.test(url.pathname))
    if (!route) {
      sendJson(res, 404, {
        error_code: 'APIGW.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
        request_id: randomUUID()
      })
      return
    }
    const refusal = authenticate(req, body, options)
    if (refusal) {
      sendJson(res, 401, { ...refusal, request_id: randomUUID() })
      return
    }
    const scripted = script[url.pathname]?.shift()
    if (scripted) {
      answer(res, scripted)
      return
    }
    const params = (route.path.exec(url.pathname) ?? []).slice(1).map(decodeURIComponent)
    route.answer({ req, res, url, body, params })
  }
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler)
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    maxInFlight: () => peak,
    started,
    stops,
    activity: () => ({ received: requests.length, answering }),
    script: (pathname, answers) => {
      script[pathname] = [...(script[pathname] ?? []), ...answers]
    },
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
