import { TitledError } from '../errors.js'
import { TextLimit, bodyStart, serverText } from '../server-text.js'
import { objectOf, parseJsonObject } from './json-object.js'

/** What an error answer said, as far as it could be read. */
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

/** An error answer of a service, with what it said; each service titles and explains its own. */
export abstract class ApiError extends TitledError {
  constructor(
    readonly details: ApiErrorDetails,
    message: string
  ) {
    super(message)
  }

  /** Whether the service said it is throttling: such an answer proves nothing was done. */
  get throttled(): boolean {
    return this.details.status === 429
  }
}

/** The first of `names` that holds text in `body`, normalised and cut to `limit`. */
export function textField(
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
  const fields = parseJsonObject(body)
  const details: ApiErrorDetails = {
    status,
    requestId: fields && textField(fields, TextLimit.Name, 'request_id', 'requestId')
  }
  // IAM's v3 APIs nest the code and message: {"error": {"code": …, "message": …}}.
  const error = objectOf(fields?.error) ?? fields
  return completeDetails(details, error, body, headerRequestId)
}

/**
 * Adds what an error object says (code and message, in either spelling) to `details`; where
 * it says neither, the start of the body; the header's request ID where the body gave none.
 */
export function completeDetails(
  details: ApiErrorDetails,
  error: Record<string, unknown> | undefined,
  body: string,
  headerRequestId: string | undefined
): ApiErrorDetails {
  if (error) {
    details.errorCode = textField(error, TextLimit.Name, 'error_code', 'errorCode', 'code')
    details.errorMsg = textField(
      error,
      TextLimit.Message,
      'error_msg',
      'errorMsg',
      'message',
      'msg'
    )
  }
  if (!details.errorCode && !details.errorMsg) details.bodyExcerpt = bodyStart(body)
  details.requestId ??= serverText(headerRequestId, TextLimit.Name)
  return details
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
