import { describe, expect, it } from '@jest/globals'
import { DEMO_COMPILE_ERROR_MESSAGES, DEMO_LOGS } from '../__fixtures__/demo-logs.js'
import { capturedOutput, recognise } from '../__fixtures__/recognise.js'
import { everyForm, expectFindings, itFinds, lines } from '../__fixtures__/recogniser-cases.js'
import { gradleTestRecogniser } from '../src/download/recognisers/gradle-test.js'
import { javacRecogniser } from '../src/download/recognisers/javac.js'
import { parseJvmFrame } from '../src/download/recognisers/jvm-frames.js'
import { kotlinRecogniser } from '../src/download/recognisers/kotlin.js'
import { mavenCompilerRecogniser } from '../src/download/recognisers/maven-compiler.js'
import {
  MAX_FINDINGS,
  MAX_MESSAGE_LINES,
  type Finding,
  type Recogniser
} from '../src/download/recognisers/recogniser.js'
import { surefireRecogniser } from '../src/download/recognisers/surefire.js'

const JVM_RECOGNISERS = [
  mavenCompilerRecogniser,
  javacRecogniser,
  kotlinRecogniser,
  surefireRecogniser,
  gradleTestRecogniser
]

/**
 * A Maven output as CodeArts may log it: Maven's own level taken as the line's level, so that
 * `[ERROR] x` becomes `[time] [ERROR] [build:mvn] : x` (as the demo's logs are written).
 */
function asRelevelledLog(output: string): string {
  return output
    .split('\n')
    .map(line => {
      const level = /^\[(ERROR|WARNING|INFO)\] ?/.exec(line)
      const text = level ? line.slice(level[0].length) : line
      return `[2026/09/10 19:09:20.236 GMT+08:00] [${level?.[1] ?? 'INFO'}] [build:mvn] : ${text}`
    })
    .join('\n')
}

/** The lines of a log the recogniser said are part of a failure it reports. */
function recognisedLines(recogniser: Recogniser, log: string): string[] {
  const lines: string[] = []
  recognise(recogniser, log, line => lines.push(line))
  return lines
}

/** Maven's `[ERROR]` lines of an output that the recogniser did not take as a failure's. */
function unrecognisedErrors(recogniser: Recogniser, fixture: string): string[] {
  const output = capturedOutput(fixture)
  const recognised = new Set(recognisedLines(recogniser, output))
  return output.split('\n').filter(line => line.startsWith('[ERROR]') && !recognised.has(line))
}

const MAVEN_HELP = [
  '[ERROR] -> [Help 1]',
  '[ERROR] ',
  '[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.',
  '[ERROR] Re-run Maven using the -X switch to enable full debug logging.',
  '[ERROR] ',
  '[ERROR] For more information about the errors and possible solutions, please read the following articles:',
  '[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException'
]

