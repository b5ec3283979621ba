import * as core from '@actions/core'
import { laterRecord } from '../codearts/build-record.js'
import { WHOLE_LOG } from '../codearts/log-api.js'
import type { Finding } from '../download/recognisers/recogniser.js'
import { readEnv, type Env } from '../input-reader.js'
import { checkoutFiles } from '../locate/checkout-files.js'
import type { LocatedFailure, LocatedFailures } from '../locate/located-failure.js'
import { RepoFiles, commitToLocate, type FileList } from '../locate/repo-files.js'
import { treeFiles } from '../locate/tree-files.js'
import type { BuildRef, WaitOutcome } from '../report/run-result.js'
import type { StageReport } from '../report/stage-report.js'
import type { RunContext } from './context.js'

/** What the file list is read with. */
export interface LocateOptions {
  /** The runner's environment: GITHUB_WORKSPACE, GITHUB_REPOSITORY, GITHUB_API_URL, GITHUB_SHA. */
  env: Env
  /** The github-token input (masked by the caller); empty means no request. */
  githubToken: string
  /** The commit the build record names (`commit` or `revision`), if a record was read. */
  recordCommit?: string
  signal?: AbortSignal
}

/** A finding with the task name of the stage whose log held it. */
interface StageFinding {
  stage: string
  finding: Finding
}

/**
 * The findings of the scanned logs, in stage order then log order. The whole build's log
 * repeats every stage, so it counts only when no stage log was scanned.
 */
function stageFindings(results: readonly StageReport[]): StageFinding[] {
  const scanned = results.filter(result => result.status === 'downloaded' && result.stats)
  const stageLogs = scanned.filter(result => result.stage !== WHOLE_LOG)
  return (stageLogs.length > 0 ? stageLogs : scanned).flatMap(result =>
    result.status === 'downloaded'
      ? (result.stats?.findings ?? []).map(finding => ({ stage: result.stage, finding }))
      : []
  )
}

/**
 * The files of the repository at the commit the findings were printed from: a checkout in the
 * workspace, else GitHub's trees API. Undefined, with debug lines saying why, when neither
 * gives them.
 */
async function fileList(options: LocateOptions): Promise<FileList | undefined> {
  const { env, signal } = options
  const githubSha = readEnv(env, 'GITHUB_SHA')
  const commit = commitToLocate(options.recordCommit, githubSha)
  const repository = readEnv(env, 'GITHUB_REPOSITORY')
  if (commit === undefined || repository === '') {
    core.debug(
      commit === undefined
        ? 'Failures were not located in files: the build record names no whole commit ID and GITHUB_SHA is not one'
        : 'Failures were not located in files: GITHUB_REPOSITORY is not set'
    )
    return undefined
  }
  const workspace = readEnv(env, 'GITHUB_WORKSPACE')
  const checkout =
    workspace === ''
      ? undefined
      : await checkoutFiles({ workspace, repository, commit, signal }, core.debug)
  return (
    checkout ??
    treeFiles(
      {
        apiUrl: readEnv(env, 'GITHUB_API_URL'),
        repository,
        token: options.githubToken,
        commit,
        fallbackCommit: githubSha,
        signal
      },
      core.debug
    )
  )
}

/** A finding with the repository file, line and column its place names, when it is located. */
function located({ stage, finding }: StageFinding, files: RepoFiles | undefined): LocatedFailure {
  const place = finding.place
  const file = place && files?.locate(place.path)
  if (!place || file === undefined) return { ...finding, stage }
  return {
    ...finding,
    stage,
    file,
    ...(place.line === undefined ? {} : { line: place.line }),
    ...(place.column === undefined ? {} : { column: place.column })
  }
}

/**
 * What makes two failures one: a test's stage and name; a compile error's stage, file (the
 * reported path when unlocated), line, column and message.
 */
function identity(failure: LocatedFailure): string {
  if (failure.kind === 'failed-test') return JSON.stringify([failure.stage, 'test', failure.test])
  const { place } = failure
  return JSON.stringify([
    failure.stage,
    failure.file ?? place?.path,
    place?.line,
    place?.column,
    failure.message
  ])
}

/**
 * One entry per failure, in the order each was first printed. Tools repeat themselves (Maven
 * prints each compile error twice, test runners repeat failures in a summary): the first
 * printing is kept, with the place of a later one when only that one was located.
 */
function withoutRepeats(failures: readonly LocatedFailure[]): LocatedFailure[] {
  const kept = new Map<string, LocatedFailure>()
  for (const failure of failures) {
    const key = identity(failure)
    const first = kept.get(key)
    if (!first) {
      kept.set(key, failure)
    } else if (first.file === undefined && failure.file !== undefined) {
      const { file, line, column, place } = failure
      kept.set(key, { ...first, place, file, line, column })
    }
  }
  return [...kept.values()]
}

/**
 * The failures the recognisers found in the scanned logs, each located in the repository when
 * its reported path names one file of it. The file list is read once, after the downloads, and
 * only when some failure has a place: from a checkout of the repository at the commit in the
 * workspace, else with one request to GitHub's trees API. Never throws for a missing list: the
 * failures are then listed without files, and the debug log says why.
 */
export async function locateFailures(
  results: readonly StageReport[],
  options: LocateOptions
): Promise<LocatedFailures> {
  const findings = stageFindings(results)
  const list = findings.some(({ finding }) => finding.place) ? await fileList(options) : undefined
  const files = list && new RepoFiles(list.paths)
  const failures = withoutRepeats(findings.map(finding => located(finding, files)))
  if (!list || !files) return { failures }
  const count = failures.filter(failure => failure.file !== undefined).length
  core.debug(
    `Located ${count} of ${failures.length} failures in the ${files.size} files of ${list.source} at ${list.commit}` +
      (list.truncated ? ' (a truncated tree: a match may look unique when it is not)' : '')
  )
  return { failures, commit: list.commit }
}

/**
 * The run's step: the failures of its logs, located with its token, at the commit its record
 * names, cut short by a cancel (then listed without files).
 */
export function locateRunFailures(
  ctx: RunContext,
  results: readonly StageReport[],
  build: BuildRef,
  wait: WaitOutcome | undefined
): Promise<LocatedFailures> {
  return locateFailures(results, {
    env: ctx.env,
    githubToken: ctx.inputs.githubToken,
    recordCommit: laterRecord(build.record, wait?.record)?.commit,
    signal: ctx.cancellation.signal
  })
}
