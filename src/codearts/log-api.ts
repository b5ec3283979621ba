import type { IncomingMessage } from 'node:http'
import type { CodeArtsClient } from './client.js'

export type LogLevel = 'INFO' | 'DEBUG'

/** One build action's log, as the API addresses it. */
export interface TaskLogRequest {
  recordId: string
  taskName: string
  logLevel: LogLevel
  compress: boolean
}

/** The pseudo-stage that stands for the whole build's log (`download-log`) instead of one action's. */
export const WHOLE_LOG = 'build'

const LOG_ACCEPT = 'application/octet-stream, application/json;q=0.9'

/** The URL of one stage's log (`task-log`), or of the whole build's log for WHOLE_LOG (`download-log`). */
function logUrl(client: CodeArtsClient, request: TaskLogRequest): URL {
  const record = `/v1/log/${encodeURIComponent(request.recordId)}`
  const query = { log_level: request.logLevel, compress: String(request.compress) }
  return request.taskName === WHOLE_LOG
    ? client.url(`${record}/download-log`, query)
    : client.url(`${record}/task-log`, { task_name: request.taskName, ...query })
}

/**
 * Opens one stage's log (or the whole log): resolves with the unread 2xx response, or throws
 * CodeArtsApiError. `signal` cuts the wait short; the caller passes it on to the body.
 */
export function openLog(
  client: CodeArtsClient,
  request: TaskLogRequest,
  signal?: AbortSignal
): Promise<IncomingMessage> {
  return client.open(logUrl(client, request), LOG_ACCEPT, signal)
}
