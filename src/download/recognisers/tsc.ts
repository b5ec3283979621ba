import type { Recogniser, ReportedPlace, Take } from './recogniser.js'
import { BlockState } from './failure-block.js'

/**
 * Compile errors as the TypeScript compiler prints them: plain
 * `src/index.ts(3,55): error TS2322: Type 'string' is not assignable to type 'number'.`, pretty
 * (`--pretty`, the default on a terminal) `src/index.ts:3:55 - error TS2322: …`, and errors of no
 * file (`error TS5083: Cannot read file …`). Both forms indent the rest of a message chain under
 * the error's line; that chain is part of the message, which keeps the code: `TS2322: Type …`.
 * Pretty output then shows the source and related places, which are not.
 *
 * Coloured pretty output puts colour codes between `error` and ` TS2322`, so that byte sequence
 * is a trigger too.
 */
const PLAIN = /^(.+?)\((\d+),(\d+)\): error (TS\d+): (.*)$/
const PRETTY = /^(.+?):(\d+):(\d+) - error (TS\d+): (.*)$/
const NO_FILE = /^error (TS\d+): (.*)$/
// A related place that pretty output puts under the source (`  src/order.ts:4:3 - The expected …`).
const RELATED = /^\s+\S+:\d+:\d+(?: - |$)/
const MAX_CHAIN_LINES = 20

interface OpenError {
  place?: ReportedPlace
  lines: string[]
}

class TscState extends BlockState<OpenError> {
  protected open(line: string): { take: Take; block: OpenError } | undefined {
    const take = { recognised: true, following: MAX_CHAIN_LINES }
    const located = PLAIN.exec(line) ?? PRETTY.exec(line)
    if (located) {
      const [, path, row, column, code, text] = located
      const place = { path, line: Number(row), column: Number(column) }
      return { take, block: { place, lines: [`${code}: ${text}`] } }
    }
    const unlocated = NO_FILE.exec(line)
    return unlocated ? { take, block: { lines: [`${unlocated[1]}: ${unlocated[2]}`] } } : undefined
  }

  protected extend(error: OpenError, line: string): 'recognised' | undefined {
    if (!/^\s+\S/.test(line) || RELATED.test(line)) return undefined
    error.lines.push(line)
    return 'recognised'
  }

  protected close(error: OpenError): void {
    this.found.addError(error)
  }
}

export const tscRecogniser: Recogniser = {
  name: 'tsc',
  triggers: ['error TS', 'error\u001b[0m\u001b[90m TS'],
  maxFollowing: MAX_CHAIN_LINES,
  start: () => new TscState()
}
