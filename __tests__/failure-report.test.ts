/**
 * The failures found in the logs, as the run page and the next step get them: one ordered,
 * de-duplicated and guarded list, its annotations within build-error-annotations and GitHub's
 * ten of each level, and the `failed-tests` and `build-errors` outputs.
 */
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as core from '@actions/core'
import { promises as fs } from 'node:fs'
import path from 'node:path'
import { scannedStage } from '../__fixtures__/stage-reports.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { MAX_MESSAGE_CHARS, MAX_MESSAGE_LINES } from '../src/download/recognisers/recogniser.js'
import type { ReportedPlace } from '../src/download/recognisers/recogniser.js'
import type { LocatedFailure } from '../src/locate/located-failure.js'
import { failureAnnotation, logAnnotations } from '../src/report/annotations.js'
import { failureLists, isRepositoryPath, NO_FAILURES } from '../src/report/failures.js'
import { failureOutputs, MAX_FAILURE_OUTPUTS } from '../src/report/outputs.js'
import type { RunResult } from '../src/report/run-result.js'
import type { StageReport } from '../src/report/stage-report.js'
import type { RunContext } from '../src/run/context.js'
import { publishResult } from '../src/run/report.js'

const COMMIT = '9fceb02d0ae598e95dc970b74767f19372d61af8'

/** Where a failure is, and its message when a test's is not the default. */
interface Where {
  file?: string
  line?: number
  column?: number
  place?: ReportedPlace
  message?: string
}

const compileError = (stageName: string, message: string, where: Where = {}): LocatedFailure => ({
  kind: 'compile-error',
  stage: stageName,
  message,
  ...where
})

const failedTest = (stageName: string, test: string, where: Where = {}): LocatedFailure => ({
  kind: 'failed-test',
  stage: stageName,
  test,
  message: `${test} failed`,
  ...where
})

describe('the failures the report shows', () => {
  const results = [scannedStage('stage1'), scannedStage('stage2'), scannedStage('stage3')]

  it('come in stage order, then log order, compile errors and tests apart', () => {
    const lists = failureLists(
      {
        failures: [
          failedTest('stage3', 'T3a'),
          compileError('stage2', 'E2a'),
          failedTest('stage1', 'T1a'),
          failedTest('stage3', 'T3b'),
          compileError('stage1', 'E1a'),
          compileError('stage2', 'E2b'),
          failedTest('stage1', 'T1b')
        ],
        commit: COMMIT
      },
      results
    )
    expect(lists.compileErrors.map(e => e.message)).toEqual(['E1a', 'E2a', 'E2b'])
    expect(lists.failedTests.map(t => t.test)).toEqual(['T1a', 'T1b', 'T3a', 'T3b'])
    expect(lists.commit).toBe(COMMIT)
  })

  it('drop a location whose file is not a plain relative path, and a line or column that is no line', () => {
    const hostile = [
      '/etc/passwd',
      '../../etc/passwd',
      'src/../../etc/passwd',
      './src/A.java',
      'src//A.java',
      'src\\A.java',
      'C:/src/A.java',
      'src/A.java\n::error::x',
      'src/A\u2028.java',
      ''
    ]
    for (const file of hostile) expect(isRepositoryPath(file)).toBe(false)
    for (const file of ['src/A.java', 'a,b/c:d%e (f)#g?.java', 'résumé/Ünï.kt', '...']) {
      expect(isRepositoryPath(file)).toBe(true)
    }
    const lists = failureLists(
      {
        failures: [
          ...hostile.map(file => compileError('stage1', file, { file, line: 3, column: 4 })),
          compileError('stage1', 'no line', { file: 'src/A.java', line: 0, column: 4 }),
          compileError('stage1', 'odd line', { file: 'src/A.java', line: 2.5 }),
          compileError('stage1', 'odd column', { file: 'src/A.java', line: 2, column: -1 })
        ]
      },
      results
    )
    const where = lists.compileErrors.map(({ file, line, column }) => ({ file, line, column }))
    expect(where).toEqual([
      ...hostile.map(() => ({})),
      { file: 'src/A.java' },
      { file: 'src/A.java' },
      { file: 'src/A.java', line: 2 }
    ])
  })

  it('bound each message as the outputs promise', () => {
    const long = Array.from({ length: 40 }, (_, i) => `line ${i} ${'x'.repeat(60)}`).join('\n')
    const [test] = failureLists(
      { failures: [{ ...failedTest('stage1', 'T'), message: `\n\n${long}` }] },
      results
    ).failedTests
    expect(test.message.split('\n').length).toBeLessThanOrEqual(MAX_MESSAGE_LINES)
    expect(test.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS)
    expect(test.message.startsWith('line 0 ')).toBe(true)
  })

  it('are none when the run located none', () => {
    expect(failureLists(undefined, results)).toEqual(NO_FAILURES)
    expect(failureLists({ failures: [] }, results)).toEqual({ compileErrors: [], failedTests: [] })
  })
})

