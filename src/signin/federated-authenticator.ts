import * as core from '@actions/core'
import { RENEW_BEFORE_EXPIRY_MS } from '../constants.js'
import {
  projectHeader,
  type Authenticator,
  type OutgoingRequest
} from '../codearts/authenticator.js'
import type { FederatedToken } from './iam-exchange.js'

const FEDERATED_HINT =
  'The federated token was refused even after a fresh exchange: check that the user group the identity ' +
  "provider's mapping rule assigns has CodeArts Build permissions in this region's project " +
  '(or in project-id), and that the build record belongs to it.'

/**
 * Sends a federated token as X-Auth-Token and replaces it when it nears its expiry or the API
 * refuses it; `exchange` gets a fresh ID token and trades it in.
 */
export class FederatedAuthenticator implements Authenticator {
  readonly unauthorizedHint = FEDERATED_HINT
  private current: FederatedToken
  /** The exchange under way, shared by every request that needs one at the same time. */
  private pending?: Promise<void>

  constructor(
    readonly description: string,
    first: FederatedToken,
    private readonly exchange: () => Promise<FederatedToken>,
    private readonly projectId?: string
  ) {
    this.current = first
  }

  /** The API headers with the current token. */
  authenticate(request: OutgoingRequest): Record<string, string> {
    return {
      ...request.headers,
      ...projectHeader(this.projectId),
      'X-Auth-Token': this.current.value
    }
  }

  /** Renews the token when less than RENEW_BEFORE_EXPIRY_MS of it is left at `now`. */
  async ready(now: Date): Promise<void> {
    const expiresAt = this.current.expiresAt
    if (expiresAt && now.getTime() >= expiresAt.getTime() - RENEW_BEFORE_EXPIRY_MS) {
      await this.refresh(`it expires at ${expiresAt.toISOString()}`)
    }
  }

  /** Renews the token after the API answered 401; a retry is then worth it. */
  async renew(): Promise<boolean> {
    await this.refresh('CodeArts refused it (401)')
    return true
  }

  private refresh(why: string): Promise<void> {
    this.pending ??= (async () => {
      core.info(`Renewing the federated token: ${why}`)
      this.current = await this.exchange()
    })().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }
}
