import { EnvVars, Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { readEnv, readInput, type Env } from '../input-reader.js'
import type { AuthConfig } from '../signin/sign-in.js'
import { INPUT_TABLE } from './table.js'

/** What OpenID Connect sign-in needs from the other inputs. */
interface OidcRegion {
  region: string
  iamEndpoint: URL
}

const NOTHING_GIVEN =
  `no credentials were given: set ${Inputs.IdentityProvider} to sign in with the job's OpenID Connect token, or the ${Inputs.Token} input to an IAM token, or ${Inputs.AccessKeyId} and ${Inputs.SecretAccessKey} to an access key pair, ` +
  `or run huaweicloud/auth-action before this step so that ${EnvVars.AccessKeyId} and ${EnvVars.SecretAccessKey} are set`

/** Checks that both halves of a key pair are present, naming the missing one. */
function keyPair(
  accessKeyId: string,
  secretAccessKey: string,
  names: [string, string]
): { accessKeyId: string; secretAccessKey: string } | undefined {
  if (accessKeyId === '' && secretAccessKey === '') return undefined
  if (accessKeyId === '' || secretAccessKey === '') {
    const [given, missing] = accessKeyId === '' ? [names[1], names[0]] : names
    throw new InputError(
      Inputs.AccessKeyId,
      `is incomplete: ${given} is set but ${missing} is empty; give both halves of the access key pair`
    )
  }
  return { accessKeyId, secretAccessKey }
}

/** The identity-provider method, refused when a stored credential input is given too. */
function oidcConfig(
  env: Env,
  identityProvider: string,
  target: OidcRegion,
  projectId: string | undefined
): AuthConfig {
  const clashing = [
    Inputs.Token,
    Inputs.AccessKeyId,
    Inputs.SecretAccessKey,
    Inputs.SecurityToken
  ].filter(name => readInput(env, name) !== '')
  if (clashing.length > 0) {
    throw new InputError(
      Inputs.IdentityProvider,
      `is set together with ${clashing.join(', ')}: sign in either with OpenID Connect (identity-provider) or with stored credentials, not both`
    )
  }
  return {
    method: 'oidc',
    identityProvider,
    audience: readInput(env, Inputs.Audience) || INPUT_TABLE[Inputs.Audience].default,
    ...target,
    projectId,
    environmentKeysIgnored:
      readEnv(env, EnvVars.AccessKeyId) !== '' || readEnv(env, EnvVars.SecretAccessKey) !== ''
  }
}

/**
 * Picks the credentials: identity-provider, the token input, then the key pair inputs, then the
 * HUAWEI_CLOUD_* environment. Explicit inputs always win over the environment, unlike some Huawei actions.
 */
export function resolveCredentials(env: Env, target: OidcRegion): AuthConfig {
  const projectId = readInput(env, Inputs.ProjectId) || readEnv(env, EnvVars.ProjectId) || undefined
  const identityProvider = readInput(env, Inputs.IdentityProvider)
  if (identityProvider !== '') return oidcConfig(env, identityProvider, target, projectId)
  const token = readInput(env, Inputs.Token)
  const securityTokenInput = readInput(env, Inputs.SecurityToken)
  const fromInputs = keyPair(
    readInput(env, Inputs.AccessKeyId),
    readInput(env, Inputs.SecretAccessKey),
    [Inputs.AccessKeyId, Inputs.SecretAccessKey]
  )
  if (token !== '') {
    if (fromInputs) {
      throw new InputError(
        Inputs.Token,
        `is set together with ${Inputs.AccessKeyId} and ${Inputs.SecretAccessKey}: give either an IAM token or an access key pair, not both`
      )
    }
    if (securityTokenInput !== '') {
      throw new InputError(
        Inputs.SecurityToken,
        `goes with an access key pair (temporary credentials), not with ${Inputs.Token}`
      )
    }
    return { method: 'token', token, projectId }
  }
  if (fromInputs) {
    return {
      method: 'aksk',
      source: 'inputs',
      ...fromInputs,
      securityToken: securityTokenInput || undefined,
      projectId
    }
  }
  const fromEnv = keyPair(
    readEnv(env, EnvVars.AccessKeyId),
    readEnv(env, EnvVars.SecretAccessKey),
    [EnvVars.AccessKeyId, EnvVars.SecretAccessKey]
  )
  if (fromEnv) {
    return {
      method: 'aksk',
      source: 'environment',
      ...fromEnv,
      securityToken: securityTokenInput || readEnv(env, EnvVars.SecurityToken) || undefined,
      projectId
    }
  }
  throw new InputError(Inputs.Token, NOTHING_GIVEN)
}
