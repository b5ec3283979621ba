/** The one vocabulary of CodeArts statuses, of a build record and of its actions. */

/** The longest status word; anything longer is no status the API documents. */
const STATUS_CHARS = 32
const STATUS_WORD = /^[a-z0-9_-]+$/

/** The status shown for a value that is not a word. */
export const UNKNOWN_STATUS = 'unknown'

/** Words of a build or action that ended well. */
const SUCCEEDED = new Set(['success', 'succeeded'])
/** Words of a build or action that failed. */
const FAILED = new Set(['error', 'failed', 'failure', 'fail', 'aborted', 'timeout'])
/** Words of a build that ended neither well nor failed: it was stopped. */
const STOPPED = new Set(['cancelled', 'canceled', 'stopped'])
/** Words of a build or action still on its way. */
const RUNNING = new Set(['running', 'pending', 'queued', 'waiting', 'init', 'initializing'])

/** How a status reads: ended well, failed, stopped, on its way, or not a word we know. */
export type StatusKind = 'succeeded' | 'failed' | 'stopped' | 'running' | 'unknown'

/** What a status (any case) says; `unknown` for '' and any word not in the vocabulary. */
export function statusKind(status: string | undefined): StatusKind {
  const word = (status ?? '').toLowerCase()
  if (SUCCEEDED.has(word)) return 'succeeded'
  if (FAILED.has(word)) return 'failed'
  if (STOPPED.has(word)) return 'stopped'
  return RUNNING.has(word) ? 'running' : 'unknown'
}

/** Whether a record status (any case) says the build has ended; anything else means wait. */
export function isBuildEnded(status: string): boolean {
  const kind = statusKind(status)
  return kind === 'succeeded' || kind === 'failed' || kind === 'stopped'
}

/** Whether a CodeArts status says the action or build failed (any case). */
export function isFailedStatus(status: string | undefined): boolean {
  return statusKind(status) === 'failed'
}

/**
 * Reads a status from a server as a lower-case word of letters, digits, `_` and `-`: '' when
 * there is none, UNKNOWN_STATUS for anything else, so a status can never carry other text.
 */
export function serverStatus(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') return ''
  const word = value.trim().toLowerCase()
  return word.length <= STATUS_CHARS && STATUS_WORD.test(word) ? word : UNKNOWN_STATUS
}
