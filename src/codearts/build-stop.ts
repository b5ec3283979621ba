import { objectOf } from '../http/json-object.js'
import { TextLimit, serverText } from '../server-text.js'
import { isTrue } from './answer-fields.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import type { JobBuild } from './job-build.js'

/** What the stop API said: whether CodeArts accepted the stop, and its own words. */
interface StopAnswer {
  accepted: boolean
  result?: string
}

/** Reads `{"success": true|false, "result": "…"}`; anything but true is not accepted. */
export function stopAnswerOf(answer: unknown): StopAnswer {
  const fields = objectOf(answer)
  return {
    accepted: isTrue(fields?.success),
    result: serverText(fields?.result, TextLimit.Message)
  }
}

/** Asks CodeArts to stop a build (`POST /v3/jobs/{job_id}/{build_no}/stop`), retried like a start. */
export function stopBuild(
  client: CodeArtsClient,
  build: JobBuild,
  options: CallOptions
): Promise<StopAnswer> {
  return client.call(
    {
      method: 'POST',
      pathname: `/v3/jobs/${encodeURIComponent(build.jobId)}/${build.buildNumber}/stop`,
      part: 'body',
      read: stopAnswerOf,
      changesServer: true
    },
    options
  )
}
