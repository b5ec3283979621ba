import type { IncomingMessage } from 'node:http'
import { isAllowedUrl } from '../http/url-policy.js'
import {
  withRetries,
  provesNothingHappened,
  type OnRetry,
  type RetryPolicy
} from '../http/retry.js'
import {
  HttpTransport,
  headerValue,
  type HeadersFor,
  type HttpRequest,
  type RedirectPolicy,
  type RefusalWording,
  urlBelow
} from '../http/transport.js'
import { ApiError } from '../http/api-error.js'
import { CodeArtsApiError } from './api-error.js'
import type { Authenticator } from './authenticator.js'
import { readEnvelope, type AnswerPart } from './envelope.js'

/**
 * One CodeArts endpoint: where it is, and how its answer is read. A new endpoint is one
 * function in a file of its own that returns this (see record-info.ts).
 */
export interface Endpoint<T> {
  method?: 'GET' | 'POST'
  /** Below the API endpoint's base path. */
  pathname: string
  query?: Record<string, string>
  /** Sent as JSON; a POST without one sends an empty body. */
  body?: object
  /** The envelope's `result` (the default), or the whole object (the v3 job APIs have no envelope). */
  part?: AnswerPart
  /** Reads the answer into what the caller uses; throws UnexpectedResponseError when it cannot. */
  read: (answer: unknown) => T
  /** The request changes the server: it is retried only when the answer proves nothing happened. */
  changesServer?: boolean
}

/** How one call is retried and cancelled. */
export interface CallOptions {
  retry: RetryPolicy
  signal?: AbortSignal
  onRetry?: OnRetry
}

interface CodeArtsClientOptions {
  endpoint: URL
  authenticator: Authenticator
  /** Longest wait for the connection, the response headers or the next body bytes. */
  timeoutMs: number
  /** Clock for request signing; injectable so signatures can be reproduced. */
  now?: () => Date
  /** Given one redacted line per answer read whole, when the runner's debug logging is on. */
  logAnswer?: (line: string) => void
}

/** An exchange with the API the transport refused: titled like the API's own errors. */
const REFUSALS: RefusalWording = {
  title: refusal => `CodeArts Build API: ${refusal}`,
  advice:
    "Check endpoint (or region): it must be the CodeArts Build API's own address, with no gateway or proxy in between that redirects it or answers in its place."
}

const JSON_ACCEPT = 'application/json'
const JSON_TYPE = 'application/json;charset=UTF-8'

/** CodeArts on the one transport: authentication, URLs and answer reading. */
export class CodeArtsClient {
  private readonly transport: HttpTransport
  private readonly now: () => Date

  constructor(private readonly options: CodeArtsClientOptions) {
    this.now = options.now ?? (() => new Date())
    this.transport = new HttpTransport({
      timeoutMs: options.timeoutMs,
      keepAlive: true,
      redirects: this.redirectPolicy(),
      refusals: REFUSALS,
      toError: details => new CodeArtsApiError(details, options.authenticator.unauthorizedHint),
      logAnswer: options.logAnswer
    })
  }

  /** The URL of an API path below the endpoint (which may carry a base path). */
  url(pathname: string, query: Record<string, string> = {}): URL {
    return urlBelow(this.options.endpoint, pathname, query)
  }

  /**
   * Calls an endpoint under the retry policy and reads its answer: the HTTP status and the
   * body's own `status` are both checked (an HTTP 200 may carry `status: fail`).
   */
  call<T>(endpoint: Endpoint<T>, options: CallOptions): Promise<T> {
    return withRetries(() => this.callOnce(endpoint, options.signal), options.retry, {
      ...options,
      retryable: endpoint.changesServer ? provesNothingHappened : undefined
    })
  }

  /**
   * Opens a GET of a URL of this API as a stream: resolves with the unread 2xx response, or
   * throws CodeArtsApiError. `signal` cuts the wait short; the caller passes it on to the body.
   */
  open(url: URL, accept: string, signal?: AbortSignal): Promise<IncomingMessage> {
    const request: HttpRequest = { method: 'GET', url }
    return this.authenticated(request, accept, headersFor =>
      this.transport.open(request, headersFor, signal)
    )
  }

  /** Closes kept-alive connections so the process can exit. */
  dispose(): void {
    this.transport.dispose()
  }

  private async callOnce<T>(endpoint: Endpoint<T>, signal?: AbortSignal): Promise<T> {
    const request: HttpRequest = {
      method: endpoint.method ?? 'GET',
      url: this.url(endpoint.pathname, endpoint.query),
      body: endpoint.body === undefined ? undefined : JSON.stringify(endpoint.body)
    }
    const answer = await this.authenticated(request, JSON_ACCEPT, headersFor =>
      this.transport.fetch(request, headersFor, signal)
    )
    const json = readEnvelope(
      answer.body,
      headerValue(answer.headers['x-request-id']),
      this.options.authenticator.unauthorizedHint,
      endpoint.part ?? 'result'
    )
    return endpoint.read(json)
  }

  /** Runs one exchange with credentials; a 401 leads to at most one renewal and one more attempt. */
  private async authenticated<R>(
    request: HttpRequest,
    accept: string,
    exchange: (headersFor: HeadersFor) => Promise<R>
  ): Promise<R> {
    const { authenticator } = this.options
    try {
      return await exchange(this.headersFor(request, accept))
    } catch (error) {
      const refused = error instanceof ApiError && error.details.status === 401
      if (!refused || !authenticator.renew || !(await authenticator.renew())) throw error
      return exchange(this.headersFor(request, accept))
    }
  }

  /** The headers of each hop: credentials only for the API's own host. */
  private headersFor(request: HttpRequest, accept: string): HeadersFor {
    const { authenticator, endpoint } = this.options
    const { method, body } = request
    return async (url: URL): Promise<Record<string, string>> => {
      const headers: Record<string, string> =
        body === undefined ? { Accept: accept } : { Accept: accept, 'Content-Type': JSON_TYPE }
      if (url.host !== endpoint.host) return headers
      await authenticator.ready?.(this.now())
      return authenticator.authenticate({ method, url, headers, body }, this.now())
    }
  }

  /** GETs follow redirects on the endpoint's scheme; a redirected POST is not sent again (the server may have acted). */
  private redirectPolicy(): RedirectPolicy {
    const { protocol } = this.options.endpoint
    return {
      follows: method => method === 'GET',
      // One scheme per client: http-client keeps a single agent, and https must never drop to http.
      refusal: to =>
        to.protocol !== protocol || !isAllowedUrl(to)
          ? `refused a redirect from ${protocol}// to ${to.origin}: only ${protocol}// is followed`
          : undefined,
      tooMany: (max, last) => `stopped after ${max} redirects (last to ${last.origin})`
    }
  }
}
