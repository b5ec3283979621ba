import { bodyStart } from './server-text.js'

/**
 * An error with an annotation title of its own. An error without one is annotated with the
 * title of the nearest titled error in its cause chain (see errorTitle).
 */
export abstract class TitledError extends Error {
  /** The annotation title. */
  abstract get title(): string
}

/** A bad input: names the input, what was given and what is allowed. Raised before any request. */
export class InputError extends TitledError {
  constructor(
    readonly input: string,
    detail: string
  ) {
    super(`Input '${input}' ${detail}`)
    this.name = 'InputError'
  }

  get title(): string {
    return `Invalid input: ${this.input}`
  }
}

/** Wraps an error with what was being done; the original is the standard `cause`. */
export class ContextError extends Error {
  constructor(context: string, cause: unknown) {
    super(`${context}: ${errorMessage(cause)}`, { cause })
    this.name = 'ContextError'
  }
}

/** What a StepError says: `{context}: {the cause's message} {advice}`, under `title`. */
export interface StepErrorOptions {
  /** The annotation title. */
  title: string
  /** What was being done, e.g. `failed to find the record of build 55 of job J`. */
  context: string
  cause: unknown
  /** How to go on, as one or more whole sentences. */
  advice: string
}

/** A step-ending failure with its own annotation title and advice on how to go on. */
export class StepError extends TitledError {
  readonly title: string

  constructor({ title, context, cause, advice }: StepErrorOptions) {
    super(`${context}: ${errorMessage(cause)} ${advice}`, { cause })
    this.name = 'StepError'
    this.title = title
  }
}

/** A transfer that went wrong after the response started: cut short, or stalled. */
export class TransferError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TransferError'
  }
}

/**
 * No answer in time: the connection or the response headers did not come within the time-out.
 * Worth another attempt, like a connection reset.
 */
export class RequestTimeoutError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options)
    this.name = 'RequestTimeoutError'
  }
}

/**
 * A 2xx answer whose body is not what the API documents: says what came back, unless the body
 * may hold a secret (then `body` is left out and nothing of it is quoted).
 */
export class UnexpectedResponseError extends Error {
  constructor(what: string, body?: string) {
    super(body === undefined ? what : `${what}; it began: ${bodyStart(body)}`)
    this.name = 'UnexpectedResponseError'
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The annotation title of an error: its own, or that of the nearest titled error in its cause chain. */
export function errorTitle(error: unknown): string | undefined {
  let current = error
  // Bounded: a cause chain could in principle loop back on itself.
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    if (current instanceof TitledError) return current.title
    current = current.cause
  }
  return undefined
}
