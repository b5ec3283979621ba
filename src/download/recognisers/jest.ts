import { addMessageLine } from './finding-draft.js'
import type { Recogniser, Take } from './recogniser.js'
import { JsTestState, TestFileFrames, v8FramePlace, type JsTest } from './js-frames.js'

/**
 * Failing tests as Jest prints them: the test file's `FAIL` line, then for each failing test
 *
 *       ● Order › place › rejects an empty order
 *
 *         expect(received).toThrow(expected)
 *         …
 *         > 14 |       expect(() => place([])).toThrow('empty')
 *         …
 *           at place (src/orders/order.js:6:33)
 *           at Object.toThrow (__tests__/order.test.js:14:31)
 *
 * The test is named as the header names it (`Order › place › rejects an empty order`); the
 * message is the lines before the code frame; the place is the first frame in the test's file
 * (from the `FAIL` line), else the first outside `node_modules`. A file that did not run
 * (`● Test suite failed to run`) is named by its path. With more than 20 files Jest lists every
 * failure again under `Summary of all failing tests`: kept once per file and name.
 */
const FAIL_LINE = /^\s*FAIL\s+(\S.*?)\s*$/
const HEADER = /^\s*● (.+)$/
const NOT_A_TEST =
  /^(?:Console|Deprecation Warning|Validation (?:Warning|Error)|Multiple configurations found)\b/
const SUITE_FAILED = 'Test suite failed to run'
const CODE_FRAME = /^\s*>?\s*(?:\d+ )?\|/
const BLOCK_END = /^\s*(?:●|FAIL\s|PASS\s)|^(?:Test Suites:|Tests:|Summary of all failing tests)/
/** Lines of one failure: message, diff, code frame, stack. */
const MAX_TEST_LINES = 300

interface JestTest extends JsTest {
  inCode: boolean
}

class JestState extends JsTestState<JestTest> {
  private file?: string

  protected open(line: string): { take: Take; block?: JestTest } | undefined {
    const fail = FAIL_LINE.exec(line)
    if (fail && !fail[1].includes(' > ')) {
      this.file = fail[1]
      return { take: { recognised: false, following: 0 } }
    }
    const header = HEADER.exec(line)
    if (!header || NOT_A_TEST.test(header[1])) return undefined
    const title = header[1].trim()
    const block: JestTest = {
      name: title === SUITE_FAILED && this.file !== undefined ? this.file : title,
      file: this.file,
      message: [],
      inCode: false,
      frames: new TestFileFrames(this.file)
    }
    return { take: { recognised: true, following: MAX_TEST_LINES }, block }
  }

  protected extend(test: JestTest, line: string): 'recognised' | undefined {
    if (BLOCK_END.test(line)) return undefined
    const place = v8FramePlace(line)
    if (place) test.frames.offer(place)
    if (place || CODE_FRAME.test(line)) test.inCode = true
    else if (!test.inCode) addMessageLine(test.message, line)
    return 'recognised'
  }
}

export const jestRecogniser: Recogniser = {
  name: 'jest',
  triggers: ['●', 'FAIL '],
  maxFollowing: MAX_TEST_LINES,
  start: () => new JestState()
}
