import { TOKEN_HINT } from './api-error.js'
import { signRequest } from './signer.js'

/** Where a stored credential came from, for the log line (never the values). */
type CredentialSource = 'inputs' | 'environment'

/** A credential the action holds and sends itself: an IAM token, or an access key pair. */
export type StoredCredential =
  | { method: 'token'; token: string; projectId?: string }
  | {
      method: 'aksk'
      source: CredentialSource
      accessKeyId: string
      secretAccessKey: string
      securityToken?: string
      projectId?: string
    }

/** What an authenticator needs to know of one request attempt. */
export interface OutgoingRequest {
  method: string
  url: URL
  headers: Record<string, string>
  /** The JSON body of a POST; the AK/SK signature covers its SHA-256. */
  body?: string
}

/** Adds authentication to a request; one implementation per auth method. */
export interface Authenticator {
  /** Names the method and where the credentials came from, for the log; never a secret. */
  readonly description: string
  /** What to check when the gateway answers 401 to these credentials. */
  readonly unauthorizedHint: string
  /** The headers to send for one attempt, credentials included, computed at `now`. */
  authenticate(request: OutgoingRequest, now: Date): Record<string, string>
  /** Awaited before each API request: renews credentials that would expire soon (federated tokens). */
  ready?(now: Date): Promise<void>
  /** After a 401 from the API: fetches fresh credentials; true when retrying the request is worth it. */
  renew?(): Promise<boolean>
}

const AKSK_HINT =
  'Check the access key pair: the key ID and secret must belong together and the key must be enabled ' +
  '(a key is locked for a while after repeated failures), temporary credentials need their security-token, ' +
  "and the runner's clock must be within 15 minutes of the gateway's."

/** The header that scopes a request to a project, when a project ID is given. */
export function projectHeader(projectId: string | undefined): Record<string, string> {
  return projectId ? { 'X-Project-Id': projectId } : {}
}

/** Builds the authenticator for a stored credential (OpenID Connect signs in first: see signin/). */
export function createAuthenticator(auth: StoredCredential): Authenticator {
  const project = projectHeader(auth.projectId)
  if (auth.method === 'token') {
    return {
      description: 'an IAM token from the token input',
      unauthorizedHint: TOKEN_HINT,
      authenticate: request => ({ ...request.headers, ...project, 'X-Auth-Token': auth.token })
    }
  }
  const source =
    auth.source === 'inputs'
      ? 'the access-key-id and secret-access-key inputs'
      : 'the HUAWEI_CLOUD_* environment variables'
  const temporary: Record<string, string> = auth.securityToken
    ? { 'X-Security-Token': auth.securityToken }
    : {}
  return {
    description: `AK/SK signing (SDK-HMAC-SHA256) with ${auth.securityToken ? 'temporary credentials' : 'an access key'} from ${source}`,
    unauthorizedHint: AKSK_HINT,
    // Signed per attempt so that a retried request carries a fresh X-Sdk-Date.
    authenticate: (request, now) =>
      signRequest(
        {
          method: request.method,
          url: request.url,
          headers: { ...request.headers, ...project, ...temporary },
          body: request.body
        },
        auth,
        now
      )
  }
}
