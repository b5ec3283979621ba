import type { AuthConfig } from '../inputs.js'

/** What an authenticator needs to know of one request attempt. */
export interface OutgoingRequest {
  method: string
  url: URL
  headers: Record<string, string>
}

/** Adds authentication to a request; one implementation per auth method. */
export interface Authenticator {
  /** Names the method for the log, never the secret. */
  readonly description: string
  /** The headers to send for one attempt, credentials included, computed at `now`. */
  authenticate(request: OutgoingRequest, now: Date): Record<string, string>
}

/** Builds the authenticator for the configured method. */
export function createAuthenticator(auth: AuthConfig): Authenticator {
  return {
    description: 'IAM token (X-Auth-Token)',
    authenticate: request => ({ ...request.headers, 'X-Auth-Token': auth.token })
  }
}
