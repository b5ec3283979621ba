import { RECORD_ID_PATTERN } from '../constants.js'
import { UnexpectedResponseError } from '../errors.js'
import type { CodeArtsClient } from './client.js'
import { withRetries, type RetryNotice, type RetryPolicy } from './retry.js'
import { serverStatus } from './server-text.js'
import { parseStageList, type BuildStage } from './stage-list.js'

/** How a JSON API call is retried and cancelled: the same policy as the log requests. */
export interface ApiCallOptions {
  retry: RetryPolicy
  signal?: AbortSignal
  onRetry?: (notice: RetryNotice) => void
}

function getJson(
  client: CodeArtsClient,
  pathname: string,
  query: Record<string, string>,
  options: ApiCallOptions
): Promise<unknown> {
  return withRetries(() => client.getJson(pathname, query, options.signal), options.retry, options)
}

function field(result: unknown, name: string): unknown {
  return result !== null && typeof result === 'object'
    ? (result as Record<string, unknown>)[name]
    : undefined
}

/** The record ID of a `record-info` result: `build_record_id`, else `id`, if either has the shape. */
export function recordIdOf(result: unknown): string {
  for (const name of ['build_record_id', 'id']) {
    const value = field(result, name)
    if (typeof value === 'string' && RECORD_ID_PATTERN.test(value)) return value
  }
  throw new UnexpectedResponseError(
    'the answer had no record ID (36 characters of 0-9, a-z and -) in result.build_record_id or result.id',
    JSON.stringify({ result }) ?? ''
  )
}

/** Lists a record's build actions in run order (`GET /v1/record/{id}/full-stages`). */
export async function listStages(
  client: CodeArtsClient,
  recordId: string,
  options: ApiCallOptions,
  skipped?: (why: string) => void
): Promise<BuildStage[]> {
  const result = await getJson(
    client,
    `/v1/record/${encodeURIComponent(recordId)}/full-stages`,
    { cascade: 'false' },
    options
  )
  return parseStageList(result, skipped)
}

/** Finds the record of a build task's run (`GET /v1/record/{job_id}/{build_no}/record-info`). */
export async function resolveRecordId(
  client: CodeArtsClient,
  jobId: string,
  buildNumber: number,
  options: ApiCallOptions
): Promise<string> {
  const result = await getJson(
    client,
    `/v1/record/${encodeURIComponent(jobId)}/${buildNumber}/record-info`,
    {},
    options
  )
  return recordIdOf(result)
}

/** The status of an `info` result as a lower-case word (or `unknown`); '' when it has none. */
export function buildStatusOf(result: unknown): string {
  return serverStatus(field(result, 'status'))
}

/** The status of a record, lower-cased; '' when the answer has none (`GET /v1/record/{id}/info`). */
export async function readBuildStatus(
  client: CodeArtsClient,
  recordId: string,
  options: ApiCallOptions
): Promise<string> {
  const result = await getJson(
    client,
    `/v1/record/${encodeURIComponent(recordId)}/info`,
    {},
    options
  )
  return buildStatusOf(result)
}
