import type { IncomingMessage } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { HttpClient } from '@actions/http-client'
import { ERROR_BODY_LIMIT, USER_AGENT } from '../constants.js'
import {
  CodeArtsApiError,
  errorMessage,
  parseApiError,
  readEnvelope,
  type AnswerPart,
  sanitizeForLog
} from '../errors.js'
import type { Authenticator } from './authenticator.js'
import { parseRetryAfter } from './retry.js'
import { TransferMonitor } from './transfer-monitor.js'
import { isAllowedUrl } from './url-policy.js'

/** The log detail the API can return. */
export type LogLevel = 'INFO' | 'DEBUG'

/** One build action's log, as the API addresses it. */
export interface TaskLogRequest {
  recordId: string
  taskName: string
  logLevel: LogLevel
  compress: boolean
}

/** One JSON API call: where, how, and which part of the answer the caller reads. */
export interface JsonCall {
  method?: 'GET' | 'POST'
  pathname: string
  query?: Record<string, string>
  /** Sent as JSON; a POST without one sends an empty body. */
  body?: object
  read?: AnswerPart
}

/** One attempt's request line, headers and body, before authentication. */
interface ApiRequest {
  method: 'GET' | 'POST'
  url: URL
  accept: string
  body?: string
}

/** How the client reaches the API. */
export interface CodeArtsClientOptions {
  endpoint: URL
  authenticator: Authenticator
  /** Longest wait for the connection, the response headers or the next body bytes. */
  timeoutMs: number
  /** Clock for request signing; injectable so signatures can be reproduced. */
  now?: () => Date
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5
const LOG_ACCEPT = 'application/octet-stream, application/json;q=0.9'
const JSON_ACCEPT = 'application/json'
const JSON_TYPE = 'application/json;charset=UTF-8'
/** A few MiB is far above any real stage list or record; a larger body is refused, not parsed. */
export const JSON_BODY_LIMIT = 4 * 1024 * 1024

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Reads at most `limit` bytes of a body and discards the rest, within the idle timeout. */
export async function readCapped(
  stream: IncomingMessage,
  limit: number,
  idleMs: number,
  signal?: AbortSignal
): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  try {
    await pipeline(
      stream,
      new TransferMonitor({ idleMs }),
      async (source: AsyncIterable<Buffer>) => {
        for await (const chunk of source) {
          chunks.push(chunk)
          size += chunk.length
          if (size >= limit) break
        }
      },
      { signal }
    )
  } catch (error) {
    // Stopping at the limit closes the stream early; a body cut short still gives what arrived.
    if (chunks.length === 0 || signal?.aborted) throw error
  }
  return Buffer.concat(chunks).subarray(0, limit)
}

/** Rejects when `signal` aborts, so a wait for headers can be cut short (http-client takes no signal). */
function unlessAborted<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise
  signal.throwIfAborted()
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort)
        resolve(value)
      },
      error => {
        signal.removeEventListener('abort', onAbort)
        reject(error)
      }
    )
  })
}

/** The pseudo-stage that stands for the whole build's log (`download-log`) instead of one action's. */
export const WHOLE_LOG = 'build'

/** Thin client of the CodeArts Build API: builds URLs, authenticates, follows safe redirects. */
export class CodeArtsClient {
  private readonly http: HttpClient
  private readonly now: () => Date

  constructor(private readonly options: CodeArtsClientOptions) {
    // Redirects are handled here, not by http-client, so credentials never follow to another host.
    this.http = new HttpClient(USER_AGENT, [], {
      allowRedirects: false,
      allowRetries: false,
      keepAlive: true,
      socketTimeout: options.timeoutMs
    })
    this.now = options.now ?? (() => new Date())
  }

