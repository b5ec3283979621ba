import * as core from '@actions/core'
import {
  createAuthenticator,
  type Authenticator,
  type StoredCredential
} from '../codearts/authenticator.js'
import { EnvVars } from '../constants.js'
import type { Env } from '../input-reader.js'
import { FederatedAuthenticator } from './federated-authenticator.js'
import { exchangeIdToken, type ExchangeOptions, type OidcSignIn } from './iam-client.js'
import type { FederatedToken } from './iam-exchange.js'
import { requestIdToken } from './id-token.js'

/** How requests are authenticated; a discriminated union so another method slots in. */
export type AuthConfig =
  | StoredCredential
  | (OidcSignIn & {
      method: 'oidc'
      /** HUAWEI_CLOUD_* keys were set but gave way to identity-provider; said in the log. */
      environmentKeysIgnored: boolean
    })

/**
 * The authenticator for the configured method; for identity-provider, first signs in with the
 * job's ID token, so a sign-in failure ends the step before any CodeArts request. `signal` (a
 * cancel) cuts that first sign-in short, not the renewals of its token later: the stop request
 * of a cancelled run may need one.
 */
export async function signIn(
  auth: AuthConfig,
  options: ExchangeOptions,
  env: Env
): Promise<Authenticator> {
  if (auth.method !== 'oidc') return createAuthenticator(auth)
  if (auth.environmentKeysIgnored) {
    core.info(
      `${EnvVars.AccessKeyId} and ${EnvVars.SecretAccessKey} are set but not used: identity-provider was given`
    )
  }
  const scope = auth.projectId ? `project ${auth.projectId}` : `the project of ${auth.region}`
  const exchange = async (signal?: AbortSignal): Promise<FederatedToken> => {
    const idToken = await requestIdToken(auth.audience, env, options.timeoutMs, signal)
    return exchangeIdToken(idToken, auth, { ...options, signal })
  }
  core.info(
    `Signing in with OpenID Connect at ${auth.iamEndpoint.origin}: identity provider ${auth.identityProvider}, audience ${auth.audience}, scoped to ${scope}`
  )
  const first = await exchange(options.signal)
  const until = first.expiresAt ? `, valid until ${first.expiresAt.toISOString()}` : ''
  core.info(`Signed in with OpenID Connect${until}`)
  return new FederatedAuthenticator(
    `a federated token from OpenID Connect (identity provider ${auth.identityProvider})`,
    first,
    () => exchange(),
    auth.projectId
  )
}
