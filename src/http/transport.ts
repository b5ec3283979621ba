import type { IncomingHttpHeaders, IncomingMessage } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { HttpClient, type HttpClientResponse } from '@actions/http-client'
import { ERROR_BODY_LIMIT, USER_AGENT } from '../constants.js'
import { RequestTimeoutError, TitledError, errorMessage } from '../errors.js'
import { sanitizeForLog } from '../server-text.js'
import { answerLogLine } from './answer-log.js'
import { parseApiError, type ApiError, type ApiErrorDetails } from './api-error.js'
import { parseRetryAfter } from './retry.js'
import { TransferWatchStream } from './transfer-watch.js'
import { isAllowedUrl } from './url-policy.js'

/** One request: the request line and body; the headers are asked for per hop (see open). */
export interface HttpRequest {
  method: 'GET' | 'POST'
  url: URL
  body?: string
}

/** The headers to send to `url`: a hop of a redirect may go to a host that gets no credentials. */
export type HeadersFor = (url: URL) => Promise<Record<string, string>>

/** What a service allows of redirects; the transport follows at most MAX_REDIRECTS. */
export interface RedirectPolicy {
  /** Whether a redirect of a request with `method` is followed; if not, it is an error answer. */
  follows(method: string): boolean
  /** Why a redirect to `to` is refused; undefined to follow it. */
  refusal(to: URL): string | undefined
  /** What to say when the redirects run out at `last`. */
  tooMany(max: number, last: URL): string
}

/**
 * Redirects within `to`'s origin only, and never to a URL the action may not talk to: what is
 * sent there is a credential (`credential` names it in the refusal).
 */
export function sameOriginOnly(to: URL, service: string, credential: string): RedirectPolicy {
  return {
    follows: () => true,
    refusal: next =>
      next.origin !== to.origin || !isAllowedUrl(next)
        ? `${service} redirected to ${next.origin}; ${credential} is only sent to ${to.origin}`
        : undefined,
    tooMany: max => `${service} stopped after ${max} redirects`
  }
}

/** Why the transport gave up on an exchange before its answer was read. */
export type Refusal = 'redirect refused' | 'too many redirects' | 'answer too large'

/** How a service titles an exchange the transport refused, and what it tells the user to check. */
export interface RefusalWording {
  title(refusal: Refusal): string
  /** Said after what happened: the input to check, or what else helps. */
  advice: string
}

/**
 * An exchange the transport would not finish: a redirect its service's policy refuses or one
 * that does not end, or an answer far too large to be a real one. Never retried: another
 * attempt meets the same.
 */
export class ExchangeRefusedError extends TitledError {
  readonly title: string

  constructor(
    readonly refusal: Refusal,
    what: string,
    wording: RefusalWording
  ) {
    super(`${what}. ${wording.advice}`)
    this.name = 'ExchangeRefusedError'
    this.title = wording.title(refusal)
  }
}

interface TransportOptions {
  /** Longest wait for the connection, the response headers or the next body bytes. */
  timeoutMs: number
  keepAlive?: boolean
  redirects: RedirectPolicy
  refusals: RefusalWording
  /** The service's own error for an error answer. */
  toError: (details: ApiErrorDetails) => ApiError
  /** Given one inert, redacted line per answer read whole, when the runner's debug logging is on. */
  logAnswer?: (line: string) => void
  /** The largest 2xx answer `fetch` reads whole, for a service whose answers are large; JSON_BODY_LIMIT by default. */
  bodyLimit?: number
}

