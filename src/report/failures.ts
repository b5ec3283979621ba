import { findingMessage } from '../download/recognisers/recogniser.js'
import type { LocatedFailure, LocatedFailures } from '../locate/located-failure.js'
import { isFullCommit, isRepositoryName } from '../locate/repo-files.js'
import type { StageReport } from './stage-report.js'

/** A compile error of a stage's log, located or not. */
export type CompileError = LocatedFailure & { kind: 'compile-error' }
/** A failing test of a stage's log, located or not. */
export type FailedTest = LocatedFailure & { kind: 'failed-test' }

/**
 * A run's failures as the annotations, the summary and the outputs show them: each list in
 * stage order, then log order, each failure once, and a location only where it is safe to show.
 */
export interface FailureLists {
  compileErrors: CompileError[]
  failedTests: FailedTest[]
  /** The commit whose file list located them, for links. */
  commit?: string
}

/** What a run that located no failure shows. */
export const NO_FAILURES: FailureLists = { compileErrors: [], failedTests: [] }

/** Where the repository is on GitHub, as the runner's environment names it ('' when unset). */
export interface GitHubRepository {
  /** `GITHUB_SERVER_URL`: `https://github.com`, or a GHES host. */
  serverUrl: string
  /** `GITHUB_REPOSITORY`: `owner/name`. */
  repository: string
}

const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/u

/**
 * Whether a path may be shown as a file of the repository: relative, `/`-separated, with no
 * empty, `.` or `..` segment, no drive letter and no control character. The mapper only gives
 * such paths; this guard keeps an annotation or a link from pointing anywhere else regardless.
 */
export function isRepositoryPath(file: string): boolean {
  return (
    file !== '' &&
    !file.includes('\\') &&
    !CONTROL.test(file) &&
    !/^[A-Za-z]:/.test(file) &&
    file.split('/').every(segment => segment !== '' && segment !== '.' && segment !== '..')
  )
}

function isPositiveInteger(n: number | undefined): n is number {
  return n !== undefined && Number.isSafeInteger(n) && n > 0
}

/**
 * The failure with its message bounded as the outputs promise, and its location only when its
 * file is a repository path: a line only with a file, a column only with a line.
 */
function guarded(failure: LocatedFailure): LocatedFailure {
  const { file, line, column, ...finding } = failure
  const message = findingMessage(failure.message.split('\n'))
  if (file === undefined || !isRepositoryPath(file)) return { ...finding, message }
  if (!isPositiveInteger(line)) return { ...finding, message, file }
  if (!isPositiveInteger(column)) return { ...finding, message, file, line }
  return { ...finding, message, file, line, column }
}

/**
 * The run's failures for the report: guarded, compile errors and tests apart, in the order of
 * the stages in `results` (a stage not there goes last), then in log order. Repeats were
 * already dropped where the failures were located (run/locate-failures.ts).
 */
export function failureLists(
  located: LocatedFailures | undefined,
  results: readonly Pick<StageReport, 'stage'>[]
): FailureLists {
  if (!located) return NO_FAILURES
  const order = new Map(results.map((result, i) => [result.stage, i]))
  const rank = (failure: LocatedFailure): number => order.get(failure.stage) ?? results.length
  const kept = located.failures.map(guarded)
  // Array.prototype.sort is stable: log order stays within a stage.
  kept.sort((a, b) => rank(a) - rank(b))
  return {
    compileErrors: kept.filter((f): f is CompileError => f.kind === 'compile-error'),
    failedTests: kept.filter((f): f is FailedTest => f.kind === 'failed-test'),
    ...(located.commit !== undefined && { commit: located.commit })
  }
}

/** Characters of a test's name, a place or a message's first line that the summary shows. */
export const SHOWN_CHARS = 200

export function firstLine(message: string): string {
  const end = message.indexOf('\n')
  return end === -1 ? message : message.slice(0, end)
}

/**
 * Where a failure is, for people: its repository file and line, or else the path and line the
 * tool printed; '' when the tool named no place.
 */
export function placeText(failure: LocatedFailure): string {
  const { file, line, place } = failure
  if (file !== undefined) return line === undefined ? file : `${file}:${line}`
  if (!place) return ''
  return place.line === undefined ? place.path : `${place.path}:${place.line}`
}

// What a server URL's origin and path may hold in a link: nothing that ends a Markdown link
// destination or an HTML attribute.
const URL_BASE = /^https?:\/\/[A-Za-z0-9.:[\]_~%/-]+$/

/** The server's base URL without a trailing `/`; undefined unless it is a plain http(s) URL. */
function serverBase(serverUrl: string): string | undefined {
  if (!URL.canParse(serverUrl)) return undefined
  const url = new URL(serverUrl)
  if (url.username || url.password || url.search || url.hash) return undefined
  const base = `${url.origin}${url.pathname.replace(/\/+$/, '')}`
  return URL_BASE.test(base) ? base : undefined
}

/** A path segment for a URL: percent-encoded, `!'()*` too, so it cannot end a Markdown link. */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(
    /[!'()*]/g,
    c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`
  )
}

/**
 * A failure's line on GitHub, `{server}/{owner/name}/blob/{commit}/{path}#L{line}`, built
 * only from the environment, the commit and the mapped path (a failure of `failureLists`, whose
 * file is a repository path); undefined when the failure is not located or the server, the
 * repository or the commit is missing or malformed.
 */
export function blobLink(
  github: GitHubRepository | undefined,
  commit: string | undefined,
  failure: LocatedFailure
): string | undefined {
  if (!github || failure.file === undefined) return undefined
  const base = serverBase(github.serverUrl)
  if (!base || !isRepositoryName(github.repository) || !isFullCommit(commit)) return undefined
  const path = failure.file.split('/').map(encodeSegment).join('/')
  const anchor = failure.line === undefined ? '' : `#L${failure.line}`
  return `${base}/${github.repository}/blob/${commit}/${path}${anchor}`
}

/**
 * The located compile error an excerpt's error line reports, if one does: one of the same
 * stage whose first message line, printed file name and line number the error line holds (the
 * first such, in log order). The scanner gives no log line for a finding, so the text decides.
 */
export function compileErrorOn(
  lists: FailureLists,
  stage: string,
  errorLine: string
): CompileError | undefined {
  return lists.compileErrors.find(error => {
    const { place, file, message } = error
    const said = firstLine(message).trim()
    if (file === undefined || !place || place.line === undefined || said === '') return false
    const name = place.path.split(/[/\\]/).pop() ?? ''
    return (
      error.stage === stage &&
      name !== '' &&
      errorLine.includes(said) &&
      errorLine.includes(name) &&
      errorLine.includes(String(place.line))
    )
  })
}
