import { describe, expect, it } from '@jest/globals'
import { DEMO_LOGS } from '../__fixtures__/demo-logs.js'
import { capturedOutput, recognise } from '../__fixtures__/recognise.js'
import { everyForm, expectFindings, itFinds, lines } from '../__fixtures__/recogniser-cases.js'
import { jestRecogniser } from '../src/download/recognisers/jest.js'
import { pytestRecogniser } from '../src/download/recognisers/pytest.js'
import {
  MAX_FINDINGS,
  MAX_MESSAGE_CHARS,
  type Finding
} from '../src/download/recognisers/recogniser.js'
import { tscRecogniser } from '../src/download/recognisers/tsc.js'
import { vitestRecogniser } from '../src/download/recognisers/vitest.js'

const RECOGNISERS = [tscRecogniser, jestRecogniser, vitestRecogniser, pytestRecogniser]

describe('tsc', () => {
  const chain = [
    "TS2322: Type '(line: { sku: number; }) => string' is not assignable to type '(line: OrderLine) => string'.",
    "  Types of parameters 'line' and 'line' are incompatible.",
    "    Type 'OrderLine' is not assignable to type '{ sku: number; }'.",
    "      Types of property 'sku' are incompatible.",
    "        Type 'string' is not assignable to type 'number'."
  ].join('\n')
  const errors: Finding[] = [
    {
      kind: 'compile-error',
      message: "TS2322: Type 'string' is not assignable to type 'number'.",
      place: { path: 'src/index.ts', line: 3, column: 55 }
    },
    {
      kind: 'compile-error',
      message: "TS2552: Cannot find name 'totl'. Did you mean 'total'?",
      place: { path: 'src/index.ts', line: 5, column: 13 }
    },
    {
      kind: 'compile-error',
      message:
        "TS2353: Object literal may only specify known properties, and 'town' does not exist in type 'Address'.",
      place: { path: 'src/orders/customer.ts', line: 13, column: 35 }
    },
    {
      kind: 'compile-error',
      message: "TS2322: Type 'number' is not assignable to type 'string'.",
      place: { path: 'src/orders/order.ts', line: 13, column: 3 }
    },
    {
      kind: 'compile-error',
      message: chain,
      place: { path: 'src/orders/order.ts', line: 16, column: 14 }
    }
  ]

  itFinds(tscRecogniser, {
    it: 'finds each error, plain or pretty and coloured, of TypeScript 5.9 and 7, with its chain',
    logs: everyForm(
      capturedOutput('tsc-plain'),
      capturedOutput('tsc-pretty'),
      capturedOutput('tsc7-plain'),
      capturedOutput('tsc7-pretty')
    ),
    expected: errors
  })

  itFinds(tscRecogniser, {
    it: 'takes an error of no file, and no related place, summary or look-alike',
    logs: [
      lines(
        "error TS5083: Cannot read file '/ws/tsconfig.base.json'.",
        "  src/orders/order.ts:4:3 - The expected type comes from property 'quantity'",
        'Found 3 errors in 2 files.',
        '     2  src/index.ts:3',
        'Parsing error TSV file row 3',
        "src/a.ts(1,2): warning TS6133: 'x' is declared but its value is never read."
      )
    ],
    expected: [
      {
        kind: 'compile-error',
        message: "TS5083: Cannot read file '/ws/tsconfig.base.json'."
      }
    ]
  })
})