describe("Maven's compiler", () => {
  const source = '/tmp/recog-a/mvn-compile/src/main/java/com/example/order/OrderService.java'
  const symbolErrors: Finding[] = [
    {
      kind: 'compile-error',
      message:
        'cannot find symbol\n  symbol:   class OrderRepository\n  location: class com.example.order.OrderService',
      place: { path: source, line: 6, column: 19 }
    },
    {
      kind: 'compile-error',
      message:
        'cannot find symbol\n  symbol:   class OrderRepository\n  location: class com.example.order.OrderService',
      place: { path: source, line: 8, column: 25 }
    },
    {
      kind: 'compile-error',
      message: 'incompatible types: java.math.BigDecimal cannot be converted to java.lang.String',
      place: { path: source, line: 15, column: 32 }
    }
  ]

  it('finds each error once, with its symbol and location lines, though Maven prints it twice', () => {
    const syntaxError: Finding = {
      kind: 'compile-error',
      message: "';' expected",
      place: {
        path: '/tmp/recog-a/mvn-syntax/src/main/java/com/example/order/Order.java',
        line: 22,
        column: 28
      }
    }
    expectFindings(
      mavenCompilerRecogniser,
      {
        logs: everyForm(
          capturedOutput('maven-compiler-symbol'),
          capturedOutput('maven-compiler-symbol-color')
        ),
        expected: symbolErrors
      },
      { logs: everyForm(capturedOutput('maven-compiler-syntax')), expected: [syntaxError] }
    )
  })

  itFinds(mavenCompilerRecogniser, {
    it: 'reads the errors when CodeArts gives Maven its level',
    logs: asRelevelledLogs(capturedOutput('maven-compiler-symbol')),
    expected: symbolErrors
  })

  it("recognises both prints of every error, and leaves Maven's other [ERROR] lines", () => {
    expect(unrecognisedErrors(mavenCompilerRecogniser, 'maven-compiler-symbol')).toEqual([
      '[ERROR] COMPILATION ERROR : ',
      '[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.10.1:compile (default-compile) on project order-service: Compilation failure: Compilation failure: ',
      ...MAVEN_HELP
    ])
  })

  it("finds the demo's compile errors, each once", () => {
    const messages = recognise(mavenCompilerRecogniser, DEMO_LOGS.stage2).map(f => f.message)
    expect(messages).toEqual(DEMO_COMPILE_ERROR_MESSAGES)
  })

  itFinds(mavenCompilerRecogniser, {
    it: 'takes no warning for an error',
    logs: [
      lines(
        '[INFO] -------------------------------------------------------------',
        '[WARNING] COMPILATION WARNING : ',
        '[INFO] -------------------------------------------------------------',
        '/ws/src/main/java/a/Old.java:[3,9] non-varargs call of varargs method',
        '[INFO] 1 warning',
        '[WARNING] /ws/src/main/java/a/Old.java:[7,5] [deprecation] parse() in Date has been deprecated',
        '/ws/src/main/java/a/Old.java:[8,5] [removal] Integer(int) in Integer has been deprecated',
        '[ERROR] /ws/src/main/java/a/Old.java: Some input files use unchecked or unsafe operations.',
        '[ERROR] /ws/src/main/kotlin/a/Old.kt:[3,9] not Java'
      )
    ],
    expected: []
  })
})

describe('javac', () => {
  const service = 'src/main/java/com/example/order/OrderService.java'

  itFinds(javacRecogniser, {
    it: 'finds each error with the column of its caret and the lines under it',
    logs: everyForm(capturedOutput('javac')),
    expected: [
      {
        kind: 'compile-error',
        message:
          'cannot find symbol\n  symbol:   class OrderRepository\n  location: class OrderService',
        place: { path: service, line: 6, column: 19 }
      },
      {
        kind: 'compile-error',
        message:
          'cannot find symbol\n  symbol:   class OrderRepository\n  location: class OrderService',
        place: { path: service, line: 8, column: 25 }
      },
      {
        kind: 'compile-error',
        message: 'incompatible types: int cannot be converted to BigDecimal',
        place: { path: 'src/main/java/com/example/order/Order.java', line: 16, column: 62 }
      },
      {
        kind: 'compile-error',
        message: 'incompatible types: BigDecimal cannot be converted to String',
        place: { path: service, line: 15, column: 32 }
      }
    ]
  })

  itFinds(javacRecogniser, {
    it: 'gives no column without a caret, and takes no warning or other compiler',
    logs: [
      lines(
        'A.java:3: error: class B is public, should be declared in a file named B.java',
        'A.java:4: error: second error right after the first',
        'A.java:5: warning: [unchecked] unchecked call',
        'a.c:1:2: error: expected ; before }',
        'A.javax:1: error: not java'
      )
    ],
    expected: [
      {
        kind: 'compile-error',
        message: 'class B is public, should be declared in a file named B.java',
        place: { path: 'A.java', line: 3 }
      },
      {
        kind: 'compile-error',
        message: 'second error right after the first',
        place: { path: 'A.java', line: 4 }
      }
    ]
  })
})

