import { MAX_BUILD_NUMBER } from '../constants.js'
import { UnexpectedResponseError } from '../errors.js'
import { objectOf } from '../http/json-object.js'
import { countOf } from './answer-fields.js'
import type { CallOptions, CodeArtsClient } from './client.js'

/** The parameter the CodeArts documentation passes a branch as. */
export const BRANCH_PARAMETER = 'codeBranch'

/** One build parameter as the start API takes it. */
export interface BuildParameter {
  name: string
  value: string
}

/** What to start: the job, its parameters and the source to build. */
export interface BuildRequest {
  jobId: string
  parameters: BuildParameter[]
  /** Sent as the parameter BRANCH_PARAMETER: the start API has no branch field. */
  branch?: string
  tag?: string
  commit?: string
}

/** The body of `POST /v3/jobs/build`; `parameter` and `scm` are left out when empty. */
export function startBody(request: BuildRequest): object {
  const scm = {
    ...(request.tag !== undefined && { build_tag: request.tag }),
    ...(request.commit !== undefined && { build_commit_id: request.commit })
  }
  const parameter =
    request.branch === undefined
      ? request.parameters
      : [...request.parameters, { name: BRANCH_PARAMETER, value: request.branch }]
  return {
    job_id: request.jobId,
    ...(parameter.length > 0 && { parameter }),
    ...(Object.keys(scm).length > 0 && { scm })
  }
}

/** The build number of a start answer: `actual_build_number`, a string or a number. */
export function startedBuildNumber(answer: unknown): number {
  const number = countOf(objectOf(answer)?.actual_build_number)
  if (number === undefined || number < 1 || number > MAX_BUILD_NUMBER) {
    throw new UnexpectedResponseError(
      'the answer had no build number (a whole number from 1) in actual_build_number',
      JSON.stringify(answer) ?? ''
    )
  }
  return number
}

/**
 * Starts a build (`POST /v3/jobs/build`) and returns its number. Retried only when the answer
 * proves nothing started: a build must never be started twice.
 */
export function startBuild(
  client: CodeArtsClient,
  request: BuildRequest,
  options: CallOptions
): Promise<number> {
  return client.call(
    {
      method: 'POST',
      pathname: '/v3/jobs/build',
      body: startBody(request),
      part: 'body',
      read: startedBuildNumber,
      changesServer: true
    },
    options
  )
}
