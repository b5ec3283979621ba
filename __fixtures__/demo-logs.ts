import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'

/**
 * Realistic CodeArts Build logs for `npm run demo`: a four-action build of a Maven multi-module
 * project whose `order-service` module does not compile. Generated from a fixed seed, so every
 * run (and every machine) serves byte-identical logs.
 */

/** The demo's build record ID (36 characters of 0-9, a-z and -). */
export const DEMO_RECORD_ID = '7f3e9c21-5b8a-4d6e-9a10-2c4b8e6f1d93'

/** The IAM token the demo's CodeArts emulator accepts. */
export const DEMO_TOKEN = 'MIIEdemo.codearts-build-logs.0123456789'

/** The CodeArts emulator's port under `npm run demo -- --serve`: `.env.example` names it. */
export const DEMO_SERVE_PORT = 47100

/** The build task `npm run demo -- --start` and `.env.example`'s start inputs start builds of. */
export const DEMO_JOB_ID = '5d1f0c9a7b3e4f2a8c6d0e1b9a7f3c5d'

/** The commit the demo's builds built: the one their record names. */
export const DEMO_COMMIT = '9fceb02d0ae598e95dc970b74767f19372d61af8'

/** A stage the record does not have, so the API answers 404 for it. */
export const DEMO_MISSING_STAGE = 'stage5'

/** The record's build actions in order: stage name, log tag, console name and CodeArts result. */
export const DEMO_STAGES: readonly {
  stage: string
  action: string
  name: string
  status: string
}[] = [
  {
    stage: 'stage1',
    action: 'code checkout:external_pre_checkout',
    name: 'Code checkout',
    status: 'success'
  },
  {
    stage: 'stage2',
    action: 'build with maven:maven_build',
    name: 'Build with Maven',
    status: 'error'
  },
  { stage: 'stage3', action: 'unit test:maven_test', name: 'Unit test', status: 'success' },
  {
    stage: 'stage4',
    action: 'upload to release repo:upload_artifact',
    name: 'Upload to release repo',
    status: 'success'
  }
]

type Level = 'INFO' | 'WARN' | 'ERROR'

// 14:23:32.169 at GMT+08:00, the same instant the other fixtures use.
const START_MS = Date.UTC(2025, 5, 26, 6, 23, 32, 169)
const GMT8_MS = 8 * 3600_000
const WORKSPACE = '/codearts/workspace/order-platform'
const VERSION = '1.4.0-SNAPSHOT'
const MIRROR = 'https://repo.huaweicloud.com/repository/maven'

/** mulberry32: a tiny seeded PRNG, so the generated timings are the same on every run. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0')
}

function timestamp(ms: number): string {
  const d = new Date(ms + GMT8_MS)
  const date = `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1, 2)}/${pad(d.getUTCDate(), 2)}`
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  return `[${date} ${time}.${pad(d.getUTCMilliseconds(), 3)} GMT+08:00]`
}

/** Writes the lines of one build action, advancing a shared clock by a few ms to a few s. */
class LogWriter {
  private readonly lines: string[] = []
  private readonly startMs: number
  constructor(
    private readonly clock: { ms: number; random: () => number },
    private readonly action: string
  ) {
    this.startMs = clock.ms
  }

  /** Seconds since this action's first line, as Maven prints its total time. */
  elapsedSeconds(): string {
    return ((this.clock.ms - this.startMs) / 1000).toFixed(3)
  }

  /** The current time as Maven's `Finished at:` shows it. */
  isoNow(): string {
    return new Date(this.clock.ms + GMT8_MS).toISOString().slice(0, 19) + '+08:00'
  }

  line(level: Level, message: string, maxStepMs = 120): void {
    this.clock.ms += 1 + Math.floor(this.clock.random() * maxStepMs)
    this.lines.push(`${timestamp(this.clock.ms)} [${level}] [${this.action}] : ${message}`)
  }

  info(message: string, maxStepMs?: number): void {
    this.line('INFO', message, maxStepMs)
  }