describe('Kotlin', () => {
  const sources = 'src/main/kotlin/com/example/order'

  /** The fixture's two errors, in its sources at `file(name)`. */
  const errors = (file: (name: string) => string): Finding[] => [
    {
      kind: 'compile-error',
      message: 'Unresolved reference: totl',
      place: { path: file('Order.kt'), line: 13, column: 16 }
    },
    {
      kind: 'compile-error',
      message: 'Type mismatch: inferred type is String but Int was expected',
      place: { path: file('OrderService.kt'), line: 9, column: 26 }
    }
  ]

  itFinds(kotlinRecogniser, {
    it: 'finds the e: lines of Kotlin 1.8 and later, the path kept as the printed file URI',
    logs: everyForm(capturedOutput('kotlin-gradle')),
    expected: errors(name => `file:///home/build/order-service/${sources}/${name}`)
  })

  itFinds(kotlinRecogniser, {
    it: 'finds the e: lines of earlier Kotlin, a Windows path kept as printed',
    logs: everyForm(capturedOutput('kotlin-gradle-old')),
    expected: errors(name => `C:\\build\\order-service\\${sources.replace(/\//g, '\\')}\\${name}`)
  })

  itFinds(kotlinRecogniser, {
    it: 'takes an error of no position, and no warning or look-alike',
    logs: [
      lines(
        'e: file:///ws/build.gradle.kts Script compilation error',
        'w: file:///ws/src/A.kt:1:2 Parameter never used',
        'Type: e: file',
        'e: /ws/src/A.kt: Unresolved reference without position',
        'e: file:///ws/src/A.java:1:2 not Kotlin'
      )
    ],
    expected: [
      {
        kind: 'compile-error',
        message: 'Script compilation error',
        place: { path: 'file:///ws/build.gradle.kts' }
      }
    ]
  })
})

