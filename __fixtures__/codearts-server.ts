import { randomUUID } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { gzipSync } from 'node:zlib'

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
}

/** How the emulated CodeArts Build log API behaves. */
export interface CodeArtsEmulatorOptions {
  /** IAM token the gateway accepts in X-Auth-Token. */
  token?: string
  /** Log bodies by record ID, then stage name. */
  logs?: Record<string, Record<string, string | Buffer>>
  /** Answers that replace a stage's log, keyed by stage name. */
  responses?: Record<string, CannedResponse>
  /** Called first for every request; returning true means it answered. */
  intercept?: (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => boolean
  /** Delay before a log is answered, like a gateway assembling the file. */
  delayMs?: number
}

/** A running emulator. */
export interface CodeArtsEmulator {
  url: string
  requests: ReceivedRequest[]
  /** The most log requests that were being answered at one time. */
  maxInFlight(): number
  close(): Promise<void>
}

const TASK_LOG = /^\/v1\/log\/([^/]+)\/task-log$/

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

/** Starts the emulated CodeArts Build log API on 127.0.0.1 with a random port. */
export async function startCodeArts(
  options: CodeArtsEmulatorOptions = {}
): Promise<CodeArtsEmulator> {
  const requests: ReceivedRequest[] = []
  let inFlight = 0
  let peak = 0
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    requests.push({
      method: req.method ?? '',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers
    })
    res.setHeader('X-Request-Id', randomUUID())
    if (options.intercept?.(req, res, url)) return

    const match = TASK_LOG.exec(url.pathname)
    if (req.method !== 'GET' || !match) {
      sendJson(res, 404, {
        error_code: 'APIGW.0101',
        error_msg: 'The API does not exist or has not been published in the environment',
        request_id: randomUUID()
      })
      return
    }
    if (options.token !== undefined && req.headers['x-auth-token'] !== options.token) {
      sendJson(res, 401, {
        error_code: 'APIGW.0301',
        error_msg: 'Incorrect IAM authentication information: verify token failed',
        request_id: randomUUID()
      })
      return
    }
    const stage = url.searchParams.get('task_name') ?? ''
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
    const log = options.logs?.[decodeURIComponent(match[1])]?.[stage]
    if (log === undefined) {
      sendJson(res, 404, { error_code: 'CB.00060214', error_msg: 'URL not found' })
      return
    }
    const compress = url.searchParams.get('compress') === 'true'
    inFlight++
    peak = Math.max(peak, inFlight)
    setTimeout(() => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      res.end(compress ? gzipSync(log) : log, () => inFlight--)
    }, options.delayMs ?? 0)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    maxInFlight: () => peak,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