  text(): string {
    return `${this.lines.join('\n')}\n`
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

function checkout(log: LogWriter): void {
  const commit = sha256('order-platform@20250626.3').slice(0, 40)
  log.info('start checkout')
  log.info(
    'repository: git@codehub.devcloud.cn-north-4.huaweicloud.com:demo00001/order-platform.git'
  )
  log.info('branch: master, depth: 1, submodules: false, lfs: false')
  log.info(`git init ${WORKSPACE}`)
  log.info(`Initialized empty Git repository in ${WORKSPACE}/.git/`)
  log.info(
    'git remote add origin git@codehub.devcloud.cn-north-4.huaweicloud.com:demo00001/order-platform.git'
  )
  log.info(
    'git fetch --depth=1 --no-tags origin +refs/heads/master:refs/remotes/origin/master',
    900
  )
  log.info('remote: Enumerating objects: 1287, done.', 400)
  log.info('remote: Counting objects: 100% (1287/1287), done.', 300)
  log.info('remote: Compressing objects: 100% (702/702), done.', 600)
  for (const pct of [25, 50, 75, 100]) {
    const objects = Math.round((1287 * pct) / 100)
    log.info(
      `Receiving objects: ${pct}% (${objects}/1287), ${((2.31 * pct) / 100).toFixed(2)} MiB`,
      350
    )
  }
  log.info('Resolving deltas: 100% (391/391), done.', 200)
  log.info(`git checkout -f ${commit}`)
  log.info(
    `HEAD is now at ${commit.slice(0, 8)} Merge branch 'feature/refund-in-cents' into 'master'`
  )
  log.info('commit author: Li Wei <li.wei@example.com>, date: 2025-06-26 14:19:07 +0800')
  log.info('files in workspace: 418, size: 6.9 MiB')
  log.info('checkout done, elapsed 2.1s')
}

// Maven artifacts that a cold build downloads: groupId path, artifactId, version, pom/jar KB.
const DEPENDENCIES: readonly [string, string, string, number, number][] = [
  ['org/springframework/boot', 'spring-boot-starter-parent', '3.3.1', 13, 0],
  ['org/springframework/boot', 'spring-boot-dependencies', '3.3.1', 106, 0],
  ['org/springframework/boot', 'spring-boot-starter-web', '3.3.1', 3, 5],
  ['org/springframework/boot', 'spring-boot-starter-validation', '3.3.1', 3, 5],
  ['org/springframework', 'spring-core', '6.1.10', 2, 1900],
  ['org/springframework', 'spring-context', '6.1.10', 2, 1290],
  ['org/springframework', 'spring-web', '6.1.10', 2, 1990],
  ['com/fasterxml/jackson/core', 'jackson-databind', '2.17.1', 21, 1620],
  ['com/fasterxml/jackson/core', 'jackson-core', '2.17.1', 7, 583],
  ['org/hibernate/validator', 'hibernate-validator', '8.0.1.Final', 17, 1290],
  ['org/mapstruct', 'mapstruct', '1.5.5.Final', 3, 28],
  ['org/projectlombok', 'lombok', '1.18.32', 1, 2010],
  ['com/huaweicloud/sdk', 'huaweicloud-sdk-core', '3.1.101', 4, 402],
  ['org/apache/commons', 'commons-lang3', '3.14.0', 31, 658],
  ['com/google/guava', 'guava', '33.2.1-jre', 11, 3040],
  ['org/slf4j', 'slf4j-api', '2.0.13', 3, 68],
  ['ch/qos/logback', 'logback-classic', '1.5.6', 12, 294],
  ['io/micrometer', 'micrometer-core', '1.13.1', 6, 888],
  ['org/apache/tomcat/embed', 'tomcat-embed-core', '10.1.25', 2, 3480],
  ['org/yaml', 'snakeyaml', '2.2', 21, 334],
  ['jakarta/validation', 'jakarta.validation-api', '3.0.2', 11, 91],
  ['org/junit/jupiter', 'junit-jupiter', '5.10.2', 3, 6],
  ['org/mockito', 'mockito-core', '5.11.0', 2, 701],
  ['org/assertj', 'assertj-core', '3.25.3', 23, 1380],
  ['net/bytebuddy', 'byte-buddy-agent', '1.14.17', 10, 262]
]

// The modules of the reactor, in build order, with their source and resource counts.
const MODULES: readonly [string, number, number][] = [
  ['order-platform-parent', 0, 0],
  ['order-common', 42, 3],
  ['order-domain', 57, 1],
  ['order-service', 88, 6],
  ['order-api', 31, 2],
  ['order-web', 24, 9]
]

const SOURCE = `${WORKSPACE}/order-service/src/main/java/com/example/order/service`

/**
 * The compile errors of the demo's Maven build, each with the detail lines javac prints under
 * it: what one build-error annotation and the excerpt hold for each, in the order of the log.
 */
export const DEMO_COMPILE_ERRORS: readonly (readonly string[])[] = [
  [
    `${SOURCE}/OrderService.java:[42,17] cannot find symbol`,
    '  symbol:   class PaymentGateway',
    '  location: package com.example.order.payment'
  ],
  [
    `${SOURCE}/OrderService.java:[118,40] cannot find symbol`,
    '  symbol:   method chargeInCents(com.example.order.domain.Money)',
    '  location: variable gateway of type com.example.order.payment.PaymentClient'
  ],
  [
    `${SOURCE}/RefundService.java:[88,35] incompatible types: java.math.BigDecimal cannot be converted to long`
  ],
  [
    `${SOURCE}/RefundService.java:[131,9] method does not override or implement a method from a supertype`
  ]
]

/** Each compile error's message as the compiler gave it: its line after the place, then its details. */
export const DEMO_COMPILE_ERROR_MESSAGES: readonly string[] = DEMO_COMPILE_ERRORS.map(
  ([first, ...details]) => [first.replace(/^.*\] /, ''), ...details].join('\n')
)

const COMPILE_ERRORS: readonly string[] = DEMO_COMPILE_ERRORS.flat()

function mavenBuild(log: LogWriter): void {
  log.info('maven version: Apache Maven 3.9.8, java version: 17.0.11, vendor: Huawei BiSheng')
  log.info('mvn -B -fae -s /home/build/.m2/settings.xml package -DskipTests', 300)
  log.info('Scanning for projects...', 800)
  log.info('------------------------------------------------------------------------')
  log.info('Reactor Build Order:')
  log.info('')
  for (const [name] of MODULES)
    log.info(`${name.padEnd(40)} [${name.endsWith('parent') ? 'pom' : 'jar'}]`, 5)
  for (const [group, artifact, version, pomKb, jarKb] of DEPENDENCIES) {
    const base = `${MIRROR}/${group}/${artifact}/${version}/${artifact}-${version}`
    log.info(`Downloading from huaweicloud: ${base}.pom`, 200)
    log.info(
      `Downloaded from huaweicloud: ${base}.pom (${pomKb} kB at ${80 + pomKb * 3} kB/s)`,
      250
    )
    if (jarKb > 0) {
      log.info(`Downloading from huaweicloud: ${base}.jar`, 200)
      log.info(
        `Downloaded from huaweicloud: ${base}.jar (${jarKb} kB at ${2100 + (jarKb % 900)} kB/s)`,
        900
      )
    }
  }
  for (const [index, [name, sources, resources]] of MODULES.entries()) {
    const kind = name.endsWith('parent') ? 'pom' : 'jar'
    log.info('')
    log.info(`-------------------< com.example.order:${name} >-------------------`)
    log.info(`Building ${name} ${VERSION} [${index + 1}/${MODULES.length}]`)
    log.info(`  from ${index === 0 ? 'pom.xml' : `${name}/pom.xml`}`)
    log.info(`--------------------------------[ ${kind} ]---------------------------------`)
    if (kind === 'pom') continue
    if (name === 'order-api' || name === 'order-web') {
      log.line(
        'WARN',
        `The POM for com.example.order:order-service:jar:${VERSION} is missing, no dependency information available`
      )
      continue
    }
    log.info(`--- resources:3.3.1:resources (default-resources) @ ${name} ---`)
    log.info(
      `Copying ${resources} resource${resources === 1 ? '' : 's'} from src/main/resources to target/classes`
    )
    log.info(`--- compiler:3.13.0:compile (default-compile) @ ${name} ---`)
    log.info('Recompiling the module because of changed source code.')
    log.info(
      `Compiling ${sources} source files with javac [debug release 17] to target/classes`,
      2500
    )
    if (name === 'order-domain') {
      log.line(
        'WARN',
        `${WORKSPACE}/order-domain/src/main/java/com/example/order/domain/Money.java uses or overrides a deprecated API.`
      )
      log.line('WARN', 'Recompile with -Xlint:deprecation for details.')
    }
    if (name === 'order-service') {
      log.info('-------------------------------------------------------------')
      log.line('ERROR', 'COMPILATION ERROR : ')
      log.info('-------------------------------------------------------------')
      for (const error of COMPILE_ERRORS) log.line('ERROR', error, 3)
      log.info(`${COMPILE_ERRORS.filter(e => !e.startsWith(' ')).length} errors `)
      log.info('-------------------------------------------------------------')
      continue
    }
    log.info(`--- resources:3.3.1:testResources (default-testResources) @ ${name} ---`)
    log.info(`skip non existing resourceDirectory ${WORKSPACE}/${name}/src/test/resources`)
    log.info(`--- compiler:3.13.0:testCompile (default-testCompile) @ ${name} ---`)
    log.info(
      `Compiling ${Math.round(sources / 2)} source files with javac [debug release 17] to target/test-classes`,
      1800
    )
    log.info(`--- surefire:3.2.5:test (default-test) @ ${name} ---`)
    log.info('Tests are skipped.')
    log.info(`--- jar:3.4.1:jar (default-jar) @ ${name} ---`)
    log.info(`Building jar: ${WORKSPACE}/${name}/target/${name}-${VERSION}.jar`, 400)
  }
  log.info('------------------------------------------------------------------------')
  log.info('Reactor Summary for order-platform-parent 1.4.0-SNAPSHOT:')
  log.info('')
  const statuses: Record<string, string> = {
    'order-platform-parent': 'SUCCESS [  0.412 s]',
    'order-common': 'SUCCESS [  6.871 s]',
    'order-domain': 'SUCCESS [  5.204 s]',
    'order-service': 'FAILURE [  7.933 s]',
    'order-api': 'SKIPPED',
    'order-web': 'SKIPPED'
  }
  for (const [name] of MODULES) log.info(`${`${name} `.padEnd(52, '.')} ${statuses[name]}`, 5)
  log.info('------------------------------------------------------------------------')
  log.info('BUILD FAILURE')
  log.info('------------------------------------------------------------------------')
  log.info(`Total time:  ${log.elapsedSeconds()} s`)
  log.info(`Finished at: ${log.isoNow()}`)
  log.info('------------------------------------------------------------------------')
  log.line(
    'ERROR',
    'Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project order-service: Compilation failure: Compilation failure: '
  )
  for (const error of COMPILE_ERRORS) log.line('ERROR', error, 3)
  log.line('ERROR', '-> [Help 1]')
  log.line('ERROR', 'To see the full stack trace of the errors, re-run Maven with the -e switch.')
  log.line('ERROR', 'Re-run Maven using the -X switch to enable full debug logging.')
  log.line('ERROR', 'After correcting the problems, you can resume the build with the command')
  log.line('ERROR', '  mvn <args> -rf :order-service')
  log.line('ERROR', 'build with maven failed: command exited with code 1')
}

// Test classes of the modules that built: class, tests, skipped, seconds.
const TEST_CLASSES: readonly [string, number, number, number][] = [
  ['com.example.order.common.MoneyFormatTest', 14, 0, 0.214],
  ['com.example.order.common.IdGeneratorTest', 9, 0, 0.087],
  ['com.example.order.common.JsonCodecTest', 22, 0, 0.611],
  ['com.example.order.common.RetryPolicyTest', 11, 1, 2.403],
  ['com.example.order.common.TimeWindowTest', 17, 0, 0.122],
  ['com.example.order.domain.MoneyTest', 31, 0, 0.156],
  ['com.example.order.domain.OrderTest', 28, 0, 0.341],
  ['com.example.order.domain.OrderLineTest', 12, 0, 0.064],
  ['com.example.order.domain.RefundTest', 19, 2, 0.298],
  ['com.example.order.domain.DiscountRuleTest', 24, 0, 0.187],
  ['com.example.order.domain.InventoryReservationTest', 16, 0, 1.905],
  ['com.example.order.domain.ShippingAddressTest', 11, 0, 0.043],
  ['com.example.order.common.ChecksumTest', 6, 0, 0.021],
  ['com.example.order.common.PageRequestTest', 13, 0, 0.055],
  ['com.example.order.common.CurrencyCodeTest', 8, 0, 0.032],
  ['com.example.order.common.ErrorCodeTest', 5, 0, 0.018],
  ['com.example.order.domain.OrderStateMachineTest', 36, 0, 0.472],
  ['com.example.order.domain.TaxCalculatorTest', 21, 1, 0.133],
  ['com.example.order.domain.CouponTest', 15, 0, 0.091],
  ['com.example.order.domain.PaymentTest', 18, 0, 0.204],
  ['com.example.order.domain.CustomerTest', 9, 0, 0.038]
]

/** Surefire's output of a JUnit 4 run, captured (see failures/surefire-2.22/command.txt). */
const SUREFIRE_OUTPUT = readFileSync(
  new URL('failures/surefire-2.22/output.txt', import.meta.url),
  'utf8'
).split('\n')

/** `count` captured Surefire lines from the one that is `first`. */
function surefireLines(first: string, count: number): string[] {
  const at = SUREFIRE_OUTPUT.indexOf(first)
  if (at === -1) throw new Error(`no line ${JSON.stringify(first)} in the captured Surefire output`)
  return SUREFIRE_OUTPUT.slice(at, at + count)
}

/**
 * The lines of the two failing tests the demo's test report counts, as Surefire printed them: two
 * test classes, each with its one failed test (the other class's two tests in error left out, as
 * the report counts none), and the Results' `Failures:` list. The unit test action writes them
 * behind CodeArts' prefixes.
 */
const FAILING_TESTS = [
  ...surefireLines('[INFO] Running com.example.order.OrderTest', 8),
  ...surefireLines(
    '[ERROR] placesOrder(com.example.order.OrderServiceTest)  Time elapsed: 0 s  <<< FAILURE!',
    4
  )
]
const FAILURES_SUMMARY = surefireLines('[ERROR] Failures: ', 3)

/**
 * The failing tests of the Unit test log as Surefire names them, with its messages, and where
 * they are: the line of the test's frame, in the file of DEMO_REPOSITORY_FILES that holds it.
 */
export const DEMO_FAILED_TESTS: readonly {
  name: string
  message: string
  file: string
  line: number
}[] = [
  {
    name: 'com.example.order.OrderTest.totalsItsLines',
    message: 'java.lang.AssertionError: expected:<7.00> but was:<6.00>',
    file: 'order-domain/src/test/java/com/example/order/OrderTest.java',
    line: 15
  },
  {
    name: 'com.example.order.OrderServiceTest.placesOrder',
    message: 'java.lang.AssertionError: expected:<3> but was:<1>',
    file: 'order-domain/src/test/java/com/example/order/OrderServiceTest.java',
    line: 16
  }
]

/** Writes a captured Maven line behind CodeArts' prefix, at Maven's level (INFO for a bare line). */
function mavenLine(log: LogWriter, line: string): void {
  const level = /^\[(ERROR|WARNING|INFO)\] ?/.exec(line)
  const levels: Record<string, Level> = { ERROR: 'ERROR', WARNING: 'WARN', INFO: 'INFO' }
  log.line(levels[level?.[1] ?? 'INFO'], level ? line.slice(level[0].length) : line, 20)
}

function unitTests(log: LogWriter): void {
  log.info(
    'mvn -B -s /home/build/.m2/settings.xml test -pl order-common,order-domain -Dmaven.test.failure.ignore=true',
    300
  )
  log.info('Scanning for projects...', 600)
  let total = 0
  let skipped = 0
  for (const module of ['order-common', 'order-domain']) {
    log.info('')
    log.info(`-------------------< com.example.order:${module} >-------------------`)
    log.info(`--- surefire:3.2.5:test (default-test) @ ${module} ---`)
    log.info(
      'Using auto detected provider org.apache.maven.surefire.junitplatform.JUnitPlatformProvider'
    )
    log.info('')
    log.info('-------------------------------------------------------')
    log.info(' T E S T S')
    log.info('-------------------------------------------------------')
    if (module === 'order-common') {
      log.line(
        'WARN',
        'Mockito is currently self-attaching to enable the inline-mock-maker. This will no longer work in future releases of the JDK.'
      )
      log.line('WARN', 'A Java agent has been loaded dynamically (byte-buddy-agent-1.14.17.jar)')
    }
    for (const [name, tests, skip, seconds] of TEST_CLASSES) {
      if (!name.includes(`.${module.slice('order-'.length)}.`)) continue
      log.info(`Running ${name}`, 200)
      if (name.endsWith('RetryPolicyTest')) {
        log.line(
          'WARN',
          'RetryPolicyTest.backsOffWithJitter failed on attempt 1 (expected <= 1500 ms, was 1502 ms), passed on rerun 1'
        )
      }
      if (name.endsWith('InventoryReservationTest')) {
        log.line(
          'WARN',
          'Test InventoryReservationTest.reservesUnderContention took 1.9 s, above the 1 s budget for unit tests'
        )
      }
      const result = `Tests run: ${tests}, Failures: 0, Errors: 0, Skipped: ${skip}, Time elapsed: ${seconds.toFixed(3)} s -- in ${name}`
      log.line(skip > 0 ? 'WARN' : 'INFO', result, Math.round(seconds * 1000))
      total += tests
      skipped += skip
    }
    if (module !== 'order-domain') continue
    for (const line of FAILING_TESTS) {
      mavenLine(log, line)
      total += Number(/^\[ERROR\] Tests run: (\d+),/.exec(line)?.[1] ?? 0)
    }
  }
  log.info('')
  log.info('Results:')
  log.info('')
  for (const line of FAILURES_SUMMARY) mavenLine(log, line)
  log.info('')
  log.line('ERROR', `Tests run: ${total}, Failures: 2, Errors: 0, Skipped: ${skipped}, Flakes: 1`)
  log.info('')
  log.info('------------------------------------------------------------------------')
  log.info('BUILD SUCCESS')
  log.info('------------------------------------------------------------------------')
  log.info(
    'test report: order-common/target/surefire-reports, order-domain/target/surefire-reports'
  )
  log.info('unit test done, elapsed 18.4s')
}

function upload(log: LogWriter): void {
  const target = 'release repo /order-platform/20250626.3/'
  log.info(`upload to ${target}`)
  log.info('files matching **/target/*.jar: 3')
  for (const [name, size] of [
    ['order-common', 48_211],
    ['order-domain', 73_904],
    ['order-service', 0]
  ] as const) {
    const file = `${name}/target/${name}-${VERSION}.jar`
    if (size === 0) {
      log.line('WARN', `${file}: no such file (the module failed to build), skipped`)
      continue
    }
    log.info(`uploading ${file} (${size} bytes)`, 300)
    log.info(`sha256 ${sha256(file)}`)
    log.info(`uploaded ${file} to ${target}${name}-${VERSION}.jar`, 600)
  }
  log.info('upload done: 2 files, 122115 bytes, 1 skipped')
}

/**
 * The files of the demo's repository at DEMO_COMMIT, as GitHub's trees API lists them: the
 * modules' POMs, the sources the logs name, and the test classes they ran (the captured Surefire
 * run's classes in `com.example.order`, beside `order-domain`'s own `OrderTest`).
 */
export const DEMO_REPOSITORY_FILES: readonly string[] = [
  'README.md',
  'pom.xml',
  ...MODULES.slice(1).map(([name]) => `${name}/pom.xml`),
  'order-domain/src/main/java/com/example/order/domain/Money.java',
  'order-service/src/main/java/com/example/order/service/OrderService.java',
  'order-service/src/main/java/com/example/order/service/RefundService.java',
  ...TEST_CLASSES.map(([name]) => {
    const folder = name.split('.').slice(0, -1).join('/')
    const module = `order-${name.split('.')[3]}`
    return `${module}/src/test/java/${folder}/${name.split('.').pop()}.java`
  }),
  ...DEMO_FAILED_TESTS.map(test => test.file)
]

/** Builds the logs of every demo stage from the fixed seed. */
export function buildDemoLogs(): Record<string, string> {
  const clock = { ms: START_MS, random: seededRandom(20250626) }
  const writers = [checkout, mavenBuild, unitTests, upload]
  const logs: Record<string, string> = {}
  for (const [index, { stage, action }] of DEMO_STAGES.entries()) {
    const log = new LogWriter(clock, action)
    writers[index](log)
    logs[stage] = log.text()
    // The next action waits for an executor, as actions do in a real record.
    clock.ms += 3000
  }
  return logs
}

/** The demo's logs by stage name; the same bytes on every run. */
export const DEMO_LOGS: Readonly<Record<string, string>> = buildDemoLogs()

/** When a log's first and last lines were written (epoch ms), from their timestamps. */
function spanOf(log: string): [number, number] {
  const times = [
    ...log.matchAll(/^\[(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) GMT\+08:00\]/gm)
  ].map(m => Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]) - GMT8_MS)
  return [times[0], times[times.length - 1]]
}

