import { DEFAULT_MAX_ATTEMPTS } from '../constants.js'
import { RequestTimeoutError, TransferError, errorMessage } from '../errors.js'
import { ApiError } from './api-error.js'

export interface RetryPolicy {
  /** Every attempt, the first included. */
  maxAttempts: number
  /** The back-off ceiling of the first retry; doubles each retry up to maxDelayMs. */
  baseDelayMs: number
  maxDelayMs: number
  /** The longest a server's Retry-After is honoured for. */
  retryAfterCapMs: number
}

/** One retry about to happen, for the log. */
export interface RetryNotice {
  attempt: number
  maxAttempts: number
  reason: string
  delayMs: number
}

/** Told of each retry before its wait: every retried request takes one of these. */
export type OnRetry = (notice: RetryNotice) => void

/** The final error of a request that was tried more than once. */
export class RetriesExhaustedError extends Error {
  constructor(
    readonly attempts: number,
    cause: unknown
  ) {
    super(`${errorMessage(cause)} (gave up after ${attempts} attempts)`, { cause })
    this.name = 'RetriesExhaustedError'
  }
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: DEFAULT_MAX_ATTEMPTS,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  retryAfterCapMs: 120_000
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504])
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_STREAM_PREMATURE_CLOSE'
])

/**
 * Whether an error is worth another attempt: network trouble, throttling or a server failure.
 * Decided by the error's type or Node's code, never by its text.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof ApiError) return RETRY_STATUSES.has(error.details.status) || error.throttled
  if (error instanceof TransferError || error instanceof RequestTimeoutError) return true
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code !== undefined && NETWORK_CODES.has(code)
}

/**
 * Whether an error proves that the server did nothing: a throttled request (429 or the
 * throttling code) or a connection refused before anything was sent. Only such a failure of a
 * request that starts or stops a build may be retried; a time-out or reset may hide a build
 * that started.
 */
export function provesNothingHappened(error: unknown): boolean {
  if (error instanceof ApiError) return error.throttled
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ECONNREFUSED'
}

/** Reads Retry-After as seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  // An HTTP date has a weekday and month in letters; anything else ("-1") is not one.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : NaN
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * The wait before retry number `retry` (1-based): full jitter over a capped exponential
 * ceiling, or the server's Retry-After (capped) when it gave one.
 */
export function backoffDelay(
  retry: number,
  policy: RetryPolicy,
  random: () => number,
  retryAfterMs?: number
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.retryAfterCapMs)
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1))
  return Math.floor(random() * ceiling)
}

/** Sleeps, waking early (with an error) when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Runs `attempt` until it succeeds, fails for good, or the attempts run out; bounded by the policy. */
export async function withRetries<T>(
  attempt: () => Promise<T>,
  policy: RetryPolicy,
  options: {
    onRetry?: OnRetry
    signal?: AbortSignal
    random?: () => number
    /** Which failures are worth another attempt; isRetryable unless the request changes the server. */
    retryable?: (error: unknown) => boolean
  } = {}
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt()
    } catch (error) {
      if (options.signal?.aborted || !(options.retryable ?? isRetryable)(error)) throw error
      if (n >= policy.maxAttempts) {
        throw n > 1 ? new RetriesExhaustedError(n, error) : error
      }
      const retryAfter = error instanceof ApiError ? error.details.retryAfterMs : undefined
      const delayMs = backoffDelay(n, policy, options.random ?? Math.random, retryAfter)
      options.onRetry?.({
        attempt: n,
        maxAttempts: policy.maxAttempts,
        reason: errorMessage(error),
        delayMs
      })
      await sleep(delayMs, options.signal)
    }
  }
}