describe('the annotation of a failure', () => {
  const results = [
    scannedStage('stage1', { displayName: 'Build with Maven' }),
    scannedStage('stage2')
  ]

  it('is titled by kind, on the located file, line and column', () => {
    expect(
      failureAnnotation(
        compileError('stage1', 'cannot find symbol\n  symbol: class X', {
          file: 'src/main/java/A.java',
          line: 12,
          column: 8
        }),
        results
      )
    ).toEqual({
      message: 'cannot find symbol\n  symbol: class X',
      properties: {
        title: 'Compile error in stage1 (Build with Maven)',
        file: 'src/main/java/A.java',
        startLine: 12,
        startColumn: 8
      }
    })
    expect(
      failureAnnotation(
        failedTest('stage2', 'tests::adds', { file: 'src/lib.rs', line: 7 }),
        results
      )
    ).toEqual({
      message: 'tests: :adds failed',
      properties: { title: 'Test failed: tests::adds', file: 'src/lib.rs', startLine: 7 }
    })
  })

  it('has no file, line or column when unlocated, and its title as message when it has none', () => {
    const unlocated = failureAnnotation(
      { ...failedTest('stage2', 'TestX/sub'), message: '', place: { path: '/ws/x_test.go' } },
      results
    )
    expect(unlocated).toEqual({
      message: 'Test failed: TestX/sub',
      properties: { title: 'Test failed: TestX/sub' }
    })
  })

  describe('as the runner reads it', () => {
    let written: string[]
    beforeEach(() => {
      written = []
      jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
        written.push(String(chunk))
        return true
      })
    })
    afterEach(() => {
      jest.restoreAllMocks()
    })

    it('is one command line: hostile names, messages and files cannot end it or start another', () => {
      const { message, properties } = failureAnnotation(
        failedTest('stage2', 'a,b::c%d\r\nline=2 ##[set-output name=x]y', {
          message: 'expected <1>\n::add-mask::x\n%0A::error::forged',
          file: 'src/a,b:c%d/E.java',
          line: 3,
          column: 4
        }),
        results
      )
      core.error(message, properties)
      expect(written).toEqual([
        '::error title=Test failed%3A a%2Cb%3A%3Ac%25d line=2 # #[set-output name=x]y,file=src/a%2Cb%3Ac%25d/E.java,line=3,col=4::expected <1>%0A: :add-mask: :x%0A%250A: :error: :forged\n'
      ])
    })
  })
})

describe('the annotations the logs raise', () => {
  // Two stages with three compile errors, four failing tests and six unrecognised build errors.
  const results = [scannedStage('stage1', { groups: 3 }), scannedStage('stage2', { groups: 3 })]
  const failures = failureLists(
    {
      failures: [
        failedTest('stage2', 'T2'),
        compileError('stage2', 'E2'),
        failedTest('stage1', 'T1a'),
        failedTest('stage1', 'T1b'),
        compileError('stage1', 'E1a'),
        compileError('stage1', 'E1b'),
        failedTest('stage2', 'T2b')
      ]
    },
    results
  )
  const none = { error: 0, warning: 0 }
  const titles = (max: number, raised = none) => {
    const { errors, warnings } = logAnnotations(results, failures, max, raised)
    return {
      errors: errors.map(e => `${e.properties.title}: ${e.message}`),
      warnings: warnings.map(w => w.message)
    }
  }

  const RECOGNISED = [
    'Compile error in stage1: E1a',
    'Compile error in stage1: E1b',
    'Compile error in stage2: E2',
    'Test failed: T1a: T1a failed',
    'Test failed: T1b: T1b failed',
    'Test failed: T2: T2 failed',
    'Test failed: T2b: T2b failed'
  ]

  it('are compile errors, then failing tests, in stage then log order, as errors first', () => {
    expect(titles(10)).toEqual({
      errors: RECOGNISED,
      // Unrecognised build errors fill what is left of the ten.
      warnings: ['[ERROR] stage1 problem 1', '[ERROR] stage1 problem 2', '[ERROR] stage1 problem 3']
    })
  })

  it('take build-error-annotations in all: the default 5 are all recognised ones here', () => {
    expect(titles(5)).toEqual({ errors: RECOGNISED.slice(0, 5), warnings: [] })
  })

  it('raise nothing with build-error-annotations 0', () => {
    expect(titles(0)).toEqual({ errors: [], warnings: [] })
    expect(titles(0, { error: 1, warning: 1 })).toEqual({ errors: [], warnings: [] })
  })

  it('leave unrecognised build errors as warnings when nothing was recognised', () => {
    const { errors, warnings } = logAnnotations(results, NO_FAILURES, 5, none)
    expect(errors).toEqual([])
    expect(warnings.map(w => w.title)).toEqual([
      'Build error in stage1',
      'Build error in stage1',
      'Build error in stage1',
      'Build error in stage2',
      'Build error in stage2'
    ])
  })

  it('never take the step past 10 errors: Build failed and download failures count', () => {
    // Build failed and 7 download failures: room for 2 errors; the rest of 5 goes to warnings.
    expect(titles(5, { error: 8, warning: 0 })).toEqual({
      errors: RECOGNISED.slice(0, 2),
      warnings: ['[ERROR] stage1 problem 1', '[ERROR] stage1 problem 2', '[ERROR] stage1 problem 3']
    })
    expect(titles(10, { error: 10, warning: 0 }).errors).toEqual([])
    expect(titles(10, { error: 14, warning: 0 }).errors).toEqual([])
  })

  it('never take the step past 10 warnings: the sections’ warnings count', () => {
    // Tests failed and a warning of the verdict: all seven errors, and room for 2 warnings.
    const afterEight = titles(10, { error: 0, warning: 8 })
    expect(afterEight.errors).toHaveLength(7)
    expect(afterEight.warnings).toEqual(['[ERROR] stage1 problem 1', '[ERROR] stage1 problem 2'])
    expect(titles(10, { error: 9, warning: 9 })).toEqual({
      errors: RECOGNISED.slice(0, 1),
      warnings: ['[ERROR] stage1 problem 1']
    })
    expect(titles(10, { error: 10, warning: 12 })).toEqual({ errors: [], warnings: [] })
  })
})