describe('Jest', () => {
  const orderTest = '__tests__/order.test.js'
  const tests: Finding[] = [
    {
      kind: 'failed-test',
      test: 'Order › totals its lines',
      message: 'expect(received).toBe(expected) // Object.is equality\n\nExpected: 7\nReceived: 6',
      place: { path: orderTest, line: 5, column: 77 }
    },
    {
      kind: 'failed-test',
      test: 'Order › place › rejects an empty order',
      message:
        'expect(received).toThrow(expected)\n\nExpected substring: "empty"\nReceived message:   "an order needs at least one line"',
      place: { path: orderTest, line: 14, column: 20 }
    },
    {
      kind: 'failed-test',
      test: 'Order › place › places an order',
      message: 'an order needs at least one line',
      place: { path: orderTest, line: 18, column: 21 }
    },
    {
      kind: 'failed-test',
      test: 'top-level test without a suite',
      message: [
        'expect(received).toEqual(expected) // deep equality',
        '',
        '- Expected  - 1',
        '+ Received  + 1',
        '',
        '  Object {',
        '-   "quantity": 3,',
        '+   "quantity": 2,',
        '    "sku": "A-1",',
        '  }'
      ].join('\n'),
      place: { path: orderTest, line: 25, column: 39 }
    },
    {
      kind: 'failed-test',
      test: 'Customer › greets a customer without a name',
      message: "TypeError: Cannot read properties of undefined (reading 'first')",
      place: { path: '__tests__/customer.test.js', line: 9, column: 12 }
    },
    {
      kind: 'failed-test',
      test: '__tests__/broken.test.js',
      message: "Cannot find module '../src/orders/missing' from '__tests__/broken.test.js'",
      place: { path: '__tests__/broken.test.js', line: 1, column: 19 }
    }
  ]

  itFinds(jestRecogniser, {
    it: "names each test as Jest does, at its first frame in the test's file",
    logs: everyForm(capturedOutput('jest'), capturedOutput('jest-color')),
    expected: tests
  })

  it('keeps each test once when Jest lists the failures again in its summary', () => {
    const output = capturedOutput('jest-summary')
    expect(
      output.split('\n').filter(line => line.includes('● Order › totals its lines'))
    ).toHaveLength(2)
    expectFindings(jestRecogniser, { logs: everyForm(output), expected: tests })
  })

  itFinds(jestRecogniser, {
    it: 'takes no console block or warning, and falls back to a frame outside node_modules',
    logs: [
      lines(
        '  ● Console',
        '',
        '    console.log',
        '      hello',
        '',
        '      at Object.log (__tests__/a.test.js:3:11)',
        '',
        '● Validation Warning:',
        '  Unknown option "x" with value 1 was found.',
        'PASS __tests__/b.test.js',
        '  ● Suite › name',
        '',
        '    boom',
        '',
        '      at Object.fn (node_modules/lib/index.js:1:2)',
        '      at helper (src/helper.js:4:5)'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'Suite › name',
        message: 'boom',
        place: { path: 'src/helper.js', line: 4, column: 5 }
      }
    ]
  })
})

describe('Vitest', () => {
  const orderTest = 'test/order.test.ts'
  const tests: Finding[] = [
    {
      kind: 'failed-test',
      test: 'test/broken.test.ts',
      message:
        "Error: Cannot find module '../src/orders/missing' imported from /tmp/recog-a/vitestproj/test/broken.test.ts",
      place: { path: 'test/broken.test.ts', line: 2, column: 1 }
    },
    {
      kind: 'failed-test',
      test: 'Order > totals its lines',
      message:
        'AssertionError: expected 6 to be 7 // Object.is equality\n\n- Expected\n+ Received\n\n- 7\n+ 6',
      place: { path: orderTest, line: 6, column: 101 }
    },
    {
      kind: 'failed-test',
      test: 'Order > place > rejects an empty order',
      message:
        'AssertionError: expected [Function] to throw error including \'empty\' but got \'an order needs at least one line\'\n\nExpected: "empty"\nReceived: "an order needs at least one line"',
      place: { path: orderTest, line: 15, column: 31 }
    },
    {
      kind: 'failed-test',
      test: 'Order > place > places an order',
      message: 'Error: an order needs at least one line',
      place: { path: orderTest, line: 19, column: 21 }
    },
    {
      kind: 'failed-test',
      test: 'top-level test without a suite',
      message: [
        "AssertionError: expected { sku: 'A-1', quantity: 2 } to deeply equal { sku: 'A-1', quantity: 3 }",
        '',
        '- Expected',
        '+ Received',
        '',
        '  {',
        '-   "quantity": 3,',
        '+   "quantity": 2,',
        '    "sku": "A-1",',
        '  }'
      ].join('\n'),
      place: { path: orderTest, line: 26, column: 39 }
    }
  ]

  itFinds(vitestRecogniser, {
    it: "names each test as Vitest does, at its first place in the test's file",
    logs: everyForm(capturedOutput('vitest'), capturedOutput('vitest-color')),
    expected: tests
  })

  itFinds(vitestRecogniser, {
    it: "drops a workspace project's name, and takes no progress line or Jest's FAIL line",
    logs: [
      lines(
        ' ❯ test/order.test.ts (5 tests | 4 failed) 16ms',
        '     × totals its lines 7ms',
        'FAIL __tests__/order.test.js',
        ' FAIL  |web| test/cart.test.ts > Cart > adds',
        'Error: nope',
        ' ❯ test/cart.test.ts:3:9'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'Cart > adds',
        message: 'Error: nope',
        place: { path: 'test/cart.test.ts', line: 3, column: 9 }
      }
    ]
  })
})

