import type { Finding, Recogniser, RecogniserState, Take } from './recogniser.js'
import { FindingList } from './finding-list.js'

/**
 * Compile errors as the Kotlin compiler prints them under Gradle or Maven, one line each:
 * since Kotlin 1.8 `e: file:///ws/src/main/kotlin/Order.kt:14:16 Unresolved reference: totl`
 * (the path as a URI, kept as printed), before it `e: /ws/src/main/kotlin/Order.kt: (14, 16):
 * Unresolved reference: totl`. A message of several lines keeps its first: the compiler does not
 * indent the others, so they cannot be told from the lines after them. `w:` lines are warnings.
 */
const URI_ERROR = /^e: (file:\S*?\.kts?)(?::(\d+):(\d+))? (.*)$/
const PATH_ERROR = /^e: (.+?\.kts?): \((\d+), (\d+)\): (.*)$/

class KotlinState implements RecogniserState {
  private readonly found = new FindingList()

  candidate(line: string): Take | undefined {
    const match = URI_ERROR.exec(line) ?? PATH_ERROR.exec(line)
    if (!match) return undefined
    const [, path, row, column, text] = match
    const place = row === undefined ? { path } : { path, line: Number(row), column: Number(column) }
    this.found.addError({ lines: [text], place })
    return { recognised: true, following: 0 }
  }

  following(): 'done' {
    return 'done'
  }

  finish(): Finding[] {
    return this.found.list()
  }
}

export const kotlinRecogniser: Recogniser = {
  name: 'kotlin',
  triggers: ['e: file:', '.kt: (', '.kts: ('],
  maxFollowing: 0,
  start: () => new KotlinState()
}
