import { RECORD_ID_PATTERN } from '../constants.js'
import { UnexpectedResponseError } from '../errors.js'
import { objectOf } from '../http/json-object.js'
import { parseBuildRecord, type BuildRecord } from './build-record.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import type { JobBuild } from './job-build.js'

/** The record ID of a `record-info` result: `build_record_id`, else `id`, if either has the shape. */
export function recordIdOf(result: unknown): string {
  for (const name of ['build_record_id', 'id']) {
    const value = objectOf(result)?.[name]
    if (typeof value === 'string' && RECORD_ID_PATTERN.test(value)) return value
  }
  throw new UnexpectedResponseError(
    'the answer had no record ID (36 characters of 0-9, a-z and -) in result.build_record_id or result.id',
    JSON.stringify({ result }) ?? ''
  )
}

/** A record found from a job's run: its ID, and what the answer says of the build. */
export interface FoundRecord {
  recordId: string
  record: BuildRecord
}

/** Finds the record of a build task's run (`GET /v1/record/{job_id}/{build_no}/record-info`). */
export function resolveRecordId(
  client: CodeArtsClient,
  build: JobBuild,
  options: CallOptions
): Promise<FoundRecord> {
  return client.call(
    {
      pathname: `/v1/record/${encodeURIComponent(build.jobId)}/${build.buildNumber}/record-info`,
      read: result => ({ recordId: recordIdOf(result), record: parseBuildRecord(result) })
    },
    options
  )
}
