import * as core from '@actions/core'
import { OIDC_SIGN_IN_TITLE } from '../constants.js'
import { StepError } from '../errors.js'
import { readEnv, type Env } from '../input-reader.js'

/** The variables the runner sets only for a job that may ask for an ID token. */
const REQUEST_URL = 'ACTIONS_ID_TOKEN_REQUEST_URL'
const REQUEST_TOKEN = 'ACTIONS_ID_TOKEN_REQUEST_TOKEN'

/** Why a job has no ID token, and what to change. */
const NO_ID_TOKEN_ADVICE =
  'Give the job `permissions: id-token: write` (with `contents: read` if the workflow needs it); ' +
  'a pull request from a fork gets no ID token at all, and neither does a run under @github/local-action: ' +
  'there, use the token or access key inputs instead of identity-provider.'

/** Rejects after `ms`, so a hanging ID-token service cannot hold the step (getIDToken takes no timeout). */
function withinTime<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} gave no answer in ${ms / 1000} s`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * Asks GitHub for the job's ID token for `audience` and masks it before anything else can log
 * it; fails with the sign-in title and advice when the job cannot have one.
 */
export async function requestIdToken(
  audience: string,
  env: Env,
  timeoutMs: number
): Promise<string> {
  const missing = [REQUEST_URL, REQUEST_TOKEN].filter(name => readEnv(env, name) === '')
  if (missing.length > 0) {
    throw new StepError(
      OIDC_SIGN_IN_TITLE,
      'GitHub gave this job no ID token',
      new Error(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set`),
      NO_ID_TOKEN_ADVICE
    )
  }
  try {
    // getIDToken masks the token itself (core.setSecret) before it returns it; masking it a
    // second time would print a second ::add-mask:: line carrying it.
    return await withinTime(core.getIDToken(audience), timeoutMs, "GitHub's ID-token service")
  } catch (error) {
    throw new StepError(
      OIDC_SIGN_IN_TITLE,
      `Could not get the job's ID token for audience ${JSON.stringify(audience)}`,
      error,
      'Check that the job has `permissions: id-token: write`; retry the job if GitHub had trouble.'
    )
  }
}