  /** The URL of an API path below the endpoint (which may carry a base path). */
  apiUrl(pathname: string, query: Record<string, string> = {}): URL {
    const url = new URL(this.options.endpoint.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}${pathname}`
    url.search = new URLSearchParams(query).toString()
    return url
  }

  /** The URL of one stage's log, or of the whole build's log for the pseudo-stage WHOLE_LOG. */
  logUrl(request: TaskLogRequest): URL {
    const record = `/v1/log/${encodeURIComponent(request.recordId)}`
    const query = { log_level: request.logLevel, compress: String(request.compress) }
    return request.taskName === WHOLE_LOG
      ? this.apiUrl(`${record}/download-log`, query)
      : this.apiUrl(`${record}/task-log`, { task_name: request.taskName, ...query })
  }

  /**
   * Opens one stage's log (or the whole log): resolves with the unread 2xx response, or throws
   * CodeArtsApiError. `signal` cuts the wait short; the caller passes it on to the body.
   */
  openLog(request: TaskLogRequest, signal?: AbortSignal): Promise<IncomingMessage> {
    return this.open({ method: 'GET', url: this.logUrl(request), accept: LOG_ACCEPT }, signal)
  }

  /**
   * Sends a JSON API request and returns what it answered: the HTTP status and the body's own
   * `status` are both checked (an HTTP 200 may carry `status: fail`), and the body is read with
   * a cap. `result` is the envelope's `result`; `body` is the whole object (the v3 job APIs
   * answer without an envelope).
   */
  async requestJson(call: JsonCall, signal?: AbortSignal): Promise<unknown> {
    const body = call.body === undefined ? undefined : JSON.stringify(call.body)
    const response = await this.open(
      {
        method: call.method ?? 'GET',
        url: this.apiUrl(call.pathname, call.query),
        accept: JSON_ACCEPT,
        body
      },
      signal
    )
    const text = await readCapped(response, JSON_BODY_LIMIT + 1, this.options.timeoutMs, signal)
    if (text.length > JSON_BODY_LIMIT) {
      throw new Error(
        `the response was larger than ${JSON_BODY_LIMIT / (1024 * 1024)} MiB, far above any real answer; it was not read`
      )
    }
    return readEnvelope(
      text.toString('utf8'),
      headerValue(response.headers['x-request-id']),
      this.options.authenticator.unauthorizedHint,
      call.read ?? 'result'
    )
  }

  /** Sends one request through authentication and safe redirects; resolves with a 2xx response. */
  private async open(request: ApiRequest, signal?: AbortSignal): Promise<IncomingMessage> {
    const { authenticator } = this.options
    const { method, accept, body } = request
    let url = request.url
    // A 401 leads to at most one renewal and one more attempt per request.
    let renewed = false
    for (let hop = 0; ; hop++) {
      const base: Record<string, string> =
        body === undefined ? { Accept: accept } : { Accept: accept, 'Content-Type': JSON_TYPE }
      const onApiHost = url.host === this.options.endpoint.host
      if (onApiHost) await authenticator.ready?.(this.now())
      const headers = onApiHost
        ? authenticator.authenticate({ method, url, headers: base, body }, this.now())
        : base
      const response = (
        await unlessAborted(this.http.request(method, url.href, body ?? null, headers), signal)
      ).message
      // From here the TransferMonitor's idle timer guards the body; the socket timer only
      // covers connecting and waiting for headers, and would cut a body with a vague 'aborted'.
      response.socket?.setTimeout(0)
      const status = response.statusCode ?? 0
      const location = response.headers.location
      // A redirected POST is not sent again: the server may already have acted on it.
      if (REDIRECT_STATUSES.has(status) && location && method === 'GET') {
        response.destroy()
        url = this.redirectTarget(url, location, hop)
        continue
      }
      if (status >= 200 && status < 300) return response
      const error = await this.apiError(response, status, signal)
      if (status === 401 && onApiHost && !renewed && authenticator.renew) {
        renewed = true
        if (await authenticator.renew()) continue
      }
      throw error
    }
  }

  /** Turns an error response into a CodeArtsApiError, even when its body cannot be read. */
  private async apiError(
    response: IncomingMessage,
    status: number,
    signal?: AbortSignal
  ): Promise<CodeArtsApiError> {
    let body: string
    try {
      body = (
        await readCapped(response, ERROR_BODY_LIMIT, this.options.timeoutMs, signal)
      ).toString('utf8')
    } catch (error) {
      // The status is what matters (a 401 must not turn into a retried network error).
      body = `(body unreadable: ${sanitizeForLog(errorMessage(error))})`
    }
    const details = parseApiError(status, body, headerValue(response.headers['x-request-id']))
    details.retryAfterMs = parseRetryAfter(response.headers['retry-after'], Date.now())
    return new CodeArtsApiError(details, this.options.authenticator.unauthorizedHint)
  }

  private redirectTarget(from: URL, location: string, hop: number): URL {
    if (hop + 1 > MAX_REDIRECTS) {
      throw new Error(`stopped after ${MAX_REDIRECTS} redirects (last to ${from.origin})`)
    }
    const next = new URL(location, from)
    // One scheme per client: http-client keeps a single agent, and https must never drop to http.
    if (next.protocol !== this.options.endpoint.protocol || !isAllowedUrl(next)) {
      throw new Error(
        `refused a redirect from ${this.options.endpoint.protocol}// to ${next.origin}: only ${this.options.endpoint.protocol}// is followed`
      )
    }
    return next
  }

  /** Closes kept-alive connections so the process can exit. */
  dispose(): void {
    this.http.dispose()
  }
}
