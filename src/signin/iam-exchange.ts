import { OIDC_SIGN_IN_TITLE } from '../constants.js'
import { UnexpectedResponseError } from '../errors.js'
import { ApiError, summarizeApiError, type ApiErrorDetails } from '../http/api-error.js'
import { objectOf, parseJsonObject } from '../http/json-object.js'

/**
 * An error answer of IAM to an ID token exchange, with what to fix; retried like a CodeArts
 * answer of the same status.
 */
export class IamApiError extends ApiError {
  constructor(details: ApiErrorDetails, context: string, advice: string) {
    super(details, `${context}: IAM answered ${summarizeApiError(details)}. ${advice}`)
    this.name = 'IamApiError'
  }

  /** Every sign-in failure has the same title, so the annotation says what failed. */
  get title(): string {
    return OIDC_SIGN_IN_TITLE
  }
}

/** Where the federated token is scoped: a project by ID, or the region's project by name. */
export interface TokenScope {
  projectId?: string
  region: string
}

/** A token IAM issued for the ID token, and when it stops working (when IAM said). */
export interface FederatedToken {
  value: string
  expiresAt?: Date
}

/** The JSON body of CreateTokenWithIdToken; CodeArts needs a project-scoped token. */
export function exchangeBody(idToken: string, scope: TokenScope): string {
  const project = scope.projectId ? { id: scope.projectId } : { name: scope.region }
  return JSON.stringify({ auth: { id_token: { id: idToken }, scope: { project } } })
}

/** Reads `token.expires_at` of a 201 body (e.g. `2026-12-03T08:56:33.710000Z`); undefined when absent or unreadable. */
export function parseExpiresAt(body: string): Date | undefined {
  const raw = objectOf(parseJsonObject(body)?.token)?.expires_at
  if (typeof raw !== 'string') return undefined
  // Date.parse takes at most milliseconds; IAM sends microseconds.
  const time = Date.parse(raw.replace(/(\.\d{3})\d+/, '$1'))
  return Number.isNaN(time) ? undefined : new Date(time)
}

/** The federated token of a 2xx answer: X-Subject-Token, with the body's expiry. */
export function readExchangeAnswer(subjectToken: string | undefined, body: string): FederatedToken {
  if (!subjectToken) {
    throw new UnexpectedResponseError('IAM accepted the ID token but sent no X-Subject-Token', body)
  }
  return { value: subjectToken, expiresAt: parseExpiresAt(body) }
}

/** What the identity provider must look like for IAM to accept GitHub's ID tokens. */
function rejectedTokenAdvice(identityProvider: string, audience: string): string {
  return (
    `Check the IAM identity provider ${JSON.stringify(identityProvider)}: ` +
    'its identity provider URL must be https://token.actions.githubusercontent.com; ' +
    `its client ID must equal the audience input (${JSON.stringify(audience)}); ` +
    'its signing key must be the current keys published at https://token.actions.githubusercontent.com/.well-known/jwks; ' +
    "and a mapping rule must match the token's sub claim, for example repo:OWNER/REPO:ref:refs/heads/main."
  )
}

/** One piece of advice per IAM error status of the exchange. */
export function exchangeAdvice(status: number, identityProvider: string, audience: string): string {
  if (status === 400 || status === 401) return rejectedTokenAdvice(identityProvider, audience)
  if (status === 403 || status === 404) {
    return (
      `Check identity-provider (${JSON.stringify(identityProvider)}): it must be the ID of an identity provider ` +
      'of type OpenID Connect with programmatic access in this account, and iam-endpoint must be the IAM of its region.'
    )
  }
  return status >= 500 || status === 429
    ? 'IAM failed or throttled the request; retry the job later.'
    : 'Check identity-provider, audience and iam-endpoint.'
}
