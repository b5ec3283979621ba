import { TextLimit, sanitizeForLog, serverText } from './codearts/server-text.js'
import { OIDC_SIGN_IN_TITLE } from './constants.js'

// Re-exported: the log-side half of the one rule for server text, where callers already look.
export { sanitizeForLog }

/** A bad input: names the input, what was given and what is allowed. Raised before any request. */
export class InputError extends Error {
  constructor(
    readonly input: string,
    detail: string
  ) {
    super(`Input '${input}' ${detail}`)
    this.name = 'InputError'
  }

  /** The annotation title for this error. */
  get title(): string {
    return `Invalid input: ${this.input}`
  }
}

/** What an error response said, as far as it could be read. */
export interface ApiErrorDetails {
  status: number
  errorCode?: string
  errorMsg?: string
  requestId?: string
  /** The start of a body that was not the documented JSON shape. */
  bodyExcerpt?: string
  /** How long the server asked to wait before trying again (Retry-After). */
  retryAfterMs?: number
  /** The error came in a 2xx answer's `status: fail` envelope, not as an HTTP error status. */
  envelope?: boolean
}

/** A non-2xx answer from the CodeArts API, with the parsed body. */
export class CodeArtsApiError extends Error {
  constructor(
    readonly details: ApiErrorDetails,
    unauthorizedHint?: string
  ) {
    super(describeApiError(details, unauthorizedHint))
    this.name = 'CodeArtsApiError'
  }

  /** The annotation title, e.g. `CodeArts Build API error 404 (CB.00060214)`. */
  get title(): string {
    const code = this.details.errorCode ? ` (${this.details.errorCode})` : ''
    return `CodeArts Build API error ${this.details.envelope ? '(status fail)' : this.details.status}${code}`
  }
}

/**
 * A non-2xx answer from IAM to an ID token exchange, with the parsed body and what to fix;
 * retried like a CodeArts answer of the same status.
 */
export class IamApiError extends Error {
  constructor(
    readonly details: ApiErrorDetails,
    context: string,
    advice: string
  ) {
    super(`${context}: IAM answered ${summarizeApiError(details)}. ${advice}`)
    this.name = 'IamApiError'
  }

  /** Every sign-in failure has the same title, so the annotation says what failed. */
  get title(): string {
    return OIDC_SIGN_IN_TITLE
  }
}

/** A transfer that went wrong after the response started: cut short, or stalled. */
export class TransferError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'TransferError'
  }
}

/** A 2xx answer whose body is not what the API documents: says what came back. */
export class UnexpectedResponseError extends Error {
  constructor(what: string, body: string) {
    super(`${what}; it began: ${excerpt(body)}`)
    this.name = 'UnexpectedResponseError'
  }
}

/** Wraps an error with what was being done, keeping the original as `cause`. */
export class ContextError extends Error {
  constructor(
    context: string,
    readonly cause: unknown
  ) {
    super(`${context}: ${errorMessage(cause)}`)
    this.name = 'ContextError'
  }

  /** The title of the innermost error that has one, if any. */
  get title(): string | undefined {
    return errorTitle(this.cause)
  }
}

/** A step-ending failure with its own annotation title and advice on how to go on. */
export class StepError extends ContextError {
  constructor(
    readonly stepTitle: string,
    context: string,
    cause: unknown,
    advice: string
  ) {
    super(context, cause)
    this.message = `${this.message} ${advice}`
    this.name = 'StepError'
  }

  override get title(): string {
    return this.stepTitle
  }
}

/** The message of anything thrown. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** The annotation title of an error or of the nearest cause that has one. */
export function errorTitle(error: unknown): string | undefined {
  let current = error
  // Bounded: a cause chain could in principle loop back on itself.
  for (let depth = 0; current instanceof Error && depth < 10; depth++) {
    if (
      current instanceof InputError ||
      current instanceof CodeArtsApiError ||
      current instanceof IamApiError ||
      current instanceof StepError
    ) {
      return current.title
    }
    current = current.cause
  }
  return undefined
}

const EXCERPT_CHARS = 200

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
}

function stringField(
  body: Record<string, unknown>,
  limit: TextLimit,
  ...names: string[]
): string | undefined {
  for (const name of names) {
    const value = serverText(body[name], limit)
    if (value !== undefined) return value
  }
  return undefined
}

/** Reads an error response body, JSON or not, flat or with a nested `error` object, into details; never throws. */
export function parseApiError(
  status: number,
  body: string,
  headerRequestId?: string
): ApiErrorDetails {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    parsed = undefined
  }
  const fields = isObject(parsed) ? parsed : undefined
  const details: ApiErrorDetails = {
    status,
    requestId: fields && stringField(fields, TextLimit.Name, 'request_id', 'requestId')
  }
  // IAM's v3 APIs nest the code and message: {"error": {"code": …, "message": …}}.
  const error = fields && isObject(fields.error) ? fields.error : fields
  return completeDetails(details, error, body, headerRequestId)
}

