import * as core from '@actions/core'
import { CodeArtsApiError } from '../codearts/api-error.js'
import { startBuild, type BuildRequest } from '../codearts/build-start.js'
import { Outputs } from '../constants.js'
import { StepError } from '../errors.js'
import { RetriesExhaustedError, provesNothingHappened } from '../http/retry.js'
import { setOutputs } from '../report/outputs.js'
import { callOptions, type RunContext } from './context.js'

/** Names what is started, for the log and the summary: parameter names and source, never values. */
export function describeRequest(request: BuildRequest): string {
  const parts = [
    request.parameters.length > 0
      ? `parameters ${request.parameters.map(p => p.name).join(', ')}`
      : 'no parameters',
    ...(request.branch === undefined ? [] : [`branch ${request.branch}`]),
    ...(request.tag === undefined ? [] : [`tag ${request.tag}`]),
    ...(request.commit === undefined ? [] : [`commit ${request.commit}`])
  ]
  return parts.join(', ')
}

/** Says what this step started, for the log and the summary. */
export function describeStarted(request: BuildRequest, buildNumber: number): string {
  return `Started build ${buildNumber} of job ${request.jobId} with ${describeRequest(request)}`
}

/**
 * Whether a failed start may still have started a build: anything but a refusal (a 4xx answer
 * or a `status: fail` envelope) or a failure that proves nothing was done. A time-out, a reset
 * or a 5xx after the body was sent leaves it open.
 */
export function mayHaveStarted(error: unknown): boolean {
  const cause = error instanceof RetriesExhaustedError ? error.cause : error
  if (provesNothingHappened(cause)) return false
  return !(cause instanceof CodeArtsApiError && cause.details.status < 500)
}

/** Starts the build of the inputs, sets `build-number` at once and returns the number. */
export async function startRequestedBuild(ctx: RunContext, request: BuildRequest): Promise<number> {
  const { jobId } = request
  const { cancellation } = ctx
  core.info(`Starting a build of job ${jobId} with ${describeRequest(request)}`)
  const answer = startBuild(ctx.client, request, {
    ...callOptions(ctx, 'build start'),
    signal: cancellation.startSignal
  })
  cancellation.starting(jobId, answer)
  let buildNumber: number
  try {
    buildNumber = await answer
  } catch (error) {
    if (mayHaveStarted(error)) {
      throw new StepError({
        title: 'A build may have started',
        context: `the start request for job ${jobId} got no clear answer`,
        cause: error,
        advice: `A build of job ${jobId} may have started all the same, so it was not asked again: check the job's build history in the CodeArts console before running this step again.`
      })
    }
    throw new StepError({
      title: 'Could not start the build',
      context: `CodeArts refused to start a build of job ${jobId}`,
      cause: error,
      advice: 'Check job-id, the parameters the job defines and the permissions of the credentials.'
    })
  }
  cancellation.started({ jobId, buildNumber })
  setOutputs({ [Outputs.BuildNumber]: String(buildNumber) })
  core.info(describeStarted(request, buildNumber))
  return buildNumber
}
