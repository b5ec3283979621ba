import type { ReportedPlace } from './recogniser.js'
import { BlockState } from './failure-block.js'
import { dedent } from './finding-draft.js'
import { placeAtEnd } from './native-place.js'

// V8's frame, `at fn (path:l:c)` or `at path:l:c`, as Jest prints it; Vitest's `❯ fn path:l:c`
// or `❯ path:l:c`.
const V8_FRAME = /^\s*at (?:.*? \((.+)\)|(.+))$/
const VITEST_FRAME = /^\s*❯ (?:\S.* )?(\S+)$/

/** The place of a V8 stack frame line (`    at Object.toBe (__tests__/order.test.js:5:77)`). */
export function v8FramePlace(line: string): ReportedPlace | undefined {
  const match = V8_FRAME.exec(line)
  return match ? placeAtEnd(match[1] ?? match[2], true) : undefined
}

/** The place of a Vitest location line (`  ❯ test/order.test.ts:6:101`). */
export function vitestFramePlace(line: string): ReportedPlace | undefined {
  const match = VITEST_FRAME.exec(line)
  return match ? placeAtEnd(match[1], true) : undefined
}

/**
 * The frame that locates a failing test: the first in the test's file (as its runner printed
 * the file), else the first outside `node_modules`. Holds two places whatever the stack's length.
 */
export class TestFileFrames {
  private inTestFile?: ReportedPlace
  private firstOwn?: ReportedPlace

  constructor(private readonly testFile: string | undefined) {}

  offer(place: ReportedPlace): void {
    if (this.inTestFile) return
    if (this.testFile !== undefined && sameFile(place.path, this.testFile)) this.inTestFile = place
    else if (!/(?:^|[\\/])node_modules[\\/]/.test(place.path)) this.firstOwn ??= place
  }

  chosen(): ReportedPlace | undefined {
    return this.inTestFile ?? this.firstOwn
  }
}

/** Whether two printed paths name one file: equal, or one ends with the other after a `/`. */
function sameFile(a: string, b: string): boolean {
  return a === b || a.endsWith(`/${b}`) || b.endsWith(`/${a}`)
}

/** A failing test of a JavaScript runner, while its lines are read. */
export interface JsTest {
  /** The test as its runner names it. */
  name: string
  /** The test's file as its runner printed it. */
  file?: string
  /** The message's lines as printed (indented or not). */
  message: string[]
  frames: TestFileFrames
}

/**
 * The state of a JavaScript test runner's recogniser: each failure a block, kept once per file
 * and name (a runner may list its failures again in a summary).
 */
export abstract class JsTestState<Test extends JsTest> extends BlockState<Test> {
  protected close(test: Test): void {
    const draft = { lines: dedent(test.message), place: test.frames.chosen() }
    this.found.addTest(test.name, draft, '', test.file)
  }
}
