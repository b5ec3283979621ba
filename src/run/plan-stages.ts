import * as core from '@actions/core'
import { listStages, type BuildStage } from '../codearts/stage-list.js'
import { isFailedStatus } from '../codearts/status.js'
import { StepError, errorMessage } from '../errors.js'
import { sanitizeForLog } from '../server-text.js'
import { callOptions, type RunContext } from './context.js'

/** The stages to fetch, and what the stage list says of each once it is known. */
export interface StagePlan {
  taskNames: string[]
  /** Settles with the listed stages by task name; empty when the list could not be read. */
  listed: Promise<Map<string, BuildStage>>
}

/**
 * Decides which stages to fetch. `all` and `failed` need the stage list and fail the step
 * without it; named stages are fetched as given while the list is read beside them, for the
 * console's names and results only.
 */
export async function planStages(ctx: RunContext, recordId: string): Promise<StagePlan> {
  const listed = listStages(ctx.client, recordId, callOptions(ctx, 'stage list'), why =>
    core.debug(`stage list: skipped an entry: ${sanitizeForLog(why)}`)
  )
  const byName = (stages: BuildStage[]): Map<string, BuildStage> =>
    new Map(stages.map(stage => [stage.taskName, stage]))
  const selection = ctx.inputs.stages
  if (selection.kind === 'named') {
    const known = listed.then(byName, (error: unknown) => {
      core.info(
        `The stage list of record ${recordId} could not be read, so the summary shows stage numbers only: ${sanitizeForLog(errorMessage(error))}`
      )
      return new Map<string, BuildStage>()
    })
    return { taskNames: selection.names, listed: known }
  }

  const listingFailed = (cause: unknown, advice: string): StepError =>
    new StepError({
      title: `Could not list the stages of record ${recordId}`,
      context: `failed to list the build actions of record ${recordId}`,
      cause,
      advice: `${advice} name the stages with task-names (e.g. task-names: stage1, stage2).`
    })
  let stages: BuildStage[]
  try {
    stages = await listed
  } catch (error) {
    throw listingFailed(error, 'To fetch logs without the list,')
  }
  if (stages.length === 0) {
    throw listingFailed('no build actions listed', 'Check that the build has run, or')
  }
  const chosen = selection.kind === 'failed' ? stages.filter(s => isFailedStatus(s.status)) : stages
  core.info(
    `Record ${recordId} lists ${stages.length} build action(s): ${stages
      .map(s => `${s.taskName}${s.status ? ` [${s.status}]` : ''}`)
      .join(', ')}`
  )
  return { taskNames: chosen.map(s => s.taskName), listed: Promise.resolve(byName(stages)) }
}
