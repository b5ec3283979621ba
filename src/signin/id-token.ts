import * as core from '@actions/core'
import { OIDC_SIGN_IN_TITLE } from '../constants.js'
import { RequestTimeoutError, StepError, TitledError, UnexpectedResponseError } from '../errors.js'
import { ApiError, summarizeApiError, type ApiErrorDetails } from '../http/api-error.js'
import { parseJsonObject } from '../http/json-object.js'
import { withBudget } from '../http/clock.js'
import { withRetries, type RetryPolicy } from '../http/retry.js'
import { HttpTransport, sameOriginOnly, type RefusalWording } from '../http/transport.js'
import { readEnv, type Env } from '../input-reader.js'

/** The variables the runner sets only for a job that may ask for an ID token. */
const REQUEST_URL = 'ACTIONS_ID_TOKEN_REQUEST_URL'
const REQUEST_TOKEN = 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'

/** Why a job has no ID token, and what to change. */
const NO_ID_TOKEN_ADVICE =
  'Give the job `permissions: id-token: write` (with `contents: read` if the workflow needs it); ' +
  'a pull request from a fork gets no ID token at all, and neither does a run under @github/local-action: ' +
  'there, use the token or access key inputs instead of identity-provider.'

// As @actions/core's OidcClient asks: up to 10 retries of a 502, 503 or 504, 10 ms doubling to
// about 5 s apart, all within the one time limit of the request.
const RETRY_STATUSES = new Set([502, 503, 504])
const ID_TOKEN_RETRY: RetryPolicy = {
  maxAttempts: 11,
  baseDelayMs: 10,
  maxDelayMs: 5_120,
  retryAfterCapMs: 5_120
}

/** The job cannot ask for an ID token: the runner did not set the variables to ask with. */
class NoIdTokenError extends TitledError {
  constructor(missing: string[]) {
    const verb = missing.length > 1 ? 'are' : 'is'
    super(
      `GitHub gave this job no ID token: ${missing.join(' and ')} ${verb} not set. ${NO_ID_TOKEN_ADVICE}`
    )
    this.name = 'NoIdTokenError'
  }

  get title(): string {
    return OIDC_SIGN_IN_TITLE
  }
}

/** An exchange with the ID-token service the transport refused; requestIdToken adds what to check. */
const ID_TOKEN_REFUSALS: RefusalWording = {
  title: () => OIDC_SIGN_IN_TITLE,
  advice: `The runner gave its URL (${REQUEST_URL}): a proxy between the runner and GitHub may redirect it or answer in its place.`
}

class IdTokenApiError extends ApiError {
  constructor(details: ApiErrorDetails) {
    super(details, `GitHub's ID-token service answered ${summarizeApiError(details)}`)
    this.name = 'IdTokenApiError'
  }

  get title(): string {
    return OIDC_SIGN_IN_TITLE
  }
}

/** The ID token of the service's answer `{"value": JWT}`; the body is not shown, as it may hold one. */
function readIdToken(body: string): string {
  const value = parseJsonObject(body)?.value
  if (typeof value !== 'string' || value === '') {
    throw new UnexpectedResponseError(
      "GitHub's ID-token service answered without an ID token (no `value` in its JSON)"
    )
  }
  return value
}

/**
 * GETs the ID token from the runner's URL with its bearer token, within `timeoutMs` in all;
 * `cancel` cuts it short.
 */
async function fetchIdToken(
  requestUrl: string,
  requestToken: string,
  audience: string,
  timeoutMs: number,
  cancel?: AbortSignal
): Promise<string> {
  // The runner's URL already has a query (`?api-version=…`); OidcClient appends to it the same way.
  const url = new URL(`${requestUrl}&audience=${encodeURIComponent(audience)}`)
  const transport = new HttpTransport({
    timeoutMs,
    redirects: sameOriginOnly(url, "GitHub's ID-token service", 'the request token'),
    refusals: ID_TOKEN_REFUSALS,
    toError: details => new IdTokenApiError(details)
  })
  const { budget, signal } = withBudget(timeoutMs, cancel)
  const headersFor = async (to: URL): Promise<Record<string, string>> => ({
    Accept: 'application/json',
    ...(to.origin === url.origin ? { Authorization: `Bearer ${requestToken}` } : {})
  })
  try {
    const answer = await withRetries(
      () => transport.fetch({ method: 'GET', url }, headersFor, signal),
      ID_TOKEN_RETRY,
      {
        signal,
        retryable: error => error instanceof ApiError && RETRY_STATUSES.has(error.details.status)
      }
    )
    return readIdToken(answer.body)
  } catch (error) {
    if (!budget.aborted) throw error
    throw new RequestTimeoutError(
      `GitHub's ID-token service gave no answer in ${timeoutMs / 1000} s`
    )
  } finally {
    transport.dispose()
  }
}

/**
 * Asks GitHub for the job's ID token for `audience`, with the runner's variables in `env`, and
 * masks it before anything else can log it; fails with the sign-in title and advice when the
 * job cannot have one. `cancel` cuts the request short.
 */
export async function requestIdToken(
  audience: string,
  env: Env,
  timeoutMs: number,
  cancel?: AbortSignal
): Promise<string> {
  const missing = [REQUEST_URL, REQUEST_TOKEN].filter(name => readEnv(env, name) === '')
  if (missing.length > 0) throw new NoIdTokenError(missing)
  try {
    const idToken = await fetchIdToken(
      readEnv(env, REQUEST_URL),
      readEnv(env, REQUEST_TOKEN),
      audience,
      timeoutMs,
      cancel
    )
    core.setSecret(idToken)
    return idToken
  } catch (error) {
    throw new StepError({
      title: OIDC_SIGN_IN_TITLE,
      context: `Could not get the job's ID token for audience ${JSON.stringify(audience)}`,
      cause: error,
      advice:
        'Check that the job has `permissions: id-token: write`; retry the job if GitHub had trouble.'
    })
  }
}
