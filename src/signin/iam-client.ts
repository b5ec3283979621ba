import * as core from '@actions/core'
import { HttpClient } from '@actions/http-client'
import { ERROR_BODY_LIMIT, OIDC_SIGN_IN_TITLE, USER_AGENT } from '../constants.js'
import { IamApiError, StepError, errorTitle, parseApiError } from '../errors.js'
import { readCapped } from '../codearts/client.js'
import {
  parseRetryAfter,
  withRetries,
  type RetryNotice,
  type RetryPolicy
} from '../codearts/retry.js'
import { isAllowedUrl } from '../codearts/url-policy.js'
import {
  exchangeAdvice,
  exchangeBody,
  readExchangeAnswer,
  type FederatedToken,
  type TokenScope
} from './iam-exchange.js'

/** Which identity provider and IAM the ID token goes to. */
export interface ExchangeTarget extends TokenScope {
  identityProvider: string
  audience: string
  iamEndpoint: URL
}

/** How patiently IAM is asked. */
export interface ExchangeOptions {
  timeoutMs: number
  retry: RetryPolicy
  onRetry?: (notice: RetryNotice) => void
}

const EXCHANGE_PATH = '/v3.0/OS-AUTH/id-token/tokens'
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])
const MAX_REDIRECTS = 5

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value
}

/** The exchange URL below the IAM endpoint (which may carry a base path). */
function exchangeUrl(endpoint: URL): URL {
  const url = new URL(endpoint.href)
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${EXCHANGE_PATH}`
  return url
}

/** One POST of the ID token, following redirects only within the IAM endpoint's origin. */
async function postOnce(
  http: HttpClient,
  target: ExchangeTarget,
  body: string,
  timeoutMs: number
): Promise<FederatedToken> {
  let url = exchangeUrl(target.iamEndpoint)
  const headers = {
    'Content-Type': 'application/json;charset=utf8',
    Accept: 'application/json',
    'X-Idp-Id': target.identityProvider
  }
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const response = (await http.request('POST', url.href, body, headers)).message
    // From here readCapped's idle timer guards the body (as in the CodeArts client).
    response.socket?.setTimeout(0)
    const status = response.statusCode ?? 0
    const location = response.headers.location
    if (REDIRECT_STATUSES.has(status) && location) {
      response.destroy()
      const next = new URL(location, url)
      // The body is the credential: it never goes to another origin, nor over plain http to a remote host.
      if (next.origin !== target.iamEndpoint.origin || !isAllowedUrl(next)) {
        throw new Error(
          `IAM redirected to ${next.origin}; the ID token is only sent to ${target.iamEndpoint.origin}`
        )
      }
      url = next
      continue
    }
    const text = (await readCapped(response, ERROR_BODY_LIMIT, timeoutMs)).toString('utf8')
    if (status >= 200 && status < 300) {
      const token = readExchangeAnswer(headerValue(response.headers['x-subject-token']), text)
      core.setSecret(token.value)
      return token
    }
    const details = parseApiError(status, text, headerValue(response.headers['x-request-id']))
    details.retryAfterMs = parseRetryAfter(headerValue(response.headers['retry-after']), Date.now())
    throw new IamApiError(
      details,
      `IAM did not exchange the ID token of identity provider ${JSON.stringify(target.identityProvider)}`,
      exchangeAdvice(status, target.identityProvider, target.audience)
    )
  }
  throw new Error(`IAM stopped after ${MAX_REDIRECTS} redirects`)
}

/**
 * Exchanges an ID token for a project-scoped federated token at IAM (CreateTokenWithIdToken),
 * with the retries and time limits of every request; the token is masked as it arrives.
 */
export async function exchangeIdToken(
  idToken: string,
  target: ExchangeTarget,
  options: ExchangeOptions
): Promise<FederatedToken> {
  // Redirects are handled in postOnce so the ID token never follows to another host.
  const http = new HttpClient(USER_AGENT, [], {
    allowRedirects: false,
    allowRetries: false,
    socketTimeout: options.timeoutMs
  })
  const body = exchangeBody(idToken, target)
  try {
    return await withRetries(() => postOnce(http, target, body, options.timeoutMs), options.retry, {
      onRetry: options.onRetry
    })
  } catch (error) {
    if (errorTitle(error) !== undefined) throw error
    throw new StepError(
      OIDC_SIGN_IN_TITLE,
      `Could not exchange the ID token at ${target.iamEndpoint.origin}`,
      error,
      'Check iam-endpoint and that the runner can reach it.'
    )
  } finally {
    http.dispose()
  }
}