/** An answer whose body was read. */
interface Answer {
  url: URL
  status: number
  headers: IncomingHttpHeaders
  body: string
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5
/** A few MiB is far above any real JSON answer; a larger body is refused, not parsed. */
const JSON_BODY_LIMIT = 4 * 1024 * 1024

/** The URL of a path below a service's base URL (which may carry a base path of its own). */
export function urlBelow(base: URL, pathname: string, query: Record<string, string> = {}): URL {
  const url = new URL(base.href)
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${pathname}`
  url.search = new URLSearchParams(query).toString()
  return url
}

/** The first value of a header. */
export function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** Reads at most `limit` bytes of a body and discards the rest, within the idle timeout. */
async function readCapped(
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
      new TransferWatchStream({ idleMs }),
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

/**
 * The one HTTP exchange of the action: opens a request with its service's redirect policy and
 * time-outs, reads bodies with a cap, and turns an error answer (body and Retry-After) into the
 * service's error. Every answer read whole (a JSON answer from `fetch`, an error answer's body)
 * passes through `read`; a 2xx answer from `open` is streamed by its caller (a stage log).
 */
export class HttpTransport {
  private readonly http: HttpClient

  constructor(private readonly options: TransportOptions) {
    // Redirects are followed here, not by http-client, so credentials never follow to another host.
    this.http = new HttpClient(USER_AGENT, [], {
      allowRedirects: false,
      allowRetries: false,
      keepAlive: options.keepAlive ?? false,
      socketTimeout: options.timeoutMs
    })
  }

  /**
   * Sends a request, following the redirects the policy allows; resolves with the unread 2xx
   * response, or throws the service's error. `signal` cuts the wait short.
   */
  async open(
    request: HttpRequest,
    headersFor: HeadersFor,
    signal?: AbortSignal
  ): Promise<IncomingMessage> {
    const { method, body } = request
    const { redirects } = this.options
    let url = request.url
    for (let hop = 0; ; hop++) {
      const headers = await headersFor(url)
      const response = (await unlessAborted(this.send(method, url, body, headers), signal)).message
      // From here the TransferWatch's idle timer guards the body; the socket timer only covers
      // connecting and waiting for headers, and would cut a body with a vague 'aborted'.
      response.socket?.setTimeout(0)
      const status = response.statusCode ?? 0
      const location = response.headers.location
      if (REDIRECT_STATUSES.has(status) && location && redirects.follows(method)) {
        response.destroy()
        if (hop >= MAX_REDIRECTS) {
          throw this.refused('too many redirects', redirects.tooMany(MAX_REDIRECTS, url))
        }
        const next = new URL(location, url)
        const refusal = redirects.refusal(next)
        if (refusal !== undefined) throw this.refused('redirect refused', refusal)
        url = next
        continue
      }
      if (status >= 200 && status < 300) return response
      throw await this.errorOf(request, response, signal)
    }
  }

  /** Sends a request and reads its 2xx answer whole, up to the body limit; a larger one is refused. */
  async fetch(request: HttpRequest, headersFor: HeadersFor, signal?: AbortSignal): Promise<Answer> {
    const limit = this.options.bodyLimit ?? JSON_BODY_LIMIT
    const response = await this.open(request, headersFor, signal)
    const answer = await this.read(request, response, limit + 1, signal)
    if (answer.body.length > limit) {
      throw this.refused(
        'answer too large',
        `the response was larger than ${limit / (1024 * 1024)} MiB, far above any real answer; it was not read`
      )
    }
    return answer
  }

  /** Closes kept-alive connections so the process can exit. */
  dispose(): void {
    this.http.dispose()
  }

  /** Sends one request of a hop; http-client's socket time-out becomes a RequestTimeoutError. */
  private async send(
    method: HttpRequest['method'],
    url: URL,
    body: string | undefined,
    headers: Record<string, string>
  ): Promise<HttpClientResponse> {
    try {
      return await this.http.request(method, url.href, body ?? null, headers)
    } catch (error) {
      // http-client 4 reports its time-out as a plain Error with this text and no code: this is
      // the one place it is read, so that everything above decides on the type.
      if (!(error instanceof Error && error.message.startsWith('Request timeout: '))) throw error
      const seconds = this.options.timeoutMs / 1000
      throw new RequestTimeoutError(
        `no answer to ${method} ${url.pathname} within ${seconds} s (timeout-seconds)`,
        { cause: error }
      )
    }
  }

  private refused(refusal: Refusal, what: string): ExchangeRefusedError {
    return new ExchangeRefusedError(refusal, what, this.options.refusals)
  }

  /**
   * Reads at most `limit` bytes of an answer's body, for `fetch` and for an error answer: the
   * one place those answers pass, and where each goes to the debug log when asked for. A 2xx
   * answer `open` returns (a streamed stage log) is read by its caller and never passes here.
   */
  private async read(
    request: HttpRequest,
    response: IncomingMessage,
    limit: number,
    signal?: AbortSignal
  ): Promise<Answer> {
    const bytes = await readCapped(response, limit, this.options.timeoutMs, signal)
    const status = response.statusCode ?? 0
    const body = bytes.toString('utf8')
    const { url } = request
    this.options.logAnswer?.(answerLogLine(`${request.method} ${url.pathname}`, status, body))
    return { url, status, headers: response.headers, body }
  }

  /** The service's error for an error answer, even when its body cannot be read. */
  private async errorOf(
    request: HttpRequest,
    response: IncomingMessage,
    signal?: AbortSignal
  ): Promise<ApiError> {
    const status = response.statusCode ?? 0
    let body: string
    try {
      body = (await this.read(request, response, ERROR_BODY_LIMIT, signal)).body
    } catch (error) {
      // The status is what matters (a 401 must not turn into a retried network error).
      body = `(body unreadable: ${sanitizeForLog(errorMessage(error))})`
    }
    const details = parseApiError(status, body, headerValue(response.headers['x-request-id']))
    details.retryAfterMs = parseRetryAfter(headerValue(response.headers['retry-after']), Date.now())
    return this.options.toError(details)
  }
}