describe('the failure outputs', () => {
  const results = [scannedStage('stage1'), scannedStage('stage2')]

  it('are [] before the run, and when nothing was found', () => {
    expect(failureOutputs()).toEqual({ 'failed-tests': '[]', 'build-errors': '[]' })
    expect(failureOutputs(failureLists({ failures: [], commit: COMMIT }, results))).toEqual({
      'failed-tests': '[]',
      'build-errors': '[]'
    })
  })

  it('give name, file, line, column, message and stage, the place only where located', () => {
    const outputs = failureOutputs(
      failureLists(
        {
          failures: [
            failedTest('stage2', 'Suite › adds', {
              message: 'expect(received).toBe(expected)\n\nExpected: 3',
              file: 'src/sum.test.ts',
              line: 5,
              column: 17
            }),
            failedTest('stage2', 'tests/test_x.py::test_y', {
              file: 'tests/test_x.py',
              line: 9
            }),
            failedTest('stage1', 'TestX/sub', { place: { path: '/ws/x_test.go', line: 3 } }),
            compileError('stage1', 'cannot find symbol', {
              file: 'src/A.java',
              line: 12,
              column: 8,
              place: { path: '/devcloud/ws/j/src/A.java', line: 12, column: 8 }
            }),
            compileError('stage2', 'undefined: x')
          ],
          commit: COMMIT
        },
        results
      )
    )
    // The key order is the documented one.
    expect(outputs['failed-tests']).toBe(
      JSON.stringify([
        { name: 'TestX/sub', message: 'TestX/sub failed', stage: 'stage1' },
        {
          name: 'Suite › adds',
          file: 'src/sum.test.ts',
          line: 5,
          column: 17,
          message: 'expect(received).toBe(expected)\n\nExpected: 3',
          stage: 'stage2'
        },
        {
          name: 'tests/test_x.py::test_y',
          file: 'tests/test_x.py',
          line: 9,
          message: 'tests/test_x.py::test_y failed',
          stage: 'stage2'
        }
      ])
    )
    expect(JSON.parse(outputs['build-errors'])).toEqual([
      { file: 'src/A.java', line: 12, column: 8, message: 'cannot find symbol', stage: 'stage1' },
      { message: 'undefined: x', stage: 'stage2' }
    ])
  })

  it('hold the first 100 of each', () => {
    const many = Array.from({ length: 150 }, (_, i) => [
      failedTest('stage1', `T${i}`),
      compileError('stage1', `E${i}`)
    ]).flat()
    const outputs = failureOutputs(failureLists({ failures: many }, results))
    const tests = JSON.parse(outputs['failed-tests']) as { name: string }[]
    const errors = JSON.parse(outputs['build-errors']) as { message: string }[]
    expect(MAX_FAILURE_OUTPUTS).toBe(100)
    expect(tests.map(t => t.name)).toEqual(Array.from({ length: 100 }, (_, i) => `T${i}`))
    expect(errors.map(e => e.message)).toEqual(Array.from({ length: 100 }, (_, i) => `E${i}`))
  })
})

