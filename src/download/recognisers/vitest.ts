import { addMessageLine } from './finding-draft.js'
import type { Recogniser, Take } from './recogniser.js'
import { JsTestState, TestFileFrames, vitestFramePlace, type JsTest } from './js-frames.js'

/**
 * Failing tests as Vitest prints them under `Failed Tests`:
 *
 *      FAIL  test/order.test.ts > Order > place > rejects an empty order
 *     AssertionError: expected [Function] to throw error including 'empty' but got '…'
 *     …
 *      ❯ test/order.test.ts:15:31
 *         13|   describe('place', () => {
 *
 * The test is named as Vitest names it, its suites and its title joined by ` > `
 * (`Order > place > rejects an empty order`); the message is the lines before the first `❯`
 * place; the place is the first `❯` in the test's file, else the first outside `node_modules`.
 * A file that did not run (`FAIL  test/broken.test.ts [ test/broken.test.ts ]`, under `Failed
 * Suites`) is named by its path. A workspace project's name (`|web| `) is dropped.
 */
const TEST_FAILED = /^\s*FAIL\s+(?:\|[^|]+\| )?(.+?) > (.+)$/
const SUITE_FAILED = /^\s*FAIL\s+(?:\|[^|]+\| )?(.+?) \[ .+ \]$/
const CODE_FRAME = /^\s*\d*\|/
const BLOCK_END = /^\s*(?:FAIL\s|⎯)|^\s*Test Files /
/** Lines of one failure: message, diff, places, code frame. */
const MAX_TEST_LINES = 300

interface VitestTest extends JsTest {
  located: boolean
}

class VitestState extends JsTestState<VitestTest> {
  protected open(line: string): { take: Take; block: VitestTest } | undefined {
    const test = TEST_FAILED.exec(line)
    const suite = test ? undefined : SUITE_FAILED.exec(line)
    const file = test?.[1] ?? suite?.[1]
    if (file === undefined) return undefined
    const block: VitestTest = {
      name: test ? test[2].trim() : file,
      file,
      message: [],
      located: false,
      frames: new TestFileFrames(file)
    }
    return { take: { recognised: true, following: MAX_TEST_LINES }, block }
  }

  protected extend(test: VitestTest, line: string): 'recognised' | undefined {
    if (BLOCK_END.test(line)) return undefined
    const place = vitestFramePlace(line)
    if (place) {
      test.located = true
      test.frames.offer(place)
    } else if (!test.located && !CODE_FRAME.test(line)) addMessageLine(test.message, line)
    return 'recognised'
  }
}

export const vitestRecogniser: Recogniser = {
  name: 'vitest',
  triggers: ['FAIL '],
  maxFollowing: MAX_TEST_LINES,
  start: () => new VitestState()
}
