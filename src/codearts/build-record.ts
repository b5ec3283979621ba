import { MAX_BUILD_NUMBER } from '../constants.js'
import { TextLimit, serverText } from '../server-text.js'
import { objectOf } from '../http/json-object.js'
import { countOf } from './answer-fields.js'
import { serverStatus } from './status.js'
import { parseServerTime, queueDurationMs, runDurationMs } from './time.js'

/**
 * What a record's answers say about its build, for the line above the stage table. Parameter
 * values are never read: they can be secrets.
 */
export interface BuildRecord {
  buildNumber?: number
  /** The record's status, lower-cased. */
  status?: string
  /** Epoch ms. */
  startMs?: number
  /** How long the build queued: `pending_duration`, else start − queued. */
  queuedMs?: number
  /** How long it ran: `build_duration`, else finish − start. */
  ranMs?: number
  trigger?: string
  branch?: string
  tag?: string
  commit?: string
  /** The first line of the commit's message. */
  commitMessage?: string
}

function name(value: unknown): string | undefined {
  return serverText(value, TextLimit.Name)
}

/** The first line of a commit message that has text, cut to a message's length. */
function firstLine(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined
  const line = value.split(/\r\n|[\n\r\u2028\u2029]/).find(text => text.trim() !== '')
  return serverText(line, TextLimit.Name)
}

/**
 * Reads the `result` of `GET /v1/record/{id}/info` (`BuildRecord`) or of
 * `GET /v1/record/{job}/{n}/record-info` (`RecordInfo2Result`): their fields overlap, and each
 * names the commit and the trigger its own way. Fields that cannot be read are left out.
 */
export function parseBuildRecord(result: unknown): BuildRecord {
  const r = objectOf(result) ?? {}
  const number = countOf(r.build_no)
  const times = {
    queuedTime: r.queued_time,
    startTime: r.start_time,
    finishTime: r.finish_time,
    buildDuration: r.build_duration,
    pendingDuration: r.pending_duration
  }
  const record: BuildRecord = {
    buildNumber:
      number !== undefined && number >= 1 && number <= MAX_BUILD_NUMBER ? number : undefined,
    status: serverStatus(r.status) || undefined,
    startMs: parseServerTime(r.start_time),
    queuedMs: queueDurationMs(times),
    ranMs: runDurationMs(times),
    trigger: name(r.trigger_name) ?? name(r.trigger_type),
    branch: name(r.branch),
    tag: name(r.tag),
    commit: name(r.commit) ?? name(r.revision),
    commitMessage: firstLine(r.commit_message)
  }
  return Object.fromEntries(
    Object.entries(record).filter(([, value]) => value !== undefined)
  ) as BuildRecord
}

/** Two readings of one record, the later one's fields first (a build that ended knows more). */
export function laterRecord(
  earlier: BuildRecord | undefined,
  later: BuildRecord | undefined
): BuildRecord | undefined {
  return earlier || later ? { ...earlier, ...later } : undefined
}