/**
 * Adds what an error object says (code and message, in either spelling) to `details`; where
 * it says neither, the start of the body; the header's request ID where the body gave none.
 */
function completeDetails(
  details: ApiErrorDetails,
  error: Record<string, unknown> | undefined,
  body: string,
  headerRequestId: string | undefined
): ApiErrorDetails {
  if (error) {
    details.errorCode = stringField(error, TextLimit.Name, 'error_code', 'errorCode', 'code')
    details.errorMsg = stringField(
      error,
      TextLimit.Message,
      'error_msg',
      'errorMsg',
      'message',
      'msg'
    )
  }
  if (!details.errorCode && !details.errorMsg) details.bodyExcerpt = excerpt(body)
  details.requestId ??= serverText(headerRequestId, TextLimit.Name)
  return details
}

/** The start of a body as one line of plain, sanitised text (tags dropped), for a message. */
export function excerpt(body: string): string {
  return serverText(body.replace(/<[^>]*>/g, ' '), EXCERPT_CHARS) ?? '(empty body)'
}

/** Which part of a JSON answer a caller reads: the envelope's `result`, or the whole object. */
export type AnswerPart = 'result' | 'body'

/**
 * Reads the `{status, error, result}` envelope of a JSON API's 2xx answer and returns `result`.
 * `status: fail` is an API error even under HTTP 200; its `error` may be an object
 * (`error_code`/`error_msg` or `code`/`msg`) or a plain string.
 */
export function readEnvelope(
  body: string,
  requestId?: string,
  unauthorizedHint?: string,
  part: AnswerPart = 'result'
): unknown {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new UnexpectedResponseError('the answer was not JSON', body)
  }
  if (!isObject(parsed)) throw new UnexpectedResponseError('the answer was not a JSON object', body)
  const status = typeof parsed.status === 'string' ? parsed.status.toLowerCase() : ''
  if (status === 'fail' || status === 'failed' || status === 'error') {
    const error = parsed.error
    const details: ApiErrorDetails = {
      status: 200,
      envelope: true,
      requestId: stringField(parsed, TextLimit.Name, 'request_id', 'requestId')
    }
    if (typeof error === 'string') details.errorMsg = serverText(error, TextLimit.Message)
    throw new CodeArtsApiError(
      completeDetails(details, isObject(error) ? error : undefined, body, requestId),
      unauthorizedHint
    )
  }
  if (part === 'body') return parsed
  if (!('result' in parsed)) throw new UnexpectedResponseError('the answer had no "result"', body)
  return parsed.result
}

/** What to check when an IAM token is refused. */
export const TOKEN_HINT =
  'Check the token: IAM tokens expire after 24 hours and must be scoped to the project of this region.'

/** One sentence on what to check for an HTTP status and error code; 401 hints depend on the auth method. */
export function hintFor(details: ApiErrorDetails, unauthorizedHint = TOKEN_HINT): string {
  const code = details.errorCode ?? ''
  if (code.endsWith('.00060211'))
    return 'The API is throttling requests: lower concurrency or retry later.'
  switch (details.status) {
    case 400:
      return 'Check the record ID, the stage names and log-level.'
    case 401:
      return unauthorizedHint
    case 403:
      return 'Check that the credentials have permission to view the build project of this record.'
    case 404:
      return 'Check the record ID, that the stage exists in this build, and the region or endpoint.'
    case 429:
      return 'The API is throttling requests: lower concurrency or retry later.'
    default:
      return details.status >= 500
        ? 'The CodeArts service failed; retry later, and check the Huawei Cloud status page if it persists.'
        : 'Check the request inputs.'
  }
}

/** Formats error details as `404 CB.00060214 URL not found (request ID …)`, without a hint. */
export function summarizeApiError(details: ApiErrorDetails): string {
  const parts = [details.envelope ? 'status "fail":' : String(details.status)]
  if (details.errorCode) parts.push(details.errorCode)
  if (details.errorMsg) parts.push(details.errorMsg)
  if (details.bodyExcerpt) parts.push(`(body: ${details.bodyExcerpt})`)
  const request = details.requestId ? ` (request ID ${details.requestId})` : ''
  return `${parts.join(' ')}${request}`
}

/** Formats error details as `404 CB.00060214 URL not found (request ID …). Hint`. */
export function describeApiError(details: ApiErrorDetails, unauthorizedHint?: string): string {
  return `${summarizeApiError(details)}. ${hintFor(details, unauthorizedHint)}`
}
