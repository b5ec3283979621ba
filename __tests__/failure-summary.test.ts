/**
 * The summary's lists of compile errors and failing tests, and the first error's link: links to
 * the lines built only from the environment, the commit and the mapped path; every text from a
 * log escaped; each list bounded and fitted to the summary's size limit.
 */
import { describe, expect, it } from '@jest/globals'
import { scannedStage } from '../__fixtures__/stage-reports.js'
import type { LocatedFailure } from '../src/locate/located-failure.js'
import { MAX_FAILURE_ROWS } from '../src/report/failures-section.js'
import { failureLists, type GitHubRepository } from '../src/report/failures.js'
import type { SummaryData } from '../src/report/sections.js'
import type { StageReport } from '../src/report/stage-report.js'
import { renderSummary, SUMMARY_LIMIT_BYTES } from '../src/report/summary.js'

const COMMIT = '9fceb02d0ae598e95dc970b74767f19372d61af8'
const GITHUB: GitHubRepository = {
  serverUrl: 'https://github.com',
  repository: 'octo-org/octo-repo'
}
const BLOB = `https://github.com/octo-org/octo-repo/blob/${COMMIT}`

const ERROR_LINE =
  '[2026/09/10 19:09:20.236 GMT+08:00] [ERROR] [build with maven:maven_build] : /devcloud/ws/s1a2b/workspace/j_9f8e/src/main/java/com/example/Order.java:[12,8] cannot find symbol'

const ORDER_ERROR: LocatedFailure = {
  kind: 'compile-error',
  stage: 'stage2',
  message: 'cannot find symbol\n  symbol:   class PaymentGateway',
  place: {
    path: '/devcloud/ws/s1a2b/workspace/j_9f8e/src/main/java/com/example/Order.java',
    line: 12,
    column: 8
  },
  file: 'src/main/java/com/example/Order.java',
  line: 12,
  column: 8
}

const ORDER_TEST: LocatedFailure = {
  kind: 'failed-test',
  stage: 'stage3',
  test: 'com.example.OrderTest.placesOrder',
  message: 'expected:<2> but was:<3>\n\tat com.example.OrderTest.placesOrder(OrderTest.java:15)',
  place: { path: 'com/example/OrderTest.java', line: 15 },
  file: 'src/test/java/com/example/OrderTest.java',
  line: 15
}

const RESULTS = [
  scannedStage('stage1', { displayName: 'Code checkout' }),
  scannedStage('stage2', {
    displayName: 'Build with Maven',
    firstError: { line: 12, context: ['[INFO] compiling', ERROR_LINE, '  symbol: x'] }
  }),
  scannedStage('stage3', { displayName: 'Unit test' })
]

interface Setting {
  github?: GitHubRepository
  /** The located failures' commit: COMMIT unless given, even as undefined. */
  commit?: string
  results?: StageReport[]
}

function summary(failures: LocatedFailure[], setting: Setting = {}): string {
  const { github = GITHUB, results = RESULTS } = setting
  const commit = 'commit' in setting ? setting.commit : COMMIT
  const summary: SummaryData = {
    recordId: 'r',
    region: 'cn-north-4',
    logLevel: 'INFO',
    results,
    artifactName: 'logs',
    failures: failureLists({ failures, ...(commit !== undefined && { commit }) }, results),
    github
  }
  return renderSummary(summary)
}

const rowsOf = (text: string, heading: string): string[] => {
  const from = text.indexOf(`### ${heading}\n`)
  if (from === -1) return []
  const lines = text.slice(from).split('\n').slice(2)
  return lines.slice(2, lines.indexOf(''))
}

