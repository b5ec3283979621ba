import { UnexpectedResponseError } from '../errors.js'
import { completeDetails, textField, type ApiErrorDetails } from '../http/api-error.js'
import { objectOf } from '../http/json-object.js'
import { TextLimit, serverText } from '../server-text.js'
import { CodeArtsApiError } from './api-error.js'

/** Which part of a JSON answer a caller reads: the envelope's `result`, or the whole object. */
export type AnswerPart = 'result' | 'body'

/** The words of a `status` that make a 2xx answer an error. */
const FAILED_ENVELOPE = new Set(['fail', 'failed', 'error'])

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
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch {
    throw new UnexpectedResponseError('the answer was not JSON', body)
  }
  const parsed = objectOf(json)
  if (!parsed) throw new UnexpectedResponseError('the answer was not a JSON object', body)
  const status = typeof parsed.status === 'string' ? parsed.status.toLowerCase() : ''
  if (FAILED_ENVELOPE.has(status)) {
    const error = parsed.error
    const details: ApiErrorDetails = {
      status: 200,
      envelope: true,
      requestId: textField(parsed, TextLimit.Name, 'request_id', 'requestId')
    }
    if (typeof error === 'string') details.errorMsg = serverText(error, TextLimit.Message)
    throw new CodeArtsApiError(
      completeDetails(details, objectOf(error), body, requestId),
      unauthorizedHint
    )
  }
  if (part === 'body') return parsed
  if (!('result' in parsed)) throw new UnexpectedResponseError('the answer had no "result"', body)
  return parsed.result
}
