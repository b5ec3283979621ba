import type { Recogniser, Take } from './recogniser.js'
import { BlockState } from './failure-block.js'

/**
 * Compile errors as Maven's compiler plugin prints them:
 *
 *     [ERROR] /ws/src/main/java/com/example/OrderService.java:[6,19] cannot find symbol
 *       symbol:   class OrderRepository
 *       location: class com.example.OrderService
 *
 * The message is the error's line and the indented lines under it. Maven prints every error
 * twice (under `COMPILATION ERROR :` and again under `Failed to execute goal`, there with
 * `[ERROR] ` before the indented lines too): both prints are recognised, one is kept. CodeArts
 * may give Maven's level as its own, so Maven's `[ERROR] ` is optional. A `[WARNING] ` line, a
 * line under `COMPILATION WARNING :` and a lint message (`[deprecation] …`) are warnings.
 */
const ERROR_LINE = /^(?:\[(ERROR|WARNING)\] )?(.+?\.java):\[(\d+),(\d+)\] (.*)$/
export const MAVEN_LEVEL = /^\[(?:ERROR|WARNING|INFO)\] ?/
const WARNINGS_HEADER = 'COMPILATION WARNING :'
const ERRORS_HEADER = 'COMPILATION ERROR :'
/** Lines an error's message may have under it (javac's `symbol:`, `location:`, `required:` …). */
const MAX_DETAIL_LINES = 20

interface OpenError {
  path: string
  line: number
  column: number
  lines: string[]
}

class MavenCompilerState extends BlockState<OpenError> {
  private inWarnings = false

  protected open(line: string): { take: Take; block?: OpenError } | undefined {
    if (line.includes(WARNINGS_HEADER) || line.includes(ERRORS_HEADER)) {
      this.inWarnings = line.includes(WARNINGS_HEADER)
      return undefined
    }
    const match = ERROR_LINE.exec(line)
    if (!match) return undefined
    const [, level, path, row, column, text] = match
    if (level === 'WARNING' || this.inWarnings || text.startsWith('[')) return undefined
    const block = { path, line: Number(row), column: Number(column), lines: [text] }
    return { take: { recognised: true, following: MAX_DETAIL_LINES }, block }
  }

  protected extend(error: OpenError, line: string): 'recognised' | undefined {
    const detail = line.replace(MAVEN_LEVEL, '')
    if (!/^\s+\S/.test(detail)) return undefined
    error.lines.push(detail)
    return 'recognised'
  }

  protected close({ path, line, column, lines }: OpenError): void {
    this.found.addError({ lines, place: { path, line, column } })
  }
}

export const mavenCompilerRecogniser: Recogniser = {
  name: 'maven-compiler',
  triggers: ['.java:[', WARNINGS_HEADER, ERRORS_HEADER],
  maxFollowing: MAX_DETAIL_LINES,
  start: () => new MavenCompilerState()
}
