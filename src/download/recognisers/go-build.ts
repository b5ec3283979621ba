import { BlockState } from './failure-block.js'
import { addMessageLine, type Draft } from './finding-draft.js'
import { placeAtEnd } from './native-place.js'
import type { Recogniser, ReportedPlace, Take } from './recogniser.js'

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

/** The errors under one `# package` line: the one whose lines are being read. */
interface PackageErrors {
  open?: Draft
}

class GoBuildState extends BlockState<PackageErrors> {
  protected open(line: string): { take: Take; block: PackageErrors } | undefined {
    if (!PACKAGE.test(line)) return undefined
    return { take: { recognised: true, following: MAX_FOLLOWING }, block: {} }
  }

  protected extend(errors: PackageErrors, line: string): 'recognised' | undefined {
    const error = goError(line)
    if (error) {
      if (errors.open) this.found.addError(errors.open)
      errors.open = { place: error.place, lines: [error.text] }
      return 'recognised'
    }
    // The later lines of one error are indented by a tab (`\thave (int)`, `\twant (string)`).
    if (errors.open && line.startsWith('\t')) {
      addMessageLine(errors.open.lines, line.slice(1))
      return 'recognised'
    }
    return line === 'too many errors' ? 'recognised' : undefined
  }

  protected close(errors: PackageErrors): void {
    if (errors.open) this.found.addError(errors.open)
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
