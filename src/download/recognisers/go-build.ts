import { addLine, FindingList, type Draft } from './native-findings.js'
import { placeAtEnd } from './native-place.js'
import type { Followed, Recogniser, RecogniserState, ReportedPlace, Take } from './recogniser.js'

// The go command stops a package at ten errors ("too many errors"), each a few lines at most.
const MAX_FOLLOWING = 40

// `# example.com/shop/pkg/order`, or for a test build `# example.com/shop/pkg/order
// [example.com/shop/pkg/order.test]`: the package whose errors follow.
const PACKAGE = /^# [\w.~+/-]+(?: \[[\w.~+/-]+\])?$/

/** `path.go:line:column: message`, the error line of the go command. */
function goError(line: string): { place: ReportedPlace; text: string } | undefined {
  const end = line.indexOf(': ')
  if (end < 0) return undefined
  const place = placeAtEnd(line.slice(0, end), true)
  if (!place || !place.path.endsWith('.go')) return undefined
  return { place, text: line.slice(end + 2) }
}

class GoBuildState implements RecogniserState {
  private readonly found = new FindingList()
  private open?: Draft

  candidate(line: string): Take | undefined {
    this.close()
    return PACKAGE.test(line) ? { recognised: true, following: MAX_FOLLOWING } : undefined
  }

  following(line: string): Followed {
    const error = goError(line)
    if (error) {
      this.close()
      this.open = { place: error.place, lines: [error.text] }
      return 'recognised'
    }
    // The later lines of one error are indented by a tab (`\thave (int)`, `\twant (string)`).
    if (this.open && line.startsWith('\t')) {
      addLine(this.open, line.slice(1))
      return 'recognised'
    }
    if (line === 'too many errors') return 'recognised'
    this.close()
    return 'done'
  }

  finish() {
    this.close()
    return this.found.list()
  }

  private close(): void {
    if (this.open) this.found.addError(this.open)
    this.open = undefined
  }
}

/**
 * The go command's compile errors (and the vet errors `go test` reports the same way): the lines
 * `path.go:line:column: message` under a `# package` line, with the path as the go command prints
 * it, relative to its working folder. Only lines right under such a heading count, so another
 * tool's `x.go:1:2:` line is left alone.
 */
export const goBuildRecogniser: Recogniser = {
  name: 'go-build',
  triggers: ['# '],
  maxFollowing: MAX_FOLLOWING,
  start: () => new GoBuildState()
}
