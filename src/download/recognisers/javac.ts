import type { Recogniser, Take } from './recogniser.js'
import { BlockState } from './failure-block.js'

/**
 * Compile errors as javac prints them (alone, or under Gradle or Ant):
 *
 *     src/main/java/com/example/OrderService.java:6: error: cannot find symbol
 *         private final OrderRepository repository;
 *                       ^
 *       symbol:   class OrderRepository
 *       location: class OrderService
 *
 * javac gives no column in the error's line; it draws a caret under the source line, so the
 * column is the caret's (javac repeats the source line's tabs before the caret, so characters
 * count alike on both lines). The message is the error's line and the indented lines after the
 * caret.
 */
const ERROR_LINE = /^(.+?\.java):(\d+): error: (.*)$/
const CARET = /^\s*\^\s*$/
const MAX_DETAIL_LINES = 20

type Expecting = 'source' | 'caret' | 'details'

interface OpenError {
  path: string
  line: number
  column?: number
  lines: string[]
  expecting: Expecting
}

class JavacState extends BlockState<OpenError> {
  protected open(line: string): { take: Take; block: OpenError } | undefined {
    const match = ERROR_LINE.exec(line)
    if (!match) return undefined
    const block: OpenError = {
      path: match[1],
      line: Number(match[2]),
      lines: [match[3]],
      expecting: 'source'
    }
    return { take: { recognised: true, following: MAX_DETAIL_LINES + 2 }, block }
  }

  protected extend(error: OpenError, line: string): 'recognised' | undefined {
    if (error.expecting === 'source' && !ERROR_LINE.test(line)) {
      error.expecting = 'caret'
    } else if (error.expecting === 'caret' && CARET.test(line)) {
      error.column = line.indexOf('^') + 1
      error.expecting = 'details'
    } else if (error.expecting === 'details' && /^\s+\S/.test(line)) {
      error.lines.push(line)
    } else {
      return undefined
    }
    return 'recognised'
  }

  protected close({ path, line, column, lines }: OpenError): void {
    const place = column === undefined ? { path, line } : { path, line, column }
    this.found.addError({ lines, place })
  }
}

export const javacRecogniser: Recogniser = {
  name: 'javac',
  triggers: [': error: '],
  maxFollowing: MAX_DETAIL_LINES + 2,
  start: () => new JavacState()
}