/** A time in Java's `Date.toString()` form, as CodeArts' only published example writes one. */
function javaTime(ms: number): string {
  const d = new Date(ms + GMT8_MS)
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()]
  const month = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec'
  ][d.getUTCMonth()]
  const time = `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}`
  return `${day} ${month} ${pad(d.getUTCDate(), 2)} ${time} CST ${d.getUTCFullYear()}`
}

/** A time as `YYYY-MM-DD HH:mm:ss`, zone-less (UTC+8), as other CodeArts pages show one. */
function plainTime(ms: number): string {
  return timestamp(ms).slice(1, 20).replace(/\//g, '-')
}

/** Each action's times in one of the forms CodeArts has been seen to send, by stage. */
const STAGE_TIMES: ((start: number, finish: number) => object)[] = [
  (start, finish) => ({ start_time: javaTime(start), finish_time: javaTime(finish) }),
  (start, finish) => ({
    start_time: plainTime(start),
    finish_time: plainTime(finish),
    build_duration: finish - start
  }),
  (start, finish) => ({
    start_time: new Date(start).toISOString(),
    finish_time: new Date(finish).toISOString(),
    duration: finish - start
  }),
  (start, finish) => ({ start_time: start, finish_time: String(finish) })
]

/**
 * The record's `full-stages` map as the API sends it: keyed by action IDs, not stage names,
 * with `sequence` counted from 0, and each action's times as its log shows them.
 */
export const DEMO_BUILD_STAGES: Readonly<Record<string, object>> = Object.fromEntries(
  DEMO_STAGES.map((s, i) => {
    const [start, finish] = spanOf(DEMO_LOGS[s.stage])
    return [
      createHash('sha256').update(s.action).digest('hex').slice(0, 32),
      {
        execution_stage_name: s.stage,
        display_name: s.name,
        status: s.status,
        sequence: i,
        build_record_id: DEMO_RECORD_ID,
        ...STAGE_TIMES[i](start, finish)
      }
    ]
  })
)

const [BUILD_START] = spanOf(DEMO_LOGS[DEMO_STAGES[0].stage])
const [, BUILD_FINISH] = spanOf(DEMO_LOGS[DEMO_STAGES[DEMO_STAGES.length - 1].stage])

/** What the record answers say of the demo's build: times, trigger, source; a parameter by name. */
export const DEMO_BUILD_RECORD: Readonly<object> = {
  build_no: 41,
  status: 'error',
  queued_time: plainTime(BUILD_START - 6200),
  start_time: javaTime(BUILD_START),
  finish_time: javaTime(BUILD_FINISH),
  pending_duration: 6200,
  build_duration: BUILD_FINISH - BUILD_START,
  trigger_name: 'GitHub Actions',
  branch: 'main',
  commit: DEMO_COMMIT,
  commit_message: 'Order service: price orders in the customer currency\n\nAlso adds tests.',
  parameters: [{ name: 'API_KEY', value: 'demo-secret-value-not-to-print', secret: true }]
}

/** The unit test report summary of the demo's build: two tests of the unit test action failed. */
export const DEMO_TEST_REPORT: Readonly<object> = {
  summary: { total: 412, success: 402, failures: 2, errors: 0, others: 8 },
  sub_summarys: [
    { stage_name: 'stage3', total: 412, success: 402, failures: 2, errors: 0, others: 8 }
  ]
}

/** What the demo's build produced: the packages its upload action put in the release repository. */
export const DEMO_BUILD_OUTPUTS: Readonly<object> = {
  package_info: {
    name: 'order-common',
    version: '1.4.0-SNAPSHOT',
    package_type: 'jar',
    uri: '/order-platform/20250626.3/order-common-1.4.0-SNAPSHOT.jar'
  },
  package_infos: {
    a: {
      name: 'order-common',
      version: '1.4.0-SNAPSHOT',
      package_type: 'jar',
      uri: '/order-platform/20250626.3/order-common-1.4.0-SNAPSHOT.jar'
    },
    b: {
      name: 'order-domain',
      version: '1.4.0-SNAPSHOT',
      package_type: 'jar',
      uri: '/order-platform/20250626.3/order-domain-1.4.0-SNAPSHOT.jar'
    }
  },
  image_infos: {}
}
