import type { Recogniser, Take } from './recogniser.js'
import { BlockState } from './failure-block.js'
import {
  TestFrameChooser,
  classFilePlace,
  framePlace,
  methodBaseName,
  outerClassName,
  parseJvmFrame,
  simpleClassName,
  type JvmFrame
} from './jvm-frames.js'
import { addMessageLine, dedent } from './finding-draft.js'

/**
 * Failing tests as Gradle's test task logs them: the test's display names from its class down,
 * joined by ` > `, then ` FAILED`; under it, indented, the exception:
 *
 *     OrderServiceTest > placesOrder() FAILED
 *         org.opentest4j.AssertionFailedError at OrderServiceTest.java:20
 *
 * by default (short: the exception's class, in newer Gradle its message too, and the first line
 * in the test's class), or with `exceptionFormat = FULL` the exception's text and its frames:
 *
 *     OrderServiceTest > placesOrder() FAILED
 *         org.opentest4j.AssertionFailedError: lines of the order ==> expected: <3> but was: <1>
 *             at app//com.example.order.OrderServiceTest.placesOrder(OrderServiceTest.java:20)
 *
 * The class is shown by its simple name (older Gradle: its full name). The test is named
 * `{class}.{the rest of the path}` (`com.example.order.OrderServiceTest.placesOrder()`), with the
 * class's full name when a frame in it gives it. A frame gives the place's package too; the short
 * form's place is the file the test's class is in. TestNG's tests, logged as
 * `Gradle suite > Gradle test > com.example.OrderTest.placesOrder FAILED`, are named by their
 * last part.
 */
const FAILED_TEST = /^([^\s>].*?) > (.+) FAILED$/
const SHORT_EXCEPTION = /^\s+(\S.*?) at ([\w$.-]+\.[A-Za-z]+):(\d+)$/
const QUALIFIED_TEST = /^((?:[\w$]+\.)+[\w$]+)\.([^.]+)$/
/** Lines after the test's: the exception, its causes and frames (cut after the test's frame). */
const MAX_TEST_LINES = 200

interface OpenTest {
  /** The class as displayed: simple or full name. */
  cls: string
  /** The display names below the class, joined by ` > `. */
  rest: string
  message: string[]
  shortPlace?: { file: string; line: number }
  frames: TestFrameChooser
  inStack: boolean
}

/** The class and the rest of a failed test's display path. */
function testPath(path: string): { cls: string; rest: string } {
  const parts = path.split(' > ')
  const last = parts[parts.length - 1]
  const qualified = QUALIFIED_TEST.exec(last)
  if (parts.length > 1 && /\s/.test(parts[0]) && qualified) {
    return { cls: qualified[1], rest: qualified[2] }
  }
  return { cls: parts[0], rest: parts.slice(1).join(' > ') }
}

/** Whether a frame runs code of the class displayed as `cls` (a simple or full name). */
function frameOfClass(frame: JvmFrame, cls: string): boolean {
  const outer = outerClassName(frame.className)
  return cls.includes('.') ? outer === outerClassName(cls) : simpleClassName(outer) === cls
}

class GradleTestState extends BlockState<OpenTest> {
  protected open(line: string): { take: Take; block: OpenTest } | undefined {
    const match = FAILED_TEST.exec(line)
    if (!match) return undefined
    const { cls, rest } = testPath(`${match[1]} > ${match[2]}`)
    // The method is the last display name that starts like one (`[1] 1` is an invocation).
    const method =
      rest
        .split(' > ')
        .reverse()
        .find(part => methodBaseName(part) !== '') ?? rest
    const frames = new TestFrameChooser(frame => frameOfClass(frame, cls), method)
    const block = { cls, rest, message: [], frames, inStack: false }
    return { take: { recognised: true, following: MAX_TEST_LINES }, block }
  }

  protected extend(test: OpenTest, line: string): 'recognised' | undefined {
    if (line.trim() !== '' && !/^\s/.test(line)) return undefined
    const frame = parseJvmFrame(line)
    const short = frame ? null : SHORT_EXCEPTION.exec(line)
    if (frame) {
      test.inStack = true
      test.frames.offer(frame)
    } else if (short && !test.inStack && test.message.length === 0) {
      test.shortPlace = { file: short[2], line: Number(short[3]) }
      test.message.push(short[1])
    } else {
      if (/^\s+(?:\.\.\. \d+ more|Caused by:)/.test(line)) test.inStack = true
      if (!test.inStack) addMessageLine(test.message, line)
    }
    return 'recognised'
  }

  protected close(test: OpenTest): void {
    const frame = test.frames.chosen()
    const cls = frame ? outerClassName(frame.className) : test.cls
    const name = `${cls}.${test.rest}`
    const place = frame
      ? framePlace(frame)
      : test.shortPlace && classFilePlace(cls, test.shortPlace.file, test.shortPlace.line)
    this.found.addTest(name, { lines: dedent(test.message), place }, 'FAILED')
  }
}

export const gradleTestRecogniser: Recogniser = {
  name: 'gradle-test',
  triggers: ['FAILED'],
  maxFollowing: MAX_TEST_LINES,
  start: () => new GradleTestState()
}
