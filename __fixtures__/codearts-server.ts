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
}

/** A running emulator. */
export interface CodeArtsEmulator {
  url: string
  port: number
  requests: ReceivedRequest[]
  /** The most log requests that were being answered at one time. */
  maxInFlight(): number
  /** Queues answers for the next requests to a path, given once each before its normal answer. */
  script(pathname: string, answers: CannedResponse[]): void
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
  const received = { method: req.method ?? 'GET', target: req.url ?? '/', headers: req.headers }
  return signatureMatches(received, signed, signature, key.secret)
    ? undefined
    : bad('signature mismatch')
}

function authenticate(req: http.IncomingMessage, options: CodeArtsEmulatorOptions): Refusal {
  const authorization = req.headers.authorization
  if (authorization?.startsWith('SDK-HMAC-SHA256 ') && options.keys) {
    return verifySignature(req, authorization, options.keys)
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

const TASK_LOG = /^\/v1\/log\/([^/]+)\/task-log$/
const DOWNLOAD_LOG = /^\/v1\/log\/([^/]+)\/download-log$/
const FULL_STAGES = /^\/v1\/record\/([^/]+)\/full-stages$/
const RECORD_INFO = /^\/v1\/record\/([^/]+)\/([^/]+)\/record-info$/
const INFO = /^\/v1\/record\/([^/]+)\/info$/
const ROUTES = [TASK_LOG, DOWNLOAD_LOG, FULL_STAGES, RECORD_INFO, INFO]

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

/** Starts the emulated CodeArts Build API (logs, stage list, record lookup) on 127.0.0.1, on a random port unless told one. */
export async function startCodeArts(
  options: CodeArtsEmulatorOptions = {}
): Promise<CodeArtsEmulator> {
  const requests: ReceivedRequest[] = []
  const script: Record<string, CannedResponse[]> = { ...options.script }
  let inFlight = 0
  let peak = 0
  const handler: http.RequestListener = (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      at: Date.now()
    })
    res.setHeader('X-Request-Id', randomUUID())
    if (options.intercept?.(req, res, url)) return

    if (req.method !== 'GET' || !ROUTES.some(route => route.test(url.pathname))) {
      sendJson(res, 404, {
        error_code: 'APIGW.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
        request_id: randomUUID()
      })
      return
    }
    const refusal = authenticate(req, options)
    if (refusal) {
      sendJson(res, 401, { ...refusal, request_id: randomUUID() })
      return
    }
    const scripted = script[url.pathname]?.shift()
    if (scripted) {
      answer(res, scripted)
      return
    }
    const stagesOf = FULL_STAGES.exec(url.pathname)
    if (stagesOf) {
      const stages = options.stages?.[decodeURIComponent(stagesOf[1])]
      if (stages === undefined) sendJson(res, 404, notFound)
      else sendJson(res, 200, { status: 'success', error: null, result: { build_stages: stages } })
      return
    }
    const run = RECORD_INFO.exec(url.pathname)
    const info = INFO.exec(url.pathname)
    if (run || info) {
      const result = run
        ? options.records?.[`${run[1]}/${run[2]}`]
        : options.info?.[decodeURIComponent(info?.[1] ?? '')]
      if (result === undefined) sendJson(res, 404, notFound)
      else sendJson(res, 200, { status: 'success', error: null, result })
      return
    }
    const whole = DOWNLOAD_LOG.exec(url.pathname)
    const task = TASK_LOG.exec(url.pathname)
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
    const log = whole
      ? options.wholeLogs?.[decodeURIComponent(whole[1])]
      : options.logs?.[decodeURIComponent(task?.[1] ?? '')]?.[stage]
    if (log === undefined) {
      sendJson(res, 404, notFound)
      return
    }
    const compress = url.searchParams.get('compress') === 'true'
    inFlight++
    peak = Math.max(peak, inFlight)
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      res.end(compress ? gzipSync(log) : log, () => inFlight--)
    }, options.delayMs ?? 0)
  }
  const server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler)
  await new Promise<void>(resolve => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    requests,
    maxInFlight: () => peak,
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