describe('pytest', () => {
  const file = 'tests/test_order.py'
  const tests: Finding[] = [
    {
      kind: 'failed-test',
      test: `${file}::test_reserves_stock`,
      message: 'RuntimeError: stock service unavailable',
      place: { path: file, line: 34 }
    },
    {
      kind: 'failed-test',
      test: `${file}::test_total`,
      message: [
        "AssertionError: assert Decimal('6.00') == Decimal('7.00')",
        " +  where Decimal('6.00') = total([OrderLine(sku='A-1', price=Decimal('2.50'), quantity=2), OrderLine(sku='B-2', price=Decimal('1.00'), quantity=1)])",
        " +  and   Decimal('7.00') = Decimal('7.00')"
      ].join('\n'),
      place: { path: file, line: 10 }
    },
    {
      kind: 'failed-test',
      test: `${file}::TestPlace::test_rejects_empty_order`,
      message: [
        'AssertionError: Regex pattern did not match.',
        "  Expected regex: 'empty'",
        "  Actual message: 'an order needs at least one line'"
      ].join('\n'),
      place: { path: file, line: 19 }
    },
    {
      kind: 'failed-test',
      test: `${file}::TestPlace::test_places_order`,
      message: 'ValueError: an order needs at least one line',
      place: { path: file, line: 23 }
    },
    {
      kind: 'failed-test',
      test: `${file}::test_quantity[2]`,
      message: [
        "AssertionError: assert Decimal('2') == 1",
        " +  where Decimal('2') = total([OrderLine(sku='A-1', price=Decimal('1'), quantity=2)])"
      ].join('\n'),
      place: { path: file, line: 29 }
    }
  ]

  itFinds(pytestRecogniser, {
    it: "names each test by its node ID, with the last exception's E lines, at its line in the test's file",
    logs: everyForm(
      capturedOutput('pytest'),
      capturedOutput('pytest-color'),
      capturedOutput('pytest-short')
    ),
    expected: tests
  })

  itFinds(pytestRecogniser, {
    it: "names a module that failed to import by its path, at its file's line",
    logs: everyForm(capturedOutput('pytest-collect')),
    expected: [
      {
        kind: 'failed-test',
        test: 'tests/test_customer.py',
        message: "ModuleNotFoundError: No module named 'orders.customer'",
        place: { path: 'tests/test_customer.py', line: 1 }
      }
    ]
  })

  itFinds(pytestRecogniser, {
    it: 'keeps a summary line with no section, and names a section with no summary line',
    logs: [
      lines(
        '=================================== FAILURES ===================================',
        '__________________________ TestCart.test_adds[a.b] ___________________________',
        '',
        '>       assert 1 == 2',
        'E       assert 1 == 2',
        '',
        'tests/test_cart.py:7: AssertionError',
        '=========================== short test summary info ============================',
        'FAILED tests/test_stock.py::test_reserves - RuntimeError: stock service ...'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'tests/test_cart.py::TestCart::test_adds[a.b]',
        message: 'assert 1 == 2',
        place: { path: 'tests/test_cart.py', line: 7 }
      },
      {
        kind: 'failed-test',
        test: 'tests/test_stock.py::test_reserves',
        message: 'RuntimeError: stock service ...'
      }
    ]
  })

  itFinds(pytestRecogniser, {
    it: 'takes no banner, warning or progress line for a failure',
    logs: [
      lines(
        '______________________________ build banner ______________________________',
        'src/app.py:12: DeprecationWarning: datetime.utcnow() is deprecated',
        'tests/test_order.py::test_total FAILED                                   [ 14%]',
        '=============================== warnings summary ===============================',
        'tests/test_order.py::test_total',
        '  /ws/src/app.py:12: DeprecationWarning: datetime.utcnow() is deprecated',
        'BUILD FAILED',
        'FAILED to connect'
      )
    ],
    expected: []
  })
})