describe('publishing a run with failures', () => {
  let written: string[]
  let outputFile: string
  const saved = { output: process.env.GITHUB_OUTPUT, exitCode: process.exitCode }

  beforeEach(async () => {
    written = []
    outputFile = path.join(await makeTempDir('cbl-failures-'), 'output')
    await fs.writeFile(outputFile, '')
    process.env.GITHUB_OUTPUT = outputFile
    process.exitCode = undefined
    jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
      written.push(String(chunk))
      return true
    })
  })
  afterEach(() => {
    jest.restoreAllMocks()
    if (saved.output === undefined) delete process.env.GITHUB_OUTPUT
    else process.env.GITHUB_OUTPUT = saved.output
    process.exitCode = saved.exitCode
  })

  /** The outputs written to GITHUB_OUTPUT, by name. */
  async function outputs(): Promise<Record<string, string>> {
    const text = await fs.readFile(outputFile, 'utf8')
    const found: Record<string, string> = {}
    for (const [, name, delimiter] of text.matchAll(/^(.+)<<(ghadelimiter_[-0-9a-f]+)$/gm)) {
      const start = text.indexOf(`${name}<<${delimiter}\n`) + `${name}<<${delimiter}\n`.length
      found[name] = text.slice(start, text.indexOf(`\n${delimiter}`, start))
    }
    return found
  }

  const failedDownload: StageReport = {
    stage: 'stage9',
    status: 'failed',
    file: null,
    bytes: 0,
    durationMs: 1,
    attempts: 4,
    error: 'failed to download stage9: 404'
  }

  interface Run {
    failOnBuildFailure: boolean
    buildErrorAnnotations: number
    downloadFails: boolean
  }

  function run({ failOnBuildFailure, buildErrorAnnotations, downloadFails }: Run): Promise<void> {
    const ctx = {
      inputs: {
        summary: false,
        failOnError: true,
        failOnBuildFailure,
        waitMinutes: 10,
        buildErrorAnnotations,
        region: 'cn-north-4',
        logLevel: 'INFO'
      },
      env: {}
    } as unknown as RunContext
    const result: RunResult = {
      build: { recordId: 'r', jobBuild: { jobId: 'j', buildNumber: 7 } },
      destination: { recordId: 'r', dir: '/logs', artifactName: 'logs' },
      wait: { status: 'error', end: 'ended' },
      results: [
        scannedStage('stage1', { groups: 2 }),
        scannedStage('stage2', { groups: 1 }),
        ...(downloadFails ? [failedDownload] : [])
      ],
      stages: [],
      upload: {},
      failures: {
        failures: [
          failedTest('stage2', 'com.example.OrderTest.placesOrder', {
            file: 'src/test/java/com/example/OrderTest.java',
            line: 15
          }),
          compileError('stage1', 'cannot find symbol', {
            file: 'src/main/java/A.java',
            line: 12,
            column: 8
          })
        ],
        commit: COMMIT
      }
    }
    return publishResult(ctx, result, new Map())
  }

  const commands = (): string[] =>
    written.filter(line => /^::(error|warning)/.test(line)).map(line => line.split('::')[1])

  const COMPILE_ERROR =
    'error title=Compile error in stage1,file=src/main/java/A.java,line=12,col=8'
  const FAILED_TEST =
    'error title=Test failed%3A com.example.OrderTest.placesOrder,file=src/test/java/com/example/OrderTest.java,line=15'

  it('raises Build failed, download failures, compile errors, then tests, then warnings', async () => {
    await run({ failOnBuildFailure: true, buildErrorAnnotations: 5, downloadFails: true })
    expect(commands()).toEqual([
      'error title=Build failed',
      'error title=Could not download stage9',
      COMPILE_ERROR,
      FAILED_TEST,
      'warning title=Build error in stage1',
      'warning title=Build error in stage1',
      'warning title=Build error in stage2'
    ])
    expect(process.exitCode).toBe(1)
  })

  it('raises the failures as errors that leave a step that passes passing', async () => {
    await run({ failOnBuildFailure: false, buildErrorAnnotations: 3, downloadFails: false })
    expect(commands()).toEqual([COMPILE_ERROR, FAILED_TEST, 'warning title=Build error in stage1'])
    expect(process.exitCode).toBeUndefined()
  })

  it('sets both outputs, with summary false and no annotation from the logs', async () => {
    await run({ failOnBuildFailure: false, buildErrorAnnotations: 0, downloadFails: false })
    expect(commands()).toEqual([])
    const set = await outputs()
    expect(JSON.parse(set['failed-tests'])).toEqual([
      {
        name: 'com.example.OrderTest.placesOrder',
        file: 'src/test/java/com/example/OrderTest.java',
        line: 15,
        message: 'com.example.OrderTest.placesOrder failed',
        stage: 'stage2'
      }
    ])
    expect(JSON.parse(set['build-errors'])).toEqual([
      {
        file: 'src/main/java/A.java',
        line: 12,
        column: 8,
        message: 'cannot find symbol',
        stage: 'stage1'
      }
    ])
  })
})
