import { statusKind } from '../codearts/status.js'
import type { BuildRef, WaitOutcome } from './run-result.js'

/** The title of the annotation that fails the step with its build. */
const BUILD_FAILED_TITLE = 'Build failed'

interface BuildVerdict {
  level: 'error' | 'warning'
  title: string
  message: string
}

/** Names a build for people: `build 55 of job J (record R)`, or `the build of record R`. */
function describeBuild({ recordId, jobBuild }: BuildRef): string {
  if (jobBuild === undefined) return `the build of record ${recordId}`
  return `build ${jobBuild.buildNumber} of job ${jobBuild.jobId} (record ${recordId})`
}

/**
 * What to say of a build that was waited for: with `failOnBuildFailure`, one error unless it
 * ended in success; without, a warning only for a wait that ran out or a status not read.
 */
export function buildVerdict(
  build: BuildRef,
  outcome: WaitOutcome,
  waitMinutes: number,
  failOnBuildFailure: boolean
): BuildVerdict | undefined {
  const name = describeBuild(build)
  const Name = name.charAt(0).toUpperCase() + name.slice(1)
  const last = outcome.status ? `; its last status was ${outcome.status}` : ''
  let message: string
  let title: string
  if (outcome.end === 'ended') {
    if (statusKind(outcome.status) === 'succeeded' || !failOnBuildFailure) return undefined
    message = `${Name} ended with status ${outcome.status}.`
    title = BUILD_FAILED_TITLE
  } else if (outcome.end === 'timed-out') {
    message = `${Name} was still ${outcome.status || 'without a status'} after ${waitMinutes} minute(s) of waiting (wait-minutes); it goes on running in CodeArts, and the logs are what it had written so far.`
    title = 'Build still running'
  } else {
    message = `The status of ${name} could not be read (${outcome.problem ?? 'no answer'})${last}; the build may go on running in CodeArts, and the logs are fetched as they are.`
    title = 'Could not read the build status'
  }
  if (failOnBuildFailure) {
    return {
      level: 'error',
      title: BUILD_FAILED_TITLE,
      message: `${message} fail-on-build-failure is true, so the step fails.`
    }
  }
  return { level: 'warning', title, message }
}