describe('the JavaScript and Python recognisers together', () => {
  it("find nothing in each other's output or in the demo's logs", () => {
    const fixtures: Record<string, string[]> = {
      tsc: ['tsc-pretty', 'tsc7-plain'],
      jest: ['jest-color', 'jest-summary'],
      vitest: ['vitest-color'],
      pytest: ['pytest-color', 'pytest-collect']
    }
    for (const recogniser of RECOGNISERS) {
      const others = Object.entries(fixtures)
        .filter(([name]) => name !== recogniser.name)
        .flatMap(([, names]) => names.map(name => capturedOutput(name)))
      for (const log of [...others, ...Object.values(DEMO_LOGS)]) {
        expect(recognise(recogniser, log)).toEqual([])
      }
    }
  })

  it('pass a hostile path through as printed: locating it is not theirs', () => {
    expect(recognise(tscRecogniser, '../../etc/passwd(1,2): error TS1005: x')[0].place?.path).toBe(
      '../../etc/passwd'
    )
    const jest = ['  ● Suite › name', '', '    boom', '', '      at f (../../etc/passwd:1:2)']
    expect(recognise(jestRecogniser, jest.join('\n'))[0].place?.path).toBe('../../etc/passwd')
  })

  it('scan a 1 MiB line holding their triggers, and keep at most the findings and characters allowed', () => {
    const huge = [
      `${'a('.repeat(1 << 19)}1,2): error TS1: x`,
      `  ● ${'› '.repeat(1 << 19)}`,
      ` FAIL  ${'a > '.repeat(1 << 18)}`,
      `${'__ '.repeat(1 << 18)}`,
      `FAILED ${'a.py::'.repeat(1 << 17)} - x`
    ].join('\n')
    for (const recogniser of RECOGNISERS) {
      for (const finding of recognise(recogniser, huge)) {
        expect(finding.message.length).toBeLessThanOrEqual(MAX_MESSAGE_CHARS)
        expect(finding.kind === 'failed-test' ? finding.test.length : 0).toBeLessThanOrEqual(500)
      }
    }
    const many = Array.from(
      { length: 3 * MAX_FINDINGS },
      (_, i) => `FAILED tests/test_a.py::test_${i} - boom`
    ).join('\n')
    expect(recognise(pytestRecogniser, many)).toHaveLength(MAX_FINDINGS)
    const longLines = Array.from({ length: 5 }, () => `    ${'x'.repeat(400)}`)
    const [test] = recognise(jestRecogniser, ['  ● Suite › long', '', ...longLines].join('\n'))
    expect(test.message).toHaveLength(MAX_MESSAGE_CHARS)
  })
})
