import * as core from '@actions/core'
import type { CallOptions, CodeArtsClient } from '../codearts/client.js'
import { systemClock, type Clock } from '../http/clock.js'
import type { Limiter } from '../http/limiter.js'
import { DEFAULT_RETRY_POLICY, type OnRetry, type RetryPolicy } from '../http/retry.js'
import type { Env } from '../input-reader.js'
import type { ActionInputs } from '../inputs/action-inputs.js'
import { sanitizeForLog } from '../server-text.js'
import type { Cancellation } from './cancellation.js'

/**
 * What every step of a run shares: the inputs, the one client, the limiter of its request slots,
 * the canceller (whose signal every request takes), the retry policy, the environment.
 */
export interface RunContext {
  inputs: ActionInputs
  client: CodeArtsClient
  /** `concurrency` slots, drawn from by the log downloads and the summary's reads. */
  limiter: Limiter
  cancellation: Cancellation
  /** The inputs' retry policy, made once: every request of the run is retried by it. */
  retry: RetryPolicy
  env: Env
}

/** Where the wait for a running build stands: how often to ask, until when, and by which clock. */
export interface Wait {
  pollMs: number
  deadline: number
  /** When the wait began (epoch ms). */
  startedAt: number
  /** Every pause and deadline of the wait (status polls, record lookups, the live log) is on it. */
  clock: Clock
}

/** The wait the inputs ask for, starting now; undefined for `wait-minutes: 0`. */
export function waitFrom(inputs: ActionInputs, clock: Clock = systemClock): Wait | undefined {
  if (inputs.waitMinutes <= 0) return undefined
  const now = clock.now()
  return {
    pollMs: inputs.pollSeconds * 1000,
    startedAt: now,
    deadline: now + inputs.waitMinutes * 60_000,
    clock
  }
}

/** How long the wait has run, for the log. */
export function waited(wait: Wait): string {
  return `${Math.round((wait.clock.now() - wait.startedAt) / 1000)} s`
}

export function retryPolicy(inputs: ActionInputs): RetryPolicy {
  return { ...DEFAULT_RETRY_POLICY, maxAttempts: inputs.maxAttempts }
}

/** The retry callback of the requests named `what`: logs each retry the same way for every request. */
export function logRetry(what: string): OnRetry {
  return n =>
    core.info(
      `${what}: attempt ${n.attempt} of ${n.maxAttempts} failed: ${sanitizeForLog(n.reason)}; retrying in ${(n.delayMs / 1000).toFixed(1)} s`
    )
}

/** The options of one call named `what`: the run's retries and signal, retries logged. */
export function callOptions(ctx: RunContext, what: string): CallOptions {
  return {
    retry: ctx.retry,
    signal: ctx.cancellation.signal,
    onRetry: logRetry(what)
  }
}
