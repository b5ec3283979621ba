import type { IncomingMessage } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { HttpClient } from '@actions/http-client'
import { ERROR_BODY_LIMIT, USER_AGENT } from '../constants.js'
import { CodeArtsApiError, errorMessage, parseApiError, sanitizeForLog } from '../errors.js'
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

/** Reads at most `limit` bytes of a body as text and discards the rest, within the idle timeout. */
export async function readCapped(
  stream: IncomingMessage,
  limit: number,
  idleMs: number,
  signal?: AbortSignal
): Promise<string> {
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
  return Buffer.concat(chunks).subarray(0, limit).toString('utf8')
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

/** Thin client of the CodeArts Build log API: builds URLs, authenticates, follows safe redirects. */
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

  /** The URL of one stage's log. */
  taskLogUrl(request: TaskLogRequest): URL {
    const url = new URL(this.options.endpoint.href)
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/v1/log/${encodeURIComponent(request.recordId)}/task-log`
    url.search = new URLSearchParams({
      task_name: request.taskName,
      log_level: request.logLevel,
      compress: String(request.compress)
    }).toString()
    return url
  }

  /**
   * Opens one stage's log: resolves with the unread 2xx response, or throws CodeArtsApiError.
   * `signal` cuts the wait short (a cancelled step); the caller passes it on to the body.
   */
  async openTaskLog(request: TaskLogRequest, signal?: AbortSignal): Promise<IncomingMessage> {
    let url = this.taskLogUrl(request)
    for (let hop = 0; ; hop++) {
      const base = { Accept: 'application/octet-stream, application/json;q=0.9' }
      const headers =
        url.host === this.options.endpoint.host
          ? this.options.authenticator.authenticate(
              { method: 'GET', url, headers: base },
              this.now()
            )
          : base
      const response = (await unlessAborted(this.http.get(url.href, headers), signal)).message
      // From here the TransferMonitor's idle timer guards the body; the socket timer only
      // covers connecting and waiting for headers, and would cut a body with a vague 'aborted'.
      response.socket?.setTimeout(0)
      const status = response.statusCode ?? 0
      const location = response.headers.location
      if (REDIRECT_STATUSES.has(status) && location) {
        response.destroy()
        url = this.redirectTarget(url, location, hop)
        continue
      }
      if (status >= 200 && status < 300) return response
      throw await this.apiError(response, status, signal)
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
      body = await readCapped(response, ERROR_BODY_LIMIT, this.options.timeoutMs, signal)
    } catch (error) {
      // The status is what matters (a 401 must not turn into a retried network error).
      body = `(body unreadable: ${sanitizeForLog(errorMessage(error))})`
    }
    const requestId = response.headers['x-request-id']
    const details = parseApiError(status, body, Array.isArray(requestId) ? requestId[0] : requestId)
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
