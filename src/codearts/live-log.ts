import { objectOf } from '../http/json-object.js'
import { countOf, isTrue } from './answer-fields.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import type { JobBuild } from './job-build.js'

/** One answer of the live log: the text from `startOffset` to `endOffset`, and whether more is ready. */
export interface LiveLogChunk {
  hasMore: boolean
  /** NaN when the answer had no readable offset: the caller stops following. */
  endOffset: number
  /** The build's own output, as written: printed only where workflow commands are off. */
  log: string
}

/** Reads a `real-time-log` result; `has_more` may be a boolean or `"true"`/`"false"`. */
export function liveLogChunkOf(result: unknown): LiveLogChunk {
  const fields = objectOf(result)
  const log = fields?.log
  return {
    hasMore: isTrue(fields?.has_more),
    endOffset: countOf(fields?.end_offset) ?? NaN,
    log: typeof log === 'string' ? log : ''
  }
}

/** The live log of a running build from `startOffset` (`GET /v1/log/{job_id}/{build_no}/real-time-log`). */
export function readLiveLog(
  client: CodeArtsClient,
  build: JobBuild,
  startOffset: number,
  options: CallOptions
): Promise<LiveLogChunk> {
  return client.call(
    {
      pathname: `/v1/log/${encodeURIComponent(build.jobId)}/${build.buildNumber}/real-time-log`,
      query: { start_offset: String(startOffset), end_offset: '0', sort: 'AES', size: '1000' },
      read: liveLogChunkOf
    },
    options
  )
}