describe('Surefire and Failsafe', () => {
  const orderTest = 'com/example/order/OrderTest.java'
  const serviceTest = 'com/example/order/OrderServiceTest.java'
  const junit4Tests: Finding[] = [
    {
      kind: 'failed-test',
      test: 'com.example.order.OrderTest.totalsItsLines',
      message: 'java.lang.AssertionError: expected:<7.00> but was:<6.00>',
      place: { path: orderTest, line: 15 }
    },
    {
      kind: 'failed-test',
      test: 'com.example.order.OrderServiceTest.rejectsAnEmptyOrder',
      message: 'java.lang.IllegalArgumentException: an order needs at least one line',
      place: { path: serviceTest, line: 21 }
    },
    {
      kind: 'failed-test',
      test: 'com.example.order.OrderServiceTest.findsAPlacedOrder',
      message: 'java.lang.IndexOutOfBoundsException: Index 1 out of bounds for length 1',
      place: { path: serviceTest, line: 27 }
    },
    {
      kind: 'failed-test',
      test: 'com.example.order.OrderServiceTest.placesOrder',
      message: 'java.lang.AssertionError: expected:<3> but was:<1>',
      place: { path: serviceTest, line: 16 }
    }
  ]

  /** The JUnit 5 tests of `../__fixtures__/failures/surefire-2.22-junit5/`, under `cls`. */
  function junit5Tests(cls: string, parameterized: (index: number) => string): Finding[] {
    const place = (line: number) => ({ path: `com/example/order/${cls}.java`, line })
    const name = `com.example.order.${cls}`
    return [
      {
        kind: 'failed-test',
        test: `${name}.${parameterized(1)}`,
        message: 'org.opentest4j.AssertionFailedError: expected: <1> but was: <2>',
        place: place(33)
      },
      {
        kind: 'failed-test',
        test: `${name}.${parameterized(2)}`,
        message: 'org.opentest4j.AssertionFailedError: expected: <2> but was: <4>',
        place: place(33)
      },
      {
        kind: 'failed-test',
        test: `${name}.rejectsAnEmptyOrder`,
        message: 'java.lang.IllegalArgumentException: an order needs at least one line',
        place: place(26)
      },
      {
        kind: 'failed-test',
        test: `${name}.placesOrder`,
        message:
          'org.opentest4j.AssertionFailedError: lines of the order ==> expected: <3> but was: <1>',
        place: place(20)
      },
      {
        kind: 'failed-test',
        test: `${name}$WhenPlaced.findsIt`,
        message: 'java.lang.IndexOutOfBoundsException: Index 1 out of bounds for length 1',
        place: place(41)
      }
    ]
  }

  const failsafeTests = junit5Tests('OrderServiceIT', i => `countsLines(int)[${i}]`)

  it("names each failing test by class and method, at its frame's line, in every version", () => {
    expectFindings(
      surefireRecogniser,
      {
        logs: everyForm(
          capturedOutput('surefire-2.22'),
          capturedOutput('surefire-2.22-color'),
          capturedOutput('surefire-2.22-untrimmed'),
          capturedOutput('surefire-3')
        ),
        expected: junit4Tests
      },
      {
        logs: everyForm(
          capturedOutput('surefire-2.22-junit5'),
          capturedOutput('surefire-2.22-junit5-untrimmed')
        ),
        expected: junit5Tests('OrderServiceTest', i => `countsLines{int}[${i}]`)
      },
      { logs: everyForm(capturedOutput('failsafe-3')), expected: failsafeTests }
    )
  })

  it('reads the tests when CodeArts gives Maven its level', () => {
    expectFindings(
      surefireRecogniser,
      { logs: asRelevelledLogs(capturedOutput('surefire-2.22')), expected: junit4Tests },
      { logs: asRelevelledLogs(capturedOutput('failsafe-3')), expected: failsafeTests }
    )
  })

  it("recognises the tests' lines and the summary's, and leaves Maven's other [ERROR] lines", () => {
    const failedGoal = (goal: string, reports: string) => [
      `[ERROR] Failed to execute goal org.apache.maven.plugins:${goal} on project order-service: There are test failures.`,
      '[ERROR] ',
      `[ERROR] ${reports}/tmp/recog-a/mvn-test/target/surefire-reports for the individual test results.`,
      `[ERROR] ${reports}dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.`,
      ...MAVEN_HELP
    ]
    expect(unrecognisedErrors(surefireRecogniser, 'surefire-2.22')).toEqual(
      failedGoal('maven-surefire-plugin:2.22.3:test (default-test)', 'Please refer to ')
    )
    expect(unrecognisedErrors(surefireRecogniser, 'surefire-3')).toEqual(
      failedGoal('maven-surefire-plugin:3.5.4:test (default-test)', 'See ')
    )
  })

  it('keeps a test that only the summary names, and drops a test that passed on a rerun', () => {
    // Summary lines as DefaultReporterFactory.printTestFailures writes them (Surefire 3.5.4):
    // a rerun test's full name above its `Run N:` lines, and a `Flakes:` section.
    const log = [
      '[ERROR] Tests run: 3, Failures: 2, Errors: 0, Skipped: 0, Time elapsed: 0.1 s <<< FAILURE! -- in com.example.OrderTest',
      '[ERROR] com.example.OrderTest.flaky -- Time elapsed: 0.01 s <<< FAILURE!',
      'java.lang.AssertionError: sometimes',
      '\tat com.example.OrderTest.flaky(OrderTest.java:30)',
      '',
      '[INFO] Results:',
      '[INFO] ',
      '[ERROR] Failures: ',
      '[ERROR]   OrderTest.cutOff:12 expected:<1> but was:<2>',
      '[ERROR] com.example.OrderTest.rerun',
      '[ERROR]   Run 1: OrderTest.rerun:20 still failing',
      '[ERROR]   Run 2: OrderTest.rerun:20 still failing',
      '[INFO] ',
      '[WARNING] Flakes: ',
      '[WARNING] com.example.OrderTest.flaky',
      '[ERROR]   Run 1: OrderTest.flaky:30 sometimes',
      '[INFO]   Run 2: PASS',
      '[INFO] ',
      '[ERROR] Tests run: 3, Failures: 2, Errors: 0, Skipped: 0, Flakes: 1'
    ].join('\n')
    expect(recognise(surefireRecogniser, log)).toEqual([
      {
        kind: 'failed-test',
        test: 'com.example.OrderTest.cutOff',
        message: 'expected:<1> but was:<2>',
        place: { path: 'com/example/OrderTest.java', line: 12 }
      },
      {
        kind: 'failed-test',
        test: 'com.example.OrderTest.rerun',
        message: 'still failing',
        place: { path: 'com/example/OrderTest.java', line: 20 }
      }
    ])
  })

  itFinds(surefireRecogniser, {
    it: "names TestNG's tests, which Surefire runs in a `TestSuite`, by their own class",
    logs: [
      lines(
        '[ERROR] Tests run: 4, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.5 s <<< FAILURE! -- in TestSuite',
        '[ERROR] com.example.OrderTest.placesOrder -- Time elapsed: 0.01 s <<< FAILURE!',
        'java.lang.AssertionError: expected [3] but found [1]',
        '\tat org.testng.Assert.fail(Assert.java:110)',
        '\tat com.example.OrderTest.placesOrder(OrderTest.java:15)'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'com.example.OrderTest.placesOrder',
        message: 'java.lang.AssertionError: expected [3] but found [1]',
        place: { path: 'com/example/OrderTest.java', line: 15 }
      }
    ]
  })

  itFinds(surefireRecogniser, {
    it: 'finds nothing in passing tests',
    logs: [
      lines(
        '[INFO] Running com.example.OrderTest',
        '[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.1 s - in com.example.OrderTest',
        '[INFO] Results:',
        '[INFO] ',
        '[INFO] Tests run: 3, Failures: 0, Errors: 0, Skipped: 0',
        'Results: 3 of 3 checks passed'
      )
    ],
    expected: []
  })
})

