import { objectOf } from '../http/json-object.js'
import { parseBuildRecord, type BuildRecord } from './build-record.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import { serverStatus } from './status.js'

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