describe('the lists of failures in the summary', () => {
  const text = summary([ORDER_TEST, ORDER_ERROR])

  it('list compile errors, then the failed tests, each with a link to its line', () => {
    expect(text.indexOf('### Compile errors')).toBeLessThan(text.indexOf('### Failed tests'))
    expect(text).toContain(
      [
        '### Compile errors',
        '',
        '| Where | Message | Stage |',
        '| --- | --- | --- |',
        `| [src/main/java/com/example/Order.java:12](${BLOB}/src/main/java/com/example/Order.java#L12) | cannot find symbol | stage2 &#40;Build with Maven&#41; |`,
        ''
      ].join('\n')
    )
    expect(text).toContain(
      [
        '### Failed tests',
        '',
        '| Test | Message | Stage |',
        '| --- | --- | --- |',
        `| com.example.OrderTest.placesOrder<br>[src/test/java/com/example/OrderTest.java:15](${BLOB}/src/test/java/com/example/OrderTest.java#L15) | expected:&#60;2&#62; but was:&#60;3&#62; | stage3 &#40;Unit test&#41; |`,
        ''
      ].join('\n')
    )
  })

  it('give the first error’s excerpt a link when its error line is that compile error', () => {
    expect(text).toContain(
      `<details><summary>stage2 (Build with Maven): first error, line 12 · <a href="${BLOB}/src/main/java/com/example/Order.java#L12">src/main/java/com/example/Order.java:12</a></summary>`
    )
  })

  it('leave the excerpt without a link when its line is no located compile error of its stage', () => {
    const noLink = '<details><summary>stage2 (Build with Maven): first error, line 12</summary>'
    const unlocated = { ...ORDER_ERROR, file: undefined, line: undefined, column: undefined }
    expect(summary([unlocated])).toContain(noLink)
    expect(summary([{ ...ORDER_ERROR, stage: 'stage3' }])).toContain(noLink)
    expect(summary([{ ...ORDER_ERROR, message: 'incompatible types' }])).toContain(noLink)
    const elsewhere = { ...ORDER_ERROR, place: { path: '/ws/src/Other.java', line: 12 } }
    expect(summary([elsewhere])).toContain(noLink)
    expect(summary([{ ...ORDER_ERROR, place: { ...ORDER_ERROR.place!, line: 99 } }])).toContain(
      noLink
    )
    expect(summary([])).toContain(noLink)
  })

  it('show an unlocated failure’s place as the tool printed it, as text', () => {
    const unlocated: LocatedFailure = {
      kind: 'failed-test',
      stage: 'stage3',
      test: 'TestX/sub',
      message: 'x_test.go:3: want 1, got 2',
      place: { path: '***/src/x_test.go', line: 3 }
    }
    expect(rowsOf(summary([unlocated]), 'Failed tests')).toEqual([
      '| TestX/sub<br>&#42;&#42;&#42;/src/x&#95;test.go:3 | x&#95;test.go:3: want 1, got 2 | stage3 &#40;Unit test&#41; |'
    ])
    const nowhere = { ...unlocated, place: undefined }
    expect(rowsOf(summary([nowhere]), 'Failed tests')).toEqual([
      '| TestX/sub | x&#95;test.go:3: want 1, got 2 | stage3 &#40;Unit test&#41; |'
    ])
  })

  it('percent-encode each segment of the path, so no character ends the link', () => {
    const file = "src/we ird/a,b:c%d(e)#f?[g]'h*é.java"
    const [row] = rowsOf(summary([{ ...ORDER_ERROR, file }]), 'Compile errors')
    expect(row).toContain(
      `](${BLOB}/src/we%20ird/a%2Cb%3Ac%25d%28e%29%23f%3F%5Bg%5D%27h%2A%C3%A9.java#L12) |`
    )
    expect(row).toContain('[src/we ird/a,b:c%d&#40;e&#41;&#35;f?&#91;g&#93;&#39;h&#42;é.java:12](')
  })

  it('link nothing without the server, the repository or a commit, or when one is malformed', () => {
    const unlinked = (options: Setting): string[] =>
      rowsOf(summary([ORDER_ERROR], options), 'Compile errors')
    const plain =
      '| src/main/java/com/example/Order.java:12 | cannot find symbol | stage2 &#40;Build with Maven&#41; |'
    const cases: Setting[] = [
      { github: { serverUrl: '', repository: 'octo-org/octo-repo' } },
      { github: { serverUrl: 'https://github.com', repository: '' } },
      { commit: undefined },
      { commit: 'main' },
      { commit: `${COMMIT}0` },
      { github: { serverUrl: 'javascript:alert(1)//', repository: 'o/r' } },
      { github: { serverUrl: 'https://user:pass@github.com', repository: 'o/r' } },
      { github: { serverUrl: 'https://github.com/a)b', repository: 'o/r' } },
      { github: { serverUrl: 'https://github.com?x=1', repository: 'o/r' } },
      { github: { serverUrl: 'https://github.com', repository: 'o/r/../../x' } },
      { github: { serverUrl: 'https://github.com', repository: 'o/r)[x](y' } }
    ]
    for (const options of cases) expect(unlinked(options)).toEqual([plain])
    const withoutEnvironment = { ...GITHUB, serverUrl: '', repository: '' }
    expect(unlinked({ github: withoutEnvironment })).toEqual([plain])
  })

  it('link to a GHES server, and to a 64-character commit', () => {
    const sha256 = 'a'.repeat(64)
    const [row] = rowsOf(
      summary([ORDER_ERROR], {
        github: { serverUrl: 'https://ghe.example.com/', repository: 'org/repo.name' },
        commit: sha256
      }),
      'Compile errors'
    )
    expect(row).toContain(
      `](https://ghe.example.com/org/repo.name/blob/${sha256}/src/main/java/com/example/Order.java#L12)`
    )
  })

  it(`show ${MAX_FAILURE_ROWS} rows of each list, then how many more`, () => {
    const many = Array.from({ length: 73 }, (_, i) => ({
      ...ORDER_TEST,
      test: `com.example.OrderTest.case${i}`
    }))
    const text = summary([...many, ORDER_ERROR])
    const rows = rowsOf(text, 'Failed tests')
    expect(rows).toHaveLength(MAX_FAILURE_ROWS)
    expect(rows[49]).toMatch(/^\| com\.example\.OrderTest\.case49<br>\[/)
    expect(text).toContain(`${rows[49]}\n\nand 23 more.\n`)
    expect(text).not.toContain('and 0 more')
  })

  it('keep hostile names, messages and places text: one row each, no markup, link or break', () => {
    const hostile = [
      '</td></tr></table><script>alert(1)</script>',
      '| x | y |\n| --- | --- |\n| forged | row |',
      '[click](https://evil.example/a) https://evil.example/b www.evil.example c@evil.example',
      '<img src=x onerror=alert(2)> ![i](https://evil.example/i.png) `code` **b**'
    ]
    const failures: LocatedFailure[] = hostile.flatMap(text => [
      {
        kind: 'failed-test' as const,
        stage: 'stage3',
        test: text,
        message: `${text}\nsecond line`,
        place: { path: text, line: 1 }
      },
      { ...ORDER_ERROR, message: text, file: `src/${text.replace(/\n/g, ' ')}.java` }
    ])
    const text = summary(failures)
    const tests = rowsOf(text, 'Failed tests')
    const errors = rowsOf(text, 'Compile errors')
    expect(tests).toHaveLength(hostile.length)
    expect(errors).toHaveLength(hostile.length)
    // Every | that is not a cell border is escaped: three cells a row.
    for (const row of [...tests, ...errors]) expect(row.split('|')).toHaveLength(5)
    // A test's one line break is the action's own, between its name and its place.
    for (const row of tests) expect(row.match(/<br>/g)).toHaveLength(1)
    for (const row of [...tests.map(row => row.replace('<br>', ' ')), ...errors]) {
      expect(row).not.toMatch(/<|>|\*\*|`|!\[|https:\/\/evil|www\.evil|@evil/)
      // The only link is the action's own.
      const links = row.match(/\]\([^)]*\)/g) ?? []
      for (const link of links) expect(link.startsWith(`](${BLOB}/src/`)).toBe(true)
    }
    // Each file is linked but those whose `//` makes them no repository path.
    expect(errors.map(row => row.startsWith('| [src/'))).toEqual([true, true, false, false])
    expect(text).not.toContain('second line')
  })

  it('leave a list out for the size limit, saying how many and which output has them', () => {
    // A stage table near the limit, then a short list of compile errors and a long one of tests.
    const results = Array.from({ length: 6200 }, (_, i) =>
      scannedStage(`stage${i + 1}`, { displayName: 'x'.repeat(60) })
    )
    const wide = (i: number): LocatedFailure => ({
      ...ORDER_TEST,
      stage: 'stage1',
      test: `${'<'.repeat(190)}${i}`,
      message: '>'.repeat(300)
    })
    const failures = [ORDER_ERROR, ...Array.from({ length: 60 }, (_, i) => wide(i))]
    const text = summary(failures, { results })
    expect(Buffer.byteLength(text)).toBeLessThan(SUMMARY_LIMIT_BYTES)
    const note =
      '### Failed tests\n\n60 failed tests; the list was left out (summary size limit): see the `failed-tests` output.\n'
    expect(text.includes(note)).toBe(true)
    expect(rowsOf(text, 'Compile errors')).toHaveLength(1)
    // Without the stage table's weight, the same list fits.
    expect(rowsOf(summary(failures), 'Failed tests')).toHaveLength(MAX_FAILURE_ROWS)
  })
})