describe("Gradle's tests", () => {
  /**
   * The failed tests of the Gradle fixtures, named under `cls`, in `file`: each message is its
   * exception's class, and with `full` the exception's text after it.
   */
  function gradleTests(cls: string, file: string, full: boolean): Finding[] {
    const test = (name: string, line: number, exception: string, text: string): Finding => ({
      kind: 'failed-test',
      test: `${cls}.${name}`,
      message: full ? `${exception}: ${text}` : exception,
      place: { path: file, line }
    })
    const assertion = 'org.opentest4j.AssertionFailedError'
    return [
      test('placesOrder()', 20, assertion, 'lines of the order ==> expected: <3> but was: <1>'),
      test(
        'rejects an empty order',
        26,
        'java.lang.IllegalArgumentException',
        'an order needs at least one line'
      ),
      test('countsLines(int) > [1] 1', 33, assertion, 'expected: <1> but was: <2>'),
      test('countsLines(int) > [2] 2', 33, assertion, 'expected: <2> but was: <4>'),
      test(
        'WhenPlaced > findsIt()',
        41,
        'java.lang.IndexOutOfBoundsException',
        'Index 1 out of bounds for length 1'
      )
    ]
  }

  itFinds(gradleTestRecogniser, {
    it: "finds each failed test at the short form's file and line, the class as Gradle shows it",
    logs: everyForm(capturedOutput('gradle-short')),
    expected: gradleTests('OrderServiceTest', 'OrderServiceTest.java', false)
  })

  itFinds(gradleTestRecogniser, {
    it: "finds each failed test with its message and its frame's package, class and line",
    logs: everyForm(capturedOutput('gradle-full')),
    expected: gradleTests(
      'com.example.order.OrderServiceTest',
      'com/example/order/OrderServiceTest.java',
      true
    )
  })

  itFinds(gradleTestRecogniser, {
    it: "reads newer Gradle's short form with a message, old Gradle's full class name, and TestNG",
    logs: [
      lines(
        'OrderTest > placesOrder() FAILED',
        '    org.opentest4j.AssertionFailedError: expected: <3> but was: <1> at OrderTest.java:15',
        '',
        'com.example.OrderTest > totals FAILED',
        '    java.lang.AssertionError at OrderTest.java:22',
        '',
        'Gradle suite > Gradle test > com.example.OrderTest.checksStock FAILED',
        '    java.lang.IllegalStateException at OrderTest.java:40'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'OrderTest.placesOrder()',
        message: 'org.opentest4j.AssertionFailedError: expected: <3> but was: <1>',
        place: { path: 'OrderTest.java', line: 15 }
      },
      {
        kind: 'failed-test',
        test: 'com.example.OrderTest.totals',
        message: 'java.lang.AssertionError',
        place: { path: 'com/example/OrderTest.java', line: 22 }
      },
      {
        kind: 'failed-test',
        test: 'com.example.OrderTest.checksStock',
        message: 'java.lang.IllegalStateException',
        place: { path: 'com/example/OrderTest.java', line: 40 }
      }
    ]
  })

  itFinds(gradleTestRecogniser, {
    it: "takes no task's or build's failure for a test",
    logs: [
      lines(
        '> Task :test FAILED',
        '> Task :app:compileJava FAILED',
        'BUILD FAILED in 4s',
        'FAILURE: Build failed with an exception.',
        '5 tests completed, 5 failed',
        'a > b FAILED to parse'
      )
    ],
    expected: []
  })
})

