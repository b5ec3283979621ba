import { UnexpectedResponseError } from '../errors.js'
import { objectOf } from '../http/json-object.js'
import { TextLimit, serverText } from '../server-text.js'
import { countOf } from './answer-fields.js'
import type { CallOptions, CodeArtsClient } from './client.js'
import { serverStatus } from './status.js'
import { parseServerTime, stageDurationMs } from './time.js'

/** One build action of a record, as the stage list names and reports it. */
export interface BuildStage {
  /** The log API's `task_name`: `stageN`. */
  taskName: string
  /** The name the CodeArts console shows, e.g. "Build with Maven". */
  displayName?: string
  /** The CodeArts status, lower-cased: `success`, `error`, `running`, …, or `unknown`. */
  status?: string
  /** When the action started and finished (epoch ms), where the list says so readably. */
  startMs?: number
  finishMs?: number
  /** The action's time in CodeArts: `build_duration`, else `duration`, else finish − start. */
  durationMs?: number
}

const TASK_NAME = /^stage[0-9]+$/

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined
}

function stageNumber(taskName: string): number {
  return Number(taskName.slice('stage'.length))
}

/**
 * Reads `result.build_stages` of `GET /v1/record/{id}/full-stages`, a map whose key meaning is
 * undocumented, into the stages in run order. Each entry's task name is `execution_stage_name`
 * if it is `stageN`, else the key if it is, else `stage{sequence}` (counted from 1: a list whose
 * smallest sequence is 0 is shifted up by one). Entries with none of these are skipped and
 * reported to `skipped`; repeats of a task name collapse into the first.
 * Throws when the result holds no `build_stages` map.
 */
export function parseStageList(result: unknown, skipped?: (why: string) => void): BuildStage[] {
  const stages = objectOf(objectOf(result)?.build_stages)
  if (stages === undefined) {
    throw new UnexpectedResponseError(
      'the answer had no "result.build_stages" map',
      JSON.stringify({ result }) ?? ''
    )
  }
  const entries = Object.entries(stages).map(([key, value]) => {
    const entry = objectOf(value) ?? {}
    return { key, entry, sequence: countOf(entry.sequence) }
  })
  const sequences = entries.flatMap(e => (e.sequence === undefined ? [] : [e.sequence]))
  const shift = sequences.length > 0 && Math.min(...sequences) === 0 ? 1 : 0

  const named: { stage: BuildStage; order: number }[] = []
  for (const { key, entry, sequence } of entries) {
    const executionName = text(entry.execution_stage_name)
    const taskName =
      executionName !== undefined && TASK_NAME.test(executionName)
        ? executionName
        : TASK_NAME.test(key)
          ? key
          : sequence !== undefined
            ? `stage${sequence + shift}`
            : undefined
    if (taskName === undefined) {
      skipped?.(
        `entry "${serverText(key, TextLimit.Name) ?? ''}" has no stageN name and no sequence`
      )
      continue
    }
    named.push({
      stage: {
        taskName,
        displayName: serverText(entry.display_name, TextLimit.Name),
        status: serverStatus(entry.status) || undefined,
        ...stageTimes(entry)
      },
      order: sequence !== undefined ? sequence + shift : stageNumber(taskName)
    })
  }
  named.sort(
    (a, b) => a.order - b.order || stageNumber(a.stage.taskName) - stageNumber(b.stage.taskName)
  )
  const seen = new Set<string>()
  return named
    .map(({ stage }) => stage)
    .filter(stage => !seen.has(stage.taskName) && seen.add(stage.taskName))
}

/** An entry's times, each read once in any of the accepted forms; unreadable ones are left out. */
function stageTimes(
  entry: Record<string, unknown>
): Pick<BuildStage, 'startMs' | 'finishMs' | 'durationMs'> {
  const startMs = parseServerTime(entry.start_time)
  const finishMs = parseServerTime(entry.finish_time)
  const durationMs = stageDurationMs({
    startTime: entry.start_time,
    finishTime: entry.finish_time,
    duration: entry.duration,
    buildDuration: entry.build_duration
  })
  return {
    ...(startMs !== undefined && { startMs }),
    ...(finishMs !== undefined && { finishMs }),
    ...(durationMs !== undefined && { durationMs })
  }
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
