import { MAX_BUILD_NUMBER, RECORD_ID_PATTERN } from '../constants.js'
import { UnexpectedResponseError } from '../errors.js'
import { objectOf } from '../http/json-object.js'
import { TextLimit, serverText } from '../server-text.js'
import { countOf } from './answer-fields.js'
import { parseBuildRecord, type BuildRecord } from './build-record.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import { parseStageList, type BuildStage } from './stage-list.js'
import { serverStatus } from './status.js'

// Each endpoint is one call of the client: its URL and the reader of its answer.

/** A flag sent as a boolean or as the string `"true"`; anything else is false. */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true'
}

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

/** Lists a record's build actions in run order (`GET /v1/record/{id}/full-stages`). */
export function listStages(
  client: CodeArtsClient,
  recordId: string,
  options: CallOptions,
  skipped?: (why: string) => void
): Promise<BuildStage[]> {
  return client.call(
    {
      pathname: `/v1/record/${encodeURIComponent(recordId)}/full-stages`,
      query: { cascade: 'false' },
      read: result => parseStageList(result, skipped)
    },
    options
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

/** The status of an `info` result as a lower-case word (or `unknown`); '' when it has none. */
export function buildStatusOf(result: unknown): string {
  return serverStatus(objectOf(result)?.status)
}

/** A record's status, lower-cased ('' when the answer has none), and what it says of the build. */
export interface RecordStatus {
  status: string
  record: BuildRecord
}

/** The status of a record and what it says of the build (`GET /v1/record/{id}/info`). */
export function readBuildStatus(
  client: CodeArtsClient,
  recordId: string,
  options: CallOptions
): Promise<RecordStatus> {
  return client.call(
    {
      pathname: `/v1/record/${encodeURIComponent(recordId)}/info`,
      read: result => ({ status: buildStatusOf(result), record: parseBuildRecord(result) })
    },
    options
  )
}

/** A build of a job, by its number. */
export interface JobBuild {
  jobId: string
  buildNumber: number
}

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