describe('the JVM recognisers together', () => {
  it("find nothing in the demo's logs but its compile errors and failed tests", () => {
    const found: Record<string, number> = {
      [`stage2 ${mavenCompilerRecogniser.name}`]: 4,
      [`stage3 ${surefireRecogniser.name}`]: 2
    }
    for (const [stage, log] of Object.entries(DEMO_LOGS)) {
      for (const recogniser of JVM_RECOGNISERS) {
        const expected = found[`${stage} ${recogniser.name}`] ?? 0
        expect([stage, recogniser.name, recognise(recogniser, log).length]).toEqual([
          stage,
          recogniser.name,
          expected
        ])
      }
    }
  })

  it('pass a hostile path through as printed: locating it is not theirs', () => {
    const log = [
      '[ERROR] /ws/../../etc/passwd.java:[1,1] cannot find symbol',
      '../../etc/shadow.java:2: error: x',
      'int x = y;',
      '    ^',
      'e: file:///ws/../../etc/hosts.kt:3:4 Unresolved reference: x'
    ].join('\n')
    expect(recognise(mavenCompilerRecogniser, log)[0].place).toEqual({
      path: '/ws/../../etc/passwd.java',
      line: 1,
      column: 1
    })
    expect(recognise(javacRecogniser, log)[0].place).toEqual({
      path: '../../etc/shadow.java',
      line: 2,
      column: 5
    })
    expect(recognise(kotlinRecogniser, log)[0].place?.path).toBe('file:///ws/../../etc/hosts.kt')
  })

  it("take no place from a frame whose file is a path, or whose class is not a class's name", () => {
    expect(
      parseJvmFrame('\tat com.example.OrderTest.placesOrder(../../etc/OrderTest.java:15)')
    ).toEqual({ className: 'com.example.OrderTest', method: 'placesOrder' })
    expect(parseJvmFrame('\tat com..example.OrderTest.placesOrder(OrderTest.java:15)')).toBe(
      undefined
    )
    expect(parseJvmFrame('\tat app//com.example.Order$Line.<init>(Order.java:9)')).toEqual({
      className: 'com.example.Order$Line',
      method: '<init>',
      file: 'Order.java',
      line: 9
    })
  })

  it('scan a 1 MiB line holding their triggers, and keep at most the findings and message lines allowed', () => {
    const huge = [
      `[ERROR] ${'a:'.repeat(1 << 19)}.java:[1,2] x`,
      `${'A.java:1: error: '.repeat(1 << 16)}`,
      `e: file:${'a'.repeat(1 << 20)}.kt:1:2 x`,
      `${'x > '.repeat(1 << 18)} FAILED`,
      `Tests run: 1, ${'<<< FAILURE! '.repeat(1 << 16)}`
    ].join('\n')
    for (const recogniser of JVM_RECOGNISERS) {
      for (const finding of recognise(recogniser, huge)) {
        expect(finding.message.length).toBeLessThanOrEqual(1000)
      }
    }
    const many = Array.from(
      { length: 3 * MAX_FINDINGS },
      (_, i) => `[ERROR] /ws/A.java:[${i + 1},1] error ${i}`
    ).join('\n')
    expect(recognise(mavenCompilerRecogniser, many)).toHaveLength(MAX_FINDINGS)
    const longTrace = [
      '[ERROR] com.example.OrderTest.placesOrder -- Time elapsed: 0.01 s <<< FAILURE!',
      ...Array.from({ length: 40 }, (_, i) => `message line ${i}`),
      '\tat com.example.OrderTest.placesOrder(OrderTest.java:15)'
    ].join('\n')
    const [test] = recognise(surefireRecogniser, longTrace)
    expect(test.message.split('\n')).toHaveLength(MAX_MESSAGE_LINES)
    expect(test.place).toEqual({ path: 'com/example/OrderTest.java', line: 15 })
  })
})

/** The Maven output as CodeArts logs it with Maven's level as its own, plain and in colour. */
function asRelevelledLogs(output: string): string[] {
  const log = asRelevelledLog(output)
  return [log, log.replace(/ : (.+)$/gm, ' : \u001b[31m$1\u001b[0m')]
}
