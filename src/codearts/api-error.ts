import { ApiError, summarizeApiError, type ApiErrorDetails } from '../http/api-error.js'

/** The error code CodeArts throttles with, under HTTP 400, 500 or a 200 `status: fail` envelope. */
const THROTTLED_CODE = '00060211'

/** What to check when an IAM token is refused. */
export const TOKEN_HINT =
  'Check the token: IAM tokens expire after 24 hours and must be scoped to the project of this region.'

const THROTTLED_HINT = 'The API is throttling requests: lower concurrency or retry later.'

/** Whether CodeArts said it is throttling: HTTP 429, or its throttling code under any status. */
function isThrottled(details: ApiErrorDetails): boolean {
  return details.status === 429 || (details.errorCode ?? '').endsWith(`.${THROTTLED_CODE}`)
}

/** One sentence on what to check for an HTTP status and error code; 401 hints depend on the auth method. */
function hintFor(details: ApiErrorDetails, unauthorizedHint = TOKEN_HINT): string {
  if (isThrottled(details)) return THROTTLED_HINT
  switch (details.status) {
    case 400:
      return 'Check the record ID, the stage names and log-level.'
    case 401:
      return unauthorizedHint
    case 403:
      return 'Check that the credentials have permission to view the build project of this record.'
    case 404:
      return 'Check the record ID, that the stage exists in this build, and the region or endpoint.'
    default:
      return details.status >= 500
        ? 'The CodeArts service failed; retry later, and check the Huawei Cloud status page if it persists.'
        : 'Check the request inputs.'
  }
}

/** Formats error details as `404 CB.00060214 URL not found (request ID …). Hint`. */
export function describeApiError(details: ApiErrorDetails, unauthorizedHint?: string): string {
  return `${summarizeApiError(details)}. ${hintFor(details, unauthorizedHint)}`
}

/** An error answer of the CodeArts API (HTTP status or `status: fail`), with what to check. */
export class CodeArtsApiError extends ApiError {
  constructor(details: ApiErrorDetails, unauthorizedHint?: string) {
    super(details, describeApiError(details, unauthorizedHint))
    this.name = 'CodeArtsApiError'
  }

  /** The annotation title, e.g. `CodeArts Build API error 404 (CB.00060214)`. */
  get title(): string {
    const code = this.details.errorCode ? ` (${this.details.errorCode})` : ''
    return `CodeArts Build API error ${this.details.envelope ? '(status fail)' : this.details.status}${code}`
  }

  override get throttled(): boolean {
    return isThrottled(this.details)
  }
}
