import * as core from '@actions/core'
import { OIDC_SIGN_IN_TITLE } from '../constants.js'
import { StepError, errorTitle } from '../errors.js'
import { withRetries, type OnRetry, type RetryPolicy } from '../http/retry.js'
import {
  HttpTransport,
  headerValue,
  sameOriginOnly,
  urlBelow,
  type RefusalWording
} from '../http/transport.js'
import {
  IamApiError,
  exchangeAdvice,
  exchangeBody,
  readExchangeAnswer,
  type FederatedToken,
  type TokenScope
} from './iam-exchange.js'

/** Which identity provider and IAM the ID token goes to, and the project the token is for. */
export interface OidcSignIn extends TokenScope {
  identityProvider: string
  audience: string
  /** Where the ID token is exchanged; checked like the endpoint. */
  iamEndpoint: URL
}

/** How patiently IAM is asked. */
export interface ExchangeOptions {
  timeoutMs: number
  retry: RetryPolicy
  onRetry?: OnRetry
  /** Given one redacted line per answer read whole, when the runner's debug logging is on. */
  logAnswer?: (line: string) => void
  /** Cuts the exchange short, retries included. */
  signal?: AbortSignal
}

const EXCHANGE_PATH = '/v3.0/OS-AUTH/id-token/tokens'

/** An exchange with IAM the transport refused: a sign-in failure, about iam-endpoint. */
const IAM_REFUSALS: RefusalWording = {
  title: () => OIDC_SIGN_IN_TITLE,
  advice:
    "Check iam-endpoint: it must be the IAM endpoint of the identity provider's region, with no gateway or proxy in between that redirects it or answers in its place."
}

/**
 * Exchanges an ID token for a project-scoped federated token at IAM (CreateTokenWithIdToken),
 * with the retries and time limits of every request; the token is masked as it arrives.
 */
export async function exchangeIdToken(
  idToken: string,
  signIn: OidcSignIn,
  options: ExchangeOptions
): Promise<FederatedToken> {
  const { identityProvider, audience, iamEndpoint } = signIn
  const transport = new HttpTransport({
    timeoutMs: options.timeoutMs,
    redirects: sameOriginOnly(iamEndpoint, 'IAM', 'the ID token'),
    refusals: IAM_REFUSALS,
    logAnswer: options.logAnswer,
    toError: details =>
      new IamApiError(
        details,
        `IAM did not exchange the ID token of identity provider ${JSON.stringify(identityProvider)}`,
        exchangeAdvice(details.status, identityProvider, audience)
      )
  })
  const request = {
    method: 'POST' as const,
    url: urlBelow(iamEndpoint, EXCHANGE_PATH),
    body: exchangeBody(idToken, signIn)
  }
  const headers = {
    'Content-Type': 'application/json;charset=utf8',
    Accept: 'application/json',
    'X-Idp-Id': identityProvider
  }
  const exchangeOnce = async (): Promise<FederatedToken> => {
    const answer = await transport.fetch(request, async () => headers, options.signal)
    const token = readExchangeAnswer(headerValue(answer.headers['x-subject-token']), answer.body)
    core.setSecret(token.value)
    return token
  }
  try {
    const { onRetry, signal } = options
    return await withRetries(exchangeOnce, options.retry, { onRetry, signal })
  } catch (error) {
    if (errorTitle(error) !== undefined) throw error
    throw new StepError({
      title: OIDC_SIGN_IN_TITLE,
      context: `Could not exchange the ID token at ${iamEndpoint.origin}`,
      cause: error,
      advice: 'Check iam-endpoint and that the runner can reach it.'
    })
  } finally {
    transport.dispose()
  }
}
