import { BlockState } from './failure-block.js'
import { addMessageLine, type Draft } from './finding-draft.js'
import { positiveNumber } from './native-place.js'
import type { Recogniser, ReportedPlace, Take } from './recogniser.js'

// A failure's message and the top of its stack trace; frames further down rarely hold the test.
const MAX_FOLLOWING = 60

// The duration VSTest puts after a test's name: `[< 1 ms]`, `[9 ms]`, `[2 m 3 s]`.
const DURATION = /^(?:< ?1 ?ms|\d+ ?(?:ms|s|m|h)(?: \d+ ?(?:ms|s|m|h))*)$/
// The headings of a result's sections.
const MESSAGE = 'Error Message:'
const STACK = 'Stack Trace:'
const OTHER_SECTION =
  /^(?:Standard Output Messages|Standard Error Messages|Debug Traces Messages|Additional Information Messages):$/
// What follows a result: the next result, or the run's summary.
const AFTER =
  /^(?:(?:Passed|Failed|Skipped|Not Run) +\S|Test Run (?:Failed|Successful|Aborted)\.|Total tests:|(?:Failed|Passed|Skipped)! +- |Results File:|Attachments:$)/

/** `Failed Name [9 ms]` (VSTest 16 and later) or `Failed   Name` (VSTest 15). */
function failedTest(line: string): { name: string; timed: boolean } | undefined {
  const text = line.trim()
  if (!text.startsWith('Failed ')) return undefined
  const name = text.slice('Failed '.length).trimStart()
  if (name === '') return undefined
  const open = name.lastIndexOf(' [')
  if (open > 0 && name.endsWith(']') && DURATION.test(name.slice(open + 2, -1))) {
    return { name: name.slice(0, open), timed: true }
  }
  return { name, timed: false }
}

/** A stack frame `at Ns.Type.Method(Args) in /path/File.cs:line 20`: its method and place. */
function frame(line: string): { method: string; place?: ReportedPlace } | undefined {
  const text = line.trim()
  if (!text.startsWith('at ')) return undefined
  const inAt = text.indexOf(') in ')
  if (inAt < 0) return { method: text.slice(3) }
  const where = text.slice(inAt + ') in '.length)
  const lineAt = where.lastIndexOf(':line ')
  const number = lineAt > 0 ? positiveNumber(where.slice(lineAt + ':line '.length)) : undefined
  const method = text.slice(3, inAt + 1)
  return number === undefined
    ? { method }
    : { method, place: { path: where.slice(0, lineAt), line: number } }
}

/** Whether a frame's method is the test's: `Ns.Type.Name(…)`, or its async state machine. */
function isTestMethod(frameMethod: string, testName: string): boolean {
  const args = testName.indexOf('(')
  const qualified = args >= 0 ? testName.slice(0, args) : testName
  const name = qualified.slice(qualified.lastIndexOf('.') + 1)
  const call = frameMethod.slice(0, frameMethod.indexOf('('))
  return call === name || call.endsWith(`.${name}`) || call.includes(`<${name}>`)
}

/**
 * A failed test's result: `place` is its first frame with a file; the finding takes `testPlace`
 * instead when there is one.
 */
interface Result extends Draft {
  name: string
  confirmed: boolean
  section?: 'message' | 'stack' | 'other'
  /** The first frame in the test's own method. */
  testPlace?: ReportedPlace
}

class DotnetTestState extends BlockState<Result> {
  protected open(line: string): { take: Take; block: Result } | undefined {
    const failed = failedTest(line)
    if (!failed) return undefined
    const block = { name: failed.name, confirmed: failed.timed, lines: [] }
    return { take: { recognised: failed.timed, following: MAX_FOLLOWING }, block }
  }

  protected extend(result: Result, line: string): 'recognised' | undefined {
    const text = line.trim()
    if (text === MESSAGE || text === STACK || OTHER_SECTION.test(text)) {
      result.confirmed = true
      result.section = text === MESSAGE ? 'message' : text === STACK ? 'stack' : 'other'
      return 'recognised'
    }
    // A name alone (`Failed to …` is no test either) is a result only with a section under it.
    if (!result.confirmed || AFTER.test(text) || text.startsWith('[xUnit.net ')) return undefined
    if (result.section === 'message') {
      addMessageLine(result.lines, result.lines.length === 0 ? text : line)
    } else if (result.section === 'stack') {
      const at = frame(line)
      if (at?.place) {
        result.place ??= at.place
        if (isTestMethod(at.method, result.name)) result.testPlace ??= at.place
      }
    }
    return 'recognised'
  }

  protected close(result: Result): void {
    if (!result.confirmed) return
    const place = result.testPlace ?? result.place
    this.found.addTest(result.name, { lines: result.lines, place }, 'Failed')
  }
}

/**
 * `dotnet test`'s failed tests, as VSTest's console logger prints them: `Failed Name [9 ms]`,
 * then `Error Message:` with the message and `Stack Trace:` with frames
 * `at … in /path/File.cs:line 20`. The place is the frame of the test's own method, else the
 * first frame with a file; the logger prints no column. VSTest 15's `Failed   Name` (no
 * duration) counts only with such a section under it.
 */
export const dotnetTestRecogniser: Recogniser = {
  name: 'dotnet-test',
  triggers: ['Failed '],
  maxFollowing: MAX_FOLLOWING,
  start: () => new DotnetTestState()
}
