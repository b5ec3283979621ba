import * as core from '@actions/core'
import type { LocatedFailure } from '../locate/located-failure.js'
import { EXIT_FAILURE, SHOWN_ERRORS, SHOWN_WARNINGS } from '../constants.js'
import { propertyText, sanitizeForLog } from '../server-text.js'
import type { FailureLists } from './failures.js'
import { stageLabel, stageLabelIn, type StageReport } from './stage-report.js'

/** The level of an annotation: an error or a warning (GitHub shows ten of each per step). */
export type AnnotationLevel = 'error' | 'warning'

/** A warning annotation to raise for a build error found in a log. */
export interface BuildErrorAnnotation {
  title: string
  message: string
}

/** Lines of log text as an annotation's message: each made inert, the line breaks kept. */
function inertLines(lines: readonly string[]): string {
  return lines.map(sanitizeForLog).join('\n')
}

/**
 * Picks the first `max` build errors across the stages, in task order, as warnings, each with
 * the lines that belong to it as its message: GitHub shows at most 10 annotations of a kind per
 * step, so the action's own errors keep their room.
 */
export function buildErrorAnnotations(
  results: readonly StageReport[],
  max: number
): BuildErrorAnnotation[] {
  const annotations: BuildErrorAnnotation[] = []
  for (const result of results) {
    if (result.status !== 'downloaded' || !result.stats) continue
    for (const lines of result.stats.errorGroups) {
      if (annotations.length >= max) return annotations
      annotations.push({
        title: `Build error in ${sanitizeForLog(stageLabel(result))}`,
        message: inertLines(lines)
      })
    }
  }
  return annotations
}

/** An error annotation a located failure raises: its message and its title, file, line and column. */
export interface FailureAnnotation {
  message: string
  properties: core.AnnotationProperties
}

/**
 * The annotation of a compile error (`Compile error in {stage}`) or a failing test (`Test
 * failed: {name}`), with the tool's message, on its file, line and column where located. The
 * toolkit escapes property values, so a name keeps its `::` (`mod::test`); the message is made
 * inert as every log line is.
 */
export function failureAnnotation(
  failure: LocatedFailure,
  results: readonly StageReport[]
): FailureAnnotation {
  const title =
    failure.kind === 'failed-test'
      ? `Test failed: ${failure.test}`
      : `Compile error in ${stageLabelIn(results, failure.stage)}`
  const { file, line, column } = failure
  return {
    message: inertLines(failure.message.split('\n')) || title,
    properties: {
      title: propertyText(title),
      ...(file !== undefined && { file }),
      ...(line !== undefined && { startLine: line }),
      ...(column !== undefined && { startColumn: column })
    }
  }
}

/** The annotations the logs raise: located failures as errors, unrecognised build errors as warnings. */
export interface LogAnnotations {
  errors: FailureAnnotation[]
  warnings: BuildErrorAnnotation[]
}

/**
 * The annotations the logs raise, `max` (build-error-annotations) at most: recognised compile
 * errors, then failing tests, as errors; unrecognised build errors fill what is left as
 * warnings. Each kind is cut further to what GitHub still shows of the step (ten of each level)
 * given those `raised` before: the build's verdict, download failures, the sections' warnings.
 * Errors the cap cut leave their room of `max` to the warnings.
 */
export function logAnnotations(
  results: readonly StageReport[],
  failures: FailureLists,
  max: number,
  raised: Readonly<Record<AnnotationLevel, number>>
): LogAnnotations {
  const recognised = [...failures.compileErrors, ...failures.failedTests]
  const errorRoom = Math.max(0, Math.min(max, SHOWN_ERRORS - raised.error))
  const errors = recognised.slice(0, errorRoom).map(failure => failureAnnotation(failure, results))
  const warningRoom = Math.max(0, Math.min(max - errors.length, SHOWN_WARNINGS - raised.warning))
  return { errors, warnings: buildErrorAnnotations(results, warningRoom) }
}

/**
 * Raises an annotation that fails the step, or only warns when `failStep` is false; returns the
 * level it raised.
 */
export function annotateProblem(
  message: string,
  title: string | undefined,
  failStep: boolean
): AnnotationLevel {
  if (failStep) {
    core.error(message, { title })
    process.exitCode = EXIT_FAILURE
    return 'error'
  }
  core.warning(message, { title })
  return 'warning'
}
