import { describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs'
import * as path from 'node:path'
import { DEMO_LOGS } from '../__fixtures__/demo-logs.js'
import {
  asCodeArtsLog,
  capturedOutput,
  FAILURES_DIR,
  recognise
} from '../__fixtures__/recognise.js'
import { everyForm, expectFindings, itFinds, lines } from '../__fixtures__/recogniser-cases.js'
import { cargoTestRecogniser } from '../src/download/recognisers/cargo-test.js'
import { csharpRecogniser } from '../src/download/recognisers/csharp.js'
import { dotnetTestRecogniser } from '../src/download/recognisers/dotnet-test.js'
import { gccRecogniser } from '../src/download/recognisers/gcc.js'
import { goBuildRecogniser } from '../src/download/recognisers/go-build.js'
import { goTestRecogniser } from '../src/download/recognisers/go-test.js'
import {
  MAX_FINDINGS,
  MAX_MESSAGE_LINES,
  type Finding,
  type Recogniser
} from '../src/download/recognisers/recogniser.js'
import { rustcRecogniser } from '../src/download/recognisers/rustc.js'

const RECOGNISERS = [
  gccRecogniser,
  rustcRecogniser,
  goBuildRecogniser,
  goTestRecogniser,
  cargoTestRecogniser,
  csharpRecogniser,
  dotnetTestRecogniser
]

/** Findings in an order the tool chose (parallel tests), for comparing captures. */
function byName(findings: Finding[]): Finding[] {
  const name = (f: Finding) => (f.kind === 'failed-test' ? f.test : f.message)
  return [...findings].sort((a, b) => name(a).localeCompare(name(b)))
}

/** What one recogniser answers for each line, driven by hand: `candidate` on the first. */
function answers(recogniser: Recogniser, ...text: string[]): unknown[] {
  const state = recogniser.start()
  return [state.candidate(text[0]), ...text.slice(1).map(line => state.following(line))]
}

const CMAKE_ROOT = '/tmp/recogb/devcloud/ws/s1a2b/workspace/j_9f8e'
const DOTNET_ROOT = '/devcloud/ws/s1a2b/workspace/j_9f8e'

describe('gcc and clang', () => {
  const GCC_MAKE: Finding[] = [
    {
      kind: 'compile-error',
      message: lines(
        '‘shipping_cents’ undeclared (first use in this function)',
        '   10 |     return sum + shipping_cents;',
        '      |                  ^~~~~~~~~~~~~~',
        'src/order.c:10:18: note: each undeclared identifier is reported only once for each function it appears in'
      ),
      place: { path: 'src/order.c', line: 10, column: 18 }
    },
    {
      kind: 'compile-error',
      message: lines(
        '‘const struct order’ has no member named ‘total’',
        '   15 |     return snprintf(out, size, "%s: %ld", order->id, order->total);',
        '      |                                                           ^~'
      ),
      place: { path: 'src/order.c', line: 15, column: 59 }
    },
    {
      kind: 'compile-error',
      message: lines(
        'expected ‘;’ before ‘}’ token',
        '    8 |     return (cents_t)(amount * 100)',
        '      |                                   ^',
        '      |                                   ;',
        '    9 | }',
        '      | ~'
      ),
      place: { path: 'include/money.h', line: 8, column: 35 }
    },
    {
      kind: 'compile-error',
      message: lines(
        'initialization of ‘const char *’ from ‘long int’ makes pointer from integer without a cast [-Werror=int-conversion]',
        '   10 |     const char *total = order_total(order, prices, 2);',
        '      |                         ^~~~~~~~~~~'
      ),
      place: { path: 'src/report.c', line: 10, column: 25 }
    },
    {
      kind: 'compile-error',
      message: lines(
        'too few arguments to function ‘order_format’',
        '   11 |     order_format(order, line);',
        '      |     ^~~~~~~~~~~~',
        'include/order.h:13:5: note: declared here',
        '   13 | int order_format(const struct order *order, char *out, size_t size);',
        '      |     ^~~~~~~~~~~~'
      ),
      place: { path: 'src/report.c', line: 11, column: 5 }
    },
    {
      kind: 'compile-error',
      message: lines(
        'config.h: No such file or directory',
        '    4 | #include "config.h"',
        '      |          ^~~~~~~~~~'
      ),
      place: { path: 'src/main.c', line: 4, column: 10 }
    }
  ]

  const CLANG_MAKE: Finding[] = [
    {
      kind: 'compile-error',
      message: lines(
        "use of undeclared identifier 'shipping_cents'",
        '    return sum + shipping_cents;',
        '                 ^'
      ),
      place: { path: 'src/order.c', line: 10, column: 18 }
    },
    {
      kind: 'compile-error',
      message: lines(
        "no member named 'total' in 'struct order'",
        '    return snprintf(out, size, "%s: %ld", order->id, order->total);',
        '                                                     ~~~~~  ^'
      ),
      place: { path: 'src/order.c', line: 15, column: 61 }
    },
    {
      kind: 'compile-error',
      message: lines(
        "expected ';' after return statement",
        '    return (cents_t)(amount * 100)',
        '                                  ^'
      ),
      place: { path: 'include/money.h', line: 8, column: 35 }
    },
    {
      kind: 'compile-error',
      message: lines(
        "incompatible integer to pointer conversion initializing 'const char *' with an expression of type 'long' [-Werror,-Wint-conversion]",
        '    const char *total = order_total(order, prices, 2);',
        '                ^       ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~'
      ),
      place: { path: 'src/report.c', line: 10, column: 17 }
    },
    {
      kind: 'compile-error',
      message: lines(
        'too few arguments to function call, expected 3, have 2',
        '    order_format(order, line);',
        '    ~~~~~~~~~~~~            ^',
        "include/order.h:13:5: note: 'order_format' declared here",
        'int order_format(const struct order *order, char *out, size_t size);',
        '    ^'
      ),
      place: { path: 'src/report.c', line: 11, column: 29 }
    },
    {
      kind: 'compile-error',
      message: lines("'config.h' file not found", '#include "config.h"', '         ^~~~~~~~~~'),
      place: { path: 'src/main.c', line: 4, column: 10 }
    }
  ]

  itFinds(gccRecogniser, {
    it: "reports gcc's errors under make with their excerpts and notes, not the `In function` lines",
    logs: everyForm(capturedOutput('c-make')),
    expected: GCC_MAKE
  })

  itFinds(gccRecogniser, {
    it: "reports clang's errors with the source line and caret under each",
    logs: everyForm(capturedOutput('c-make', 'output-clang.txt')),
    expected: CLANG_MAKE
  })

  it('reads coloured output, whose escape codes split `: error: `', () => {
    expect(capturedOutput('c-make', 'output-color.txt')).toContain('\u001b[01;31m\u001b[Kerror: ')
    expect(recognise(gccRecogniser, capturedOutput('c-make', 'output-color.txt'))).toEqual(GCC_MAKE)
    expect(recognise(gccRecogniser, capturedOutput('c-make', 'output-clang-color.txt'))).toEqual(
      CLANG_MAKE
    )
    expect(
      recognise(gccRecogniser, asCodeArtsLog(capturedOutput('c-make', 'output-clang-color.txt')))
    ).toEqual(CLANG_MAKE)
  })

  it("reports C++ errors under CMake at their absolute paths, after g++'s instantiation context", () => {
    const gcc: Finding[] = [
      {
        kind: 'compile-error',
        message: lines(
          '‘count_’ was not declared in this scope',
          '    8 |     count_++;',
          '      |     ^~~~~~'
        ),
        place: { path: `${CMAKE_ROOT}/src/cart.cpp`, line: 8, column: 5 }
      },
      {
        kind: 'compile-error',
        message: lines(
          'request for member ‘price_cents’ in ‘value’, which is of non-class type ‘const long int’',
          '   29 |         sum += value.price_cents * value.quantity;',
          '      |                ~~~~~~^~~~~~~~~~~'
        ),
        place: { path: `${CMAKE_ROOT}/include/shop/cart.hpp`, line: 29, column: 22 }
      },
      {
        kind: 'compile-error',
        message: lines(
          'request for member ‘quantity’ in ‘value’, which is of non-class type ‘const long int’',
          '   29 |         sum += value.price_cents * value.quantity;',
          '      |                                    ~~~~~~^~~~~~~~'
        ),
        place: { path: `${CMAKE_ROOT}/include/shop/cart.hpp`, line: 29, column: 42 }
      }
    ]
    const clang: Finding[] = [
      {
        kind: 'compile-error',
        message: lines("use of undeclared identifier 'count_'", '    count_++;', '    ^'),
        place: { path: `${CMAKE_ROOT}/src/cart.cpp`, line: 8, column: 5 }
      },
      {
        kind: 'compile-error',
        message: lines(
          "member reference base type 'long const' is not a structure or union",
          '        sum += value.price_cents * value.quantity;',
          '               ~~~~~^~~~~~~~~~~~',
          `${CMAKE_ROOT}/src/price.cpp:9:17: note: in instantiation of function template specialization 'shop::sum_prices<long>' requested here`,
          '    long full = sum_prices(prices);',
          '                ^'
        ),
        place: { path: `${CMAKE_ROOT}/include/shop/cart.hpp`, line: 29, column: 21 }
      }
    ]
    expectFindings(
      gccRecogniser,
      { logs: everyForm(capturedOutput('cpp-cmake')), expected: gcc },
      { logs: everyForm(capturedOutput('cpp-cmake', 'output-clang.txt')), expected: clang }
    )
  })

  it("recognises an error's lines and leaves the warning after it to others", () => {
    expect(
      answers(
        gccRecogniser,
        'src/order.c:10:18: error: ‘shipping_cents’ undeclared (first use in this function)',
        '   10 |     return sum + shipping_cents;',
        '      |                  ^~~~~~~~~~~~~~',
        'src/order.c: In function ‘order_total’:',
        'src/order.c:11:1: warning: control reaches end of non-void function [-Wreturn-type]'
      )
    ).toEqual([
      { recognised: true, following: 40 },
      'recognised',
      'recognised',
      'recognised',
      'done'
    ])
  })

  itFinds(gccRecogniser, {
    it: 'reports nothing for lines that are not errors of a place with a column',
    logs: [
      lines(
        'src/main/java/com/example/Order.java:12: error: cannot find symbol',
        'src/order.c:11:1: warning: control reaches end of non-void function [-Wreturn-type]',
        'include/order.h:13:5: note: declared here',
        'collect2: error: ld returned 1 exit status',
        "cc1: error: unrecognized command-line option '-Wfoo'",
        "error: failed to push some refs to 'git@codehub.example.com:demo/shop.git'",
        'src/order.c:0:5: error: line zero',
        'src/order.c:10:: error: no column',
        ':10:5: error: no path',
        'src/order.c:10:5: error:no space'
      )
    ],
    expected: []
  })

  it('keeps at most MAX_MESSAGE_LINES lines of a message', () => {
    const notes = Array.from({ length: 30 }, (_, i) => `src/a.cpp:${i + 1}:1: note: candidate ${i}`)
    const [finding] = recognise(gccRecogniser, lines('src/a.cpp:9:9: error: no match', ...notes))
    expect(finding.message.split('\n')).toEqual([
      'no match',
      ...notes.slice(0, MAX_MESSAGE_LINES - 1)
    ])
  })
})

describe('rustc and cargo build', () => {
  const CARGO_BUILD: Finding[] = [
    {
      kind: 'compile-error',
      message: lines(
        'unused variable: `header`',
        '4 |     let header = "Report";',
        '  |         ^^^^^^ help: if this is intentional, prefix it with an underscore: `_header`',
        'note: the lint level is defined here',
        ' --> crates/report/src/lib.rs:1:9',
        '1 | #![deny(unused_variables)]',
        '  |         ^^^^^^^^^^^^^^^^'
      ),
      place: { path: 'crates/report/src/lib.rs', line: 4, column: 9 }
    },
    {
      kind: 'compile-error',
      message: lines(
        'E0425: cannot find value `shipping_cents` in this scope',
        '4 |     order.items.iter().sum::<u64>() + shipping_cents',
        '  |                                       ^^^^^^^^^^^^^^ not found in this scope'
      ),
      place: { path: 'crates/order/src/total.rs', line: 4, column: 39 }
    },
    {
      kind: 'compile-error',
      message: lines(
        'E0308: mismatched types',
        '14 |         let count: u32 = self.items.len();',
        '   |                    ---   ^^^^^^^^^^^^^^^^ expected `u32`, found `usize`',
        '   |                    |',
        '   |                    expected due to this',
        "help: you can convert a `usize` to a `u32` and panic if the converted value doesn't fit",
        '14 |         let count: u32 = self.items.len().try_into().unwrap();',
        '   |                                          ++++++++++++++++++++'
      ),
      place: { path: 'crates/order/src/lib.rs', line: 14, column: 26 }
    }
  ]

  itFinds(rustcRecogniser, {
    it: 'reports coded and uncoded errors at their `-->` place, with the excerpt as the message',
    logs: everyForm(capturedOutput('cargo-build')),
    expected: CARGO_BUILD
  })

  it("reads cargo's coloured output, which splits `error: ` but keeps `error[E` whole", () => {
    const coloured = capturedOutput('cargo-build', 'output-color.txt')
    expect(coloured).toContain('\u001b[91merror\u001b[0m\u001b[1m: unused variable')
    expect(byName(recognise(rustcRecogniser, coloured))).toEqual(byName(CARGO_BUILD))
  })

  it("recognises cargo's closing `could not compile` once an error was reported, and not before", () => {
    const state = rustcRecogniser.start()
    expect(state.candidate('error: could not compile `order` (lib) due to 2 previous errors')).toBe(
      undefined
    )
    expect(state.candidate('error[E0425]: cannot find value `x` in this scope')).toEqual({
      recognised: true,
      following: 40
    })
    expect(state.following(' --> src/lib.rs:1:5')).toBe('recognised')
    expect(state.following('')).toBe('done')
    expect(
      state.candidate('error: could not compile `order` (lib) due to 2 previous errors')
    ).toEqual({ recognised: true, following: 0 })
    expect(state.finish()).toHaveLength(1)
  })

  itFinds(rustcRecogniser, {
    it: "leaves cargo's own errors, which have no place, and reports a coded error of no place",
    logs: [
      lines(
        'error: failed to run custom build command for `openssl-sys v0.9.102`',
        '',
        'Caused by:',
        'error: no matching package named `serde_jsn` found',
        "error[E0463]: can't find crate for `core`",
        '',
        'error: aborting due to 1 previous error'
      )
    ],
    expected: [{ kind: 'compile-error', message: "E0463: can't find crate for `core`" }]
  })
})

describe('go build', () => {
  itFinds(goBuildRecogniser, {
    it: 'reports the errors under each `# package` line, with the paths go prints',
    logs: everyForm(capturedOutput('go-build')),
    expected: [
      {
        kind: 'compile-error',
        message: 'invalid operation: "1.4." + 2 (mismatched types untyped string and untyped int)',
        place: { path: './shop.go', line: 5, column: 17 }
      },
      {
        kind: 'compile-error',
        message: 'imported and not used: "errors"',
        place: { path: 'pkg/order/order.go', line: 4, column: 2 }
      },
      {
        kind: 'compile-error',
        message: 'imported and not used: "strings"',
        place: { path: 'pkg/order/order.go', line: 5, column: 2 }
      },
      {
        kind: 'compile-error',
        message: 'undefined: shippingCents',
        place: { path: 'pkg/order/order.go', line: 22, column: 15 }
      },
      {
        kind: 'compile-error',
        message:
          'cannot use len(o.Prices) (value of type int) as type string in variable declaration',
        place: { path: 'pkg/order/order.go', line: 27, column: 21 }
      },
      {
        kind: 'compile-error',
        message: lines(
          'not enough arguments in call to money.Format',
          'have (money.Cents)',
          'want (money.Cents, string)'
        ),
        place: { path: 'pkg/order/order.go', line: 28, column: 35 }
      },
      {
        kind: 'compile-error',
        message: 'imported and not used: "os"',
        place: { path: 'cmd/shop/main.go', line: 5, column: 2 }
      }
    ]
  })

  it("reports go test's build and vet failures, which it prints the same way", () => {
    const expected: Finding[] = [
      {
        kind: 'compile-error',
        message: '(*testing.common).Errorf format %s has arg got of wrong type int',
        place: { path: 'internal/tax/tax_test.go', line: 7, column: 3 }
      },
      {
        kind: 'compile-error',
        message: 'undefined: Apply',
        place: { path: 'pkg/coupon/coupon_test.go', line: 6, column: 12 }
      }
    ]
    expectFindings(goBuildRecogniser, {
      logs: [...everyForm(capturedOutput('go-test')), capturedOutput('go-test', 'output-v.txt')],
      expected
    })
  })

  itFinds(goBuildRecogniser, {
    it: 'reports nothing for a Go error line under no package heading',
    logs: [
      lines(
        'pkg/order/order.go:22:15: undefined: shippingCents',
        '# Build the image',
        'pkg/order/order.go:22:15: undefined: shippingCents',
        '# example.com/shop',
        'Step 3/40 : RUN go build ./...',
        'pkg/order/order.go:22:15: undefined: shippingCents',
        '# example.com/shop',
        'pkg/order/order.c:22:15: not go'
      )
    ],
    expected: []
  })
})

describe('C# (csc and mcs)', () => {
  itFinds(csharpRecogniser, {
    it: "reports mcs's errors with their codes, not its warnings",
    logs: everyForm(capturedOutput('csharp-mcs')),
    expected: [
      {
        kind: 'compile-error',
        message:
          "CS0535: `Shop.Cart' does not implement interface member `System.IDisposable.Dispose()'",
        place: { path: 'src/Shop/Cart.cs', line: 5, column: 18 }
      },
      {
        kind: 'compile-error',
        message: "CS0103: The name `shippingCents' does not exist in the current context",
        place: { path: 'src/Shop/Order.cs', line: 19, column: 35 }
      },
      {
        kind: 'compile-error',
        message:
          "CS0266: Cannot implicitly convert type `long' to `int'. An explicit conversion exists (are you missing a cast?)",
        place: { path: 'src/Shop/Order.cs', line: 25, column: 20 }
      }
    ]
  })

  it("reads MSBuild's form of the same line, and keeps its repeat after `Build FAILED.` once", () => {
    // MSBuild's canonical error format (its documentation: "MSBuild and Visual Studio format for
    // diagnostic messages"): node number under -v normal, the project appended in brackets.
    const error =
      "/src/Shop/Order.cs(19,35): error CS0103: The name 'shippingCents' does not exist in the current context [/src/Shop/Shop.csproj]"
    const text = lines(
      `     1>${error}`,
      'Build FAILED.',
      '',
      `       "/src/Shop/Shop.csproj" (default target) (1) ->`,
      `         ${error}`,
      "CSC : error CS5001: Program does not contain a static 'Main' method suitable for an entry point [/src/Shop/Shop.csproj]"
    )
    expect(recognise(csharpRecogniser, text)).toEqual([
      {
        kind: 'compile-error',
        message: "CS0103: The name 'shippingCents' does not exist in the current context",
        place: { path: '/src/Shop/Order.cs', line: 19, column: 35 }
      },
      {
        kind: 'compile-error',
        message:
          "CS5001: Program does not contain a static 'Main' method suitable for an entry point"
      }
    ])
  })

  itFinds(csharpRecogniser, {
    it: 'reports nothing for warnings and near misses',
    logs: [
      lines(
        "src/Shop/Cart.cs(11,17): warning CS0168: The variable `unused' is declared but never used",
        'src/Shop/Order.cs(0,35): error CS0103: line zero',
        'src/Shop/Order.cs(19): error CS0103: no column',
        'src/Shop/Order.cs(19,35): error CSX: no code',
        'src/Shop/Order.cs: error CS0103: no place',
        `[xUnit.net 00:00:00.21]         ${DOTNET_ROOT}/tests/Shop.Tests/OrderTests.cs(20,0): at Shop.Tests.OrderTests.Total_AddsShipping()`
      )
    ],
    expected: []
  })
})

describe('go test', () => {
  const GO_TEST: Finding[] = [
    {
      kind: 'failed-test',
      test: 'TestTotal',
      message: 'Total() = 849, want 850',
      place: { path: 'example.com/cart/pkg/cart/cart_test.go', line: 7 }
    },
    {
      kind: 'failed-test',
      test: 'TestTotalCases/empty',
      message: lines('prices []', 'Total([]) = 499, want 0', 'shipping is 499'),
      place: { path: 'example.com/cart/pkg/cart/cart_test.go', line: 25 }
    },
    {
      kind: 'failed-test',
      test: 'TestTotalCases/two',
      message: lines('prices [1 2]', 'Total([1 2]) = 502, want 503', 'shipping is 499'),
      place: { path: 'example.com/cart/pkg/cart/cart_test.go', line: 25 }
    },
    {
      kind: 'failed-test',
      test: 'TestItem',
      message: 'panic: runtime error: index out of range [1] with length 1',
      place: { path: '/tmp/recogb/go-cart/pkg/cart/cart_test.go', line: 32 }
    },
    {
      kind: 'failed-test',
      test: 'TestParseRejects/-1',
      message: 'Parse("-1") accepted',
      place: { path: 'example.com/cart/pkg/sku/sku_test.go', line: 22 }
    }
  ]

  itFinds(goTestRecogniser, {
    it: 'reports failing tests and subtests with their messages, the file under its package path',
    logs: everyForm(capturedOutput('go-test')),
    expected: GO_TEST
  })

  itFinds(goTestRecogniser, {
    it: 'finds the same under -v, where the messages come before `--- FAIL`',
    logs: everyForm(capturedOutput('go-test', 'output-v.txt')),
    expected: GO_TEST
  })

  itFinds(goTestRecogniser, {
    it: 'reports a parent test that failed by itself as well as its subtests',
    logs: [
      lines(
        '--- FAIL: TestOrder (0.01s)',
        '    order_test.go:12: setup failed',
        '    --- FAIL: TestOrder/total (0.00s)',
        '        order_test.go:20: got 3',
        '    --- FAIL: TestOrder/empty (0.00s)',
        '        order_test.go:30: got 1',
        'FAIL',
        'FAIL\texample.com/shop/order\t0.011s'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'TestOrder',
        message: 'setup failed',
        place: { path: 'example.com/shop/order/order_test.go', line: 12 }
      },
      {
        kind: 'failed-test',
        test: 'TestOrder/total',
        message: 'got 3',
        place: { path: 'example.com/shop/order/order_test.go', line: 20 }
      },
      {
        kind: 'failed-test',
        test: 'TestOrder/empty',
        message: 'got 1',
        place: { path: 'example.com/shop/order/order_test.go', line: 30 }
      }
    ]
  })

  it('recognises the lines of a failure, and the package line that closes it', () => {
    expect(
      answers(
        goTestRecogniser,
        '--- FAIL: TestTotal (0.00s)',
        '    cart_test.go:7: Total() = 849, want 850',
        '        shipping is 499',
        'FAIL',
        'FAIL\texample.com/cart/pkg/cart\t0.033s'
      )
    ).toEqual([
      { recognised: true, following: 40 },
      'recognised',
      'recognised',
      'done',
      'recognised'
    ])
  })

  itFinds(goTestRecogniser, {
    it: 'reports nothing for passing tests, their logs and other FAIL lines',
    logs: [
      lines(
        '=== RUN   TestVAT',
        '    tax_test.go:7: computed 200',
        '--- PASS: TestVAT (0.00s)',
        'PASS',
        'ok  \texample.com/cart/internal/tax\t0.005s',
        'FAIL\texample.com/cart/pkg/coupon [build failed]',
        '--- FAIL: TestTotal',
        '    cart_test.go:7: Total() = 849, want 850',
        '--- FAILED: TestTotal (0.00s)'
      )
    ],
    expected: []
  })
})

describe('cargo test', () => {
  const CARGO_TEST: Finding[] = [
    {
      kind: 'failed-test',
      test: 'total::tests::adds_shipping',
      message: lines(
        'assertion `left == right` failed: shipping is a flat fee',
        '  left: 849',
        ' right: 850'
      ),
      place: { path: 'src/total.rs', line: 13, column: 9 }
    },
    {
      kind: 'failed-test',
      test: 'tests::rejects_negative_quantity',
      message: 'test did not panic as expected',
      place: { path: 'src/lib.rs', line: 32, column: 8 }
    },
    {
      kind: 'failed-test',
      test: 'total::tests::empty_cart_is_free',
      message: 'Error: "empty cart costs 499"'
    },
    {
      kind: 'failed-test',
      test: 'applies_discount',
      message: 'discount not applied: total is 1499',
      place: { path: 'tests/checkout.rs', line: 6, column: 5 }
    },
    {
      kind: 'failed-test',
      test: 'rounds_to_cents',
      message: 'called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }',
      place: { path: 'tests/checkout.rs', line: 11, column: 64 }
    },
    {
      kind: 'failed-test',
      test: 'src/lib.rs - parse_sku (line 7)',
      message: lines(
        'assertion `left == right` failed',
        '  left: Some(("B", 2))',
        ' right: Some(("B", 3))'
      ),
      place: { path: 'src/lib.rs', line: 6, column: 1 }
    }
  ]

  itFinds(cargoTestRecogniser, {
    it: "reports each failure's panic message and place, or what the test printed",
    logs: everyForm(capturedOutput('cargo-test')),
    expected: CARGO_TEST
  })

  it('finds the same in colour and under RUST_BACKTRACE=1', () => {
    for (const file of ['output-color.txt', 'output-backtrace.txt']) {
      expect(byName(recognise(cargoTestRecogniser, capturedOutput('cargo-test', file)))).toEqual(
        byName(CARGO_TEST)
      )
    }
  })

  it('reports no passing test from the successes section of --show-output', () => {
    const found = recognise(
      cargoTestRecogniser,
      capturedOutput('cargo-test', 'output-show-output.txt')
    )
    expect(byName(found)).toEqual(byName(CARGO_TEST.slice(0, 3)))
  })

  it('recognises the list of failures that repeats the names, and keeps each test once', () => {
    const state = cargoTestRecogniser.start()
    expect(state.candidate('failures:')).toEqual({ recognised: false, following: 40 })
    expect(state.following('')).toBe('took')
    expect(state.following('---- tests::a stdout ----')).toBe('done')
    expect(state.candidate('---- tests::a stdout ----')).toEqual({
      recognised: true,
      following: 40
    })
    expect(state.following('Error: "boom"')).toBe('recognised')
    expect(state.following('')).toBe('recognised')
    expect(state.following('failures:')).toBe('done')
    expect(state.candidate('failures:')).toEqual({ recognised: false, following: 40 })
    expect(state.following('    tests::a')).toBe('recognised')
    expect(state.following('    tests::b')).toBe('done')
    expect(state.finish()).toEqual([
      { kind: 'failed-test', test: 'tests::a', message: 'Error: "boom"' }
    ])
  })

  itFinds(cargoTestRecogniser, {
    it: 'reads the quoted panic of Rust before 1.73, as The Rust Programming Language printed it',
    logs: [
      lines(
        'failures:',
        '',
        '---- tests::call_with_different_values stdout ----',
        "thread 'main' panicked at 'assertion failed: `(left == right)`",
        '  left: `1`,',
        " right: `2`', src/lib.rs:43:9",
        'note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace.'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'tests::call_with_different_values',
        message: lines('assertion failed: `(left == right)`', '  left: `1`,', ' right: `2`'),
        place: { path: 'src/lib.rs', line: 43, column: 9 }
      }
    ]
  })

  itFinds(cargoTestRecogniser, {
    it: 'reports nothing for a panic outside a failures section (cargo run, --nocapture)',
    logs: [
      lines(
        "thread 'main' panicked at src/main.rs:2:5:",
        'boom',
        '---- tests::a stdout ----',
        'test tests::a ... FAILED'
      )
    ],
    expected: []
  })
})

describe('dotnet test', () => {
  const failure = (test: string, message: string, line: number): Finding => ({
    kind: 'failed-test',
    test,
    message,
    place: { path: `${DOTNET_ROOT}/tests/Shop.Tests/OrderTests.cs`, line }
  })
  /** The fixture's three failures, with xUnit's heading of a failed `Assert.Equal`. */
  const failures = (equalFailure: string): Finding[] => [
    failure(
      'Shop.Tests.OrderTests.Total_AddsShipping',
      lines(equalFailure, 'Expected: 850', 'Actual:   849'),
      20
    ),
    failure(
      'Shop.Tests.OrderTests.Total_SumsPrices(prices: [1, 2], expected: 503)',
      lines(equalFailure, 'Expected: 503', 'Actual:   502'),
      30
    ),
    failure(
      'Shop.Tests.OrderTests.Cheapest_OfEmptyOrder_IsZero',
      'System.InvalidOperationException : Sequence contains no elements',
      38
    )
  ]

  itFinds(dotnetTestRecogniser, {
    it: "reports each failed test with its message, at the test method's frame (from documentation)",
    logs: everyForm(capturedOutput('dotnet-test')),
    expected: failures('Assert.Equal() Failure: Values differ')
  })

  itFinds(dotnetTestRecogniser, {
    it: "reads VSTest 15's layout, with no duration after the name",
    logs: everyForm(capturedOutput('dotnet-test', 'output-vstest15.txt')),
    expected: failures('Assert.Equal() Failure')
  })

  itFinds(dotnetTestRecogniser, {
    it: 'takes the first frame with a file when none is the test method',
    logs: [
      lines(
        '  Failed Shop.Tests.Helpers [3 ms]',
        '  Error Message:',
        '   boom',
        '  Stack Trace:',
        '     at Xunit.Assert.Fail(String message)',
        '   at Shop.Tests.Support.Check() in C:\\src\\Shop.Tests\\Support.cs:line 9',
        '   at Shop.Tests.Other.Run() in C:\\src\\Shop.Tests\\Other.cs:line 4'
      )
    ],
    expected: [
      {
        kind: 'failed-test',
        test: 'Shop.Tests.Helpers',
        message: 'boom',
        place: { path: 'C:\\src\\Shop.Tests\\Support.cs', line: 9 }
      }
    ]
  })

  itFinds(dotnetTestRecogniser, {
    it: 'reports nothing for other lines that start with Failed',
    logs: [
      lines(
        'Failed to restore /src/Shop/Shop.csproj (in 1.2 sec).',
        'Failed!  - Failed:     3, Passed:     2, Skipped:     0, Total:     5, Duration: 40 ms - Shop.Tests.dll (net8.0)',
        '     Failed: 3',
        'Test Run Failed.',
        'Failed   Shop.Tests.OrderTests.Total_AddsShipping',
        'Total tests: 5. Passed: 2. Failed: 3. Skipped: 0.'
      )
    ],
    expected: []
  })
})

describe('every native recogniser', () => {
  it("reports nothing in another tool's captures", () => {
    const readers: Record<string, Recogniser[]> = {
      'c-make': [gccRecogniser],
      'cpp-cmake': [gccRecogniser],
      'cargo-build': [rustcRecogniser],
      'cargo-test': [cargoTestRecogniser],
      'go-build': [goBuildRecogniser],
      'go-test': [goTestRecogniser, goBuildRecogniser],
      'csharp-mcs': [csharpRecogniser],
      'dotnet-test': [dotnetTestRecogniser]
    }
    for (const [fixture, own] of Object.entries(readers)) {
      const files = fs.readdirSync(path.join(FAILURES_DIR, fixture))
      for (const file of files.filter(name => name.startsWith('output'))) {
        for (const recogniser of RECOGNISERS.filter(r => !own.includes(r))) {
          expect([
            fixture,
            file,
            recogniser.name,
            recognise(recogniser, capturedOutput(fixture, file))
          ]).toEqual([fixture, file, recogniser.name, []])
        }
      }
    }
  })

  it('reports nothing in the demo logs of a Maven build', () => {
    for (const recogniser of RECOGNISERS) {
      for (const log of Object.values(DEMO_LOGS)) expect(recognise(recogniser, log)).toEqual([])
    }
  })

  it("has no trigger in the bench's ordinary lines", () => {
    const ordinary = [
      'Downloaded from central: https://repo.maven.apache.org/maven2/org/example/lib7/3.2.1/lib.jar (12 kB at 3.4 MB/s)',
      '[42%] Building CXX object src/CMakeFiles/core.dir/module_1f3a.cpp.o',
      'Step 7/40 : RUN npm ci --prefer-offline --no-audit',
      'Tests run: 412, Failures: 2, Errors: 0, Skipped: 3, Time elapsed: 12.345 s',
      '0a1b2c3d4e5f6a7b: Pushed',
      'npm warn deprecated pkg-12@3.4.0: no longer supported'
    ]
    for (const recogniser of RECOGNISERS) {
      for (const trigger of recogniser.triggers) {
        expect(trigger.length).toBeGreaterThanOrEqual(2)
        for (const line of ordinary) expect(line).not.toContain(trigger)
      }
    }
  })

  it('reports hostile paths as printed, for the mapper to refuse', () => {
    const hostile = ['../../etc/passwd', 'src/a,b::c%2e%2e.c', 'C:\\src\\..\\x.c']
    for (const where of hostile) {
      expect(recognise(gccRecogniser, `${where}:1:1: error: x`)).toEqual([
        { kind: 'compile-error', message: 'x', place: { path: where, line: 1, column: 1 } }
      ])
      expect(recognise(csharpRecogniser, `${where}(1,1): error CS0103: x`)).toEqual([
        { kind: 'compile-error', message: 'CS0103: x', place: { path: where, line: 1, column: 1 } }
      ])
      expect(recognise(rustcRecogniser, lines('error: x', ` --> ${where}:1:1`))).toEqual([
        { kind: 'compile-error', message: 'x', place: { path: where, line: 1, column: 1 } }
      ])
    }
    expect(
      recognise(goBuildRecogniser, lines('# example.com/x', '../../a,b::c%.go:1:1: x'))
    ).toEqual([
      {
        kind: 'compile-error',
        message: 'x',
        place: { path: '../../a,b::c%.go', line: 1, column: 1 }
      }
    ])
  })

  it('reports nothing for a line of `a:a:a:…`, cut to 500 characters or 1 MiB long', () => {
    const cut = 'a:'.repeat(250)
    const long = 'a:'.repeat(512 * 1024)
    for (const recogniser of RECOGNISERS) {
      for (const text of [
        cut,
        `${cut} error: x`,
        `${long}: error: x`,
        `# ${cut}\n${cut}.go:1:1: x`
      ]) {
        expect(recognise(recogniser, text)).toEqual([])
      }
    }
  })

  it('keeps at most MAX_FINDINGS findings of a log', () => {
    const errors = Array.from(
      { length: MAX_FINDINGS + 50 },
      (_, i) => `src/a.c:${i + 1}:1: error: e`
    )
    expect(recognise(gccRecogniser, lines(...errors))).toHaveLength(MAX_FINDINGS)
    const tests = Array.from({ length: MAX_FINDINGS + 50 }, (_, i) => `--- FAIL: Test${i} (0.00s)`)
    expect(recognise(goTestRecogniser, lines(...tests))).toHaveLength(MAX_FINDINGS)
  })
})
