/**
 * A walk-through of the action for people, with no cloud account: `npm run demo` starts the
 * CodeArts API and artifact service emulators on 127.0.0.1, runs the committed dist/index.js
 * against them the way a workflow step runs it, and prints what a user would see. It removes the
 * step's temporary folder at the end unless an expectation failed or --keep is given.
 *
 * `npm run demo -- --start` shows the other way in: one step starts a build with two parameters
 * and a commit, follows it (its live log in the job log) until it fails, fetches its logs and
 * fails with it; a second run of
 * the same step is cancelled mid-wait and stops the build it started.
 *
 * `npm run demo -- --oidc` (with or without `--start`) signs in as a workflow without stored secrets
 * does: the step asks an emulator of GitHub's ID-token service for the job's ID token and exchanges
 * it at an emulator of IAM for the token it sends to CodeArts. `--summary-out PATH` copies the job
 * summary of the (first) run to PATH; `npm run screenshot` renders it for the README.
 *
 * `npm run demo -- --serve [--port N] [--env-out PATH] [--serve-minutes N]` only starts the
 * emulators and prints the values a workflow step needs as KEY=VALUE lines (CI's `action` job
 * uses this). The CodeArts emulator then listens on a fixed port (DEMO_SERVE_PORT unless --port
 * says otherwise), the one `.env.example` names for `npm run local-action`.
 * The flag is not called `--env-file` because Node takes that as its own option wherever it
 * appears on the command line, and exits before the script runs (nodejs/node#54232).
 */
import { spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { performance } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { isDeepStrictEqual, parseArgs } from 'node:util'
import { parse as parseYaml } from 'yaml'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import {
  DEMO_BUILD_OUTPUTS,
  DEMO_BUILD_RECORD,
  DEMO_BUILD_STAGES,
  DEMO_COMMIT,
  DEMO_COMPILE_ERROR_MESSAGES,
  DEMO_COMPILE_ERRORS,
  DEMO_FAILED_TESTS,
  DEMO_JOB_ID,
  DEMO_LOGS,
  DEMO_MISSING_STAGE,
  DEMO_RECORD_ID,
  DEMO_REPOSITORY_FILES,
  DEMO_SERVE_PORT,
  DEMO_STAGES,
  DEMO_TEST_REPORT,
  DEMO_TOKEN
} from '../__fixtures__/demo-logs.js'
import { startGitHubApi, type GitHubApi } from '../__fixtures__/github-api-server.js'
import { startIam, type IamEmulator } from '../__fixtures__/iam-server.js'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import {
  GITHUB_ISSUER,
  startIdTokenService,
  type IdTokenService
} from '../__fixtures__/oidc-server.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import {
  ACTION_ENTRY,
  readStdout,
  runAction,
  secretLeaks,
  terminateWhen,
  type StepRun
} from '../__fixtures__/run-action.js'
import { readZip } from '../__fixtures__/zip.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const STEP_TIMEOUT_MS = 120_000
// How many lines of the step's own log to show; the full log is in the kept folder.
const STEP_LOG_LINES = 25

const { values: flags } = parseArgs({
  options: {
    serve: { type: 'boolean', default: false },
    start: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    oidc: { type: 'boolean', default: false },
    'summary-out': { type: 'string' },
    'env-out': { type: 'string' },
    port: { type: 'string', default: String(DEMO_SERVE_PORT) },
    'serve-minutes': { type: 'string', default: '120' }
  }
})

interface ActionInput {
  default?: unknown
}

/** Defaults of action.yml's inputs: the runner passes these as INPUT_* even when a step omits them. */
function actionDefaults(): Record<string, string> {
  const action = parseYaml(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
    inputs?: Record<string, ActionInput | null>
  }
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    if (input?.default !== undefined) defaults[name] = String(input.default)
  }
  return defaults
}

// The job `--start` starts: its first build becomes the demo record and fails; the next one runs on.
const CANCELLED_RECORD_ID = '0b6c2e4f-8a1d-4c3b-9e5f-7d2a1c0b9e8f'
// What the build prints as it runs: its stages' logs, one after the other.
const DEMO_BUILD_OUTPUT = DEMO_STAGES.map(s => DEMO_LOGS[s.stage]).join('')

// Under --serve, the builds `npm run local-action` starts: each is the demo record again.
const SERVED_STARTS = 100

/** The emulators; `serving` (--serve) logs each request and makes every start the demo record. */
function startEmulators(
  serving: boolean,
  port?: number,
  acceptToken?: (token: string) => boolean
): Promise<[CodeArtsEmulator, ResultsService]> {
  const recordIds: Record<number, string> = serving
    ? Object.fromEntries(Array.from({ length: SERVED_STARTS }, (_, i) => [41 + i, DEMO_RECORD_ID]))
    : { 41: DEMO_RECORD_ID, 42: CANCELLED_RECORD_ID }
  return Promise.all([
    startCodeArts({
      port,
      token: DEMO_TOKEN,
      acceptToken,
      logs: { [DEMO_RECORD_ID]: { ...DEMO_LOGS } },
      stages: { [DEMO_RECORD_ID]: { ...DEMO_BUILD_STAGES } },
      // Build 40 ran already (the main demo reads it); build 41 is started by --start.
      records: {
        [`${DEMO_JOB_ID}/40`]: {
          ...DEMO_BUILD_RECORD,
          build_no: 40,
          build_record_id: DEMO_RECORD_ID
        }
      },
      testReports: {
        [`${DEMO_JOB_ID}/40`]: DEMO_TEST_REPORT,
        [`${DEMO_JOB_ID}/41`]: DEMO_TEST_REPORT
      },
      buildOutputs: {
        [`${DEMO_JOB_ID}/40`]: DEMO_BUILD_OUTPUTS,
        [`${DEMO_JOB_ID}/41`]: DEMO_BUILD_OUTPUTS
      },
      jobs: {
        [DEMO_JOB_ID]: {
          nextBuildNumber: 41,
          recordIds,
          statuses: ['running', 'running', 'error'],
          registerAfter: 1,
          record: DEMO_BUILD_RECORD
        }
      },
      // Build 41 writes its output over the two polls while it runs; the step follows it.
      liveLogs: {
        [`${DEMO_JOB_ID}/41`]: {
          text: DEMO_BUILD_OUTPUT,
          recordId: DEMO_RECORD_ID,
          written: [4096, 20_000, Buffer.byteLength(DEMO_BUILD_OUTPUT)],
          chunkBytes: 8192
        }
      },
      intercept: (req, _res, url) => {
        if (serving) console.log(`[codearts] ${req.method} ${url.pathname}${url.search}`)
        return false
      }
    }),
    startResultsService()
  ])
}

// The OpenID Connect set-up of docs/signing-in.md, emulated: the README's workflow on main.
const OIDC_PROVIDER = 'github-actions'
const OIDC_SUBJECT = 'repo:octo-org/octo-repo:ref:refs/heads/main'
const OIDC_REQUEST_TOKEN = 'demo-id-token-request-token-0123456789'

/** How the demo's steps sign in: with the demo token, or (`--oidc`) with no stored secret. */
interface SignIn {
  inputs: Record<string, string>
  env: Record<string, string>
  /** The step's credential lines, as a workflow writes them. */
  stepLines: string[]
  acceptToken?: (token: string) => boolean
  /** What the demo expects of the sign-in after `runs` step runs. */
  checks(runs: StepRun[]): Check[]
  close(): Promise<void>
}

async function startSignIn(oidc: boolean): Promise<SignIn> {
  if (!oidc) {
    return {
      inputs: { token: DEMO_TOKEN },
      env: {},
      stepLines: ['    token: ${{ secrets.HUAWEI_CLOUD_TOKEN }}'],
      checks: () => [],
      close: async () => {}
    }
  }
  const idTokens: IdTokenService = await startIdTokenService({
    requestToken: OIDC_REQUEST_TOKEN,
    subject: OIDC_SUBJECT
  })
  const iam: IamEmulator = await startIam({
    providers: {
      [OIDC_PROVIDER]: {
        issuer: GITHUB_ISSUER,
        clientId: 'iam.myhuaweicloud.com',
        jwks: idTokens.jwks,
        allowedSubjects: [OIDC_SUBJECT]
      }
    }
  })
  console.log(
    `ID-token emulator    ${idTokens.requestUrl.replace(/\?.*$/, '')}  sub ${OIDC_SUBJECT}`
  )
  console.log(`IAM emulator         ${iam.url}  identity provider ${OIDC_PROVIDER}`)
  return {
    inputs: { 'identity-provider': OIDC_PROVIDER, 'iam-endpoint': iam.url },
    // What a job with `permissions: id-token: write` gets from the runner.
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: idTokens.requestUrl,
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: OIDC_REQUEST_TOKEN
    },
    stepLines: [
      `    identity-provider: ${OIDC_PROVIDER}   # no secret: the job's ID token`,
      `    iam-endpoint: ${iam.url}`
    ],
    acceptToken: token => iam.isValid(token),
    checks: runs => {
      return [
        {
          what: `each step exchanged one ID token of ${OIDC_SUBJECT} at IAM, and CodeArts took the federated token`,
          ok:
            idTokens.issued.length === runs.length &&
            iam.requests.length === runs.length &&
            iam.issued.length === runs.length
        },
        {
          what: 'neither the ID token nor the federated token in the job log (but their masks), the summary or the outputs',
          // The steps ran one after the other: the i-th step got the i-th ID token and exchange.
          ok: runs.every(
            (run, i) =>
              secretLeaks(run, [idTokens.issued[i], iam.issued[i]?.token ?? '']).length === 0
          )
        }
      ]
    },
    close: async () => {
      await Promise.all([idTokens.close(), iam.close()])
    }
  }
}

// The repository the step runs for (run-action sets it as GITHUB_REPOSITORY), and the token the
// runner gives the job as `github-token`'s default.
const GITHUB_REPOSITORY = 'octo-org/octo-repo'
const GITHUB_TOKEN = 'ghs_demoJobToken0123456789abcdefABCDEF'
const BLOB = `https://github.com/${GITHUB_REPOSITORY}/blob/${DEMO_COMMIT}`

/** An emulator of GitHub's trees API serving the demo repository's files at DEMO_COMMIT. */
function startGitHub(): Promise<GitHubApi> {
  return startGitHubApi({
    token: GITHUB_TOKEN,
    repository: GITHUB_REPOSITORY,
    trees: { [DEMO_COMMIT]: { files: [...DEMO_REPOSITORY_FILES] } }
  })
}

function printGitHub(github: GitHubApi): void {
  console.log(
    `GitHub API emulator  ${github.url}  trees of ${GITHUB_REPOSITORY} at ${DEMO_COMMIT.slice(0, 7)}: ${DEMO_REPOSITORY_FILES.length} files`
  )
}

/** What the runner gives a step for the trees API: the job's token, the API's URL and the commit. */
function githubEnv(github: GitHubApi): Record<string, string> {
  return { GITHUB_API_URL: github.url, GITHUB_SHA: DEMO_COMMIT }
}

// How many annotations the logs raise: build-error-annotations, as the demo's steps leave it.
const SHOWN_FROM_LOGS = Number(actionDefaults()['build-error-annotations'])

/** A failure's error annotation as the run page shows it: title, message, file, line and column. */
interface ShownFailure {
  title: string
  message: string
  file: string
  line: string
  col?: string
}

// The demo's failing tests as the run page shows them.
const FAILED_TESTS: readonly ShownFailure[] = DEMO_FAILED_TESTS.map(test => ({
  title: `Test failed: ${test.name}`,
  message: test.message,
  file: test.file,
  line: String(test.line)
}))

/** The error annotations the demo's logs raise: its compile errors, then its failing tests. */
function expectedFailures(): ShownFailure[] {
  const stage = DEMO_STAGES.find(s => s.status === 'error')!
  const compileErrors = DEMO_COMPILE_ERRORS.map(([first], i) => {
    const [, file, line, col] = /\/(order-service\/.+\.java):\[(\d+),(\d+)\] /.exec(first)!
    return {
      title: `Compile error in ${stage.stage} (${stage.name})`,
      message: DEMO_COMPILE_ERROR_MESSAGES[i],
      file,
      line,
      col
    }
  })
  return [...compileErrors, ...FAILED_TESTS]
}

/** The error annotations of a run that a failure in its logs raised, as a user sees them. */
function shownFailures(run: StepRun): ShownFailure[] {
  return run.annotations
    .filter(a => a.level === 'error' && /^(?:Compile error in|Test failed:) /.test(a.title ?? ''))
    .map(a => ({ title: a.title ?? '', message: a.message, ...a.properties }) as ShownFailure)
}

/** What the demo expects of the failures on their lines, in one run of the demo build's logs. */
function failureChecks(run: StepRun, github: GitHubApi): Check[] {
  const expected = expectedFailures()
  const failedTests = JSON.parse(run.outputs['failed-tests'] ?? '[]') as unknown
  const buildErrors = JSON.parse(run.outputs['build-errors'] ?? '[]') as unknown
  const stageOf = (title: string) => (title.startsWith('Test failed') ? 'stage3' : 'stage2')
  const entry = (f: ShownFailure) => ({
    file: f.file,
    line: Number(f.line),
    ...(f.col !== undefined && { column: Number(f.col) }),
    message: f.message,
    stage: stageOf(f.title)
  })
  return [
    {
      what: `one request for the file tree of ${DEMO_COMMIT.slice(0, 7)}, with the job's token, to GITHUB_API_URL`,
      ok:
        github.requests.length === 1 &&
        github.requests[0].path ===
          `/repos/${GITHUB_REPOSITORY}/git/trees/${DEMO_COMMIT}?recursive=1` &&
        github.requests[0].headers.authorization === `Bearer ${GITHUB_TOKEN}`
    },
    {
      what: `the first ${SHOWN_FROM_LOGS} of the ${expected.length} failures (${DEMO_COMPILE_ERRORS.length} compile errors, then ${FAILED_TESTS.length} failed tests), as errors on their files, lines and columns`,
      ok: isDeepStrictEqual(shownFailures(run), expected.slice(0, SHOWN_FROM_LOGS))
    },
    {
      what: 'build-errors and failed-tests list them with file, line, column, message and stage',
      ok:
        isDeepStrictEqual(
          buildErrors,
          expected.filter(f => f.title.startsWith('Compile')).map(entry)
        ) &&
        isDeepStrictEqual(
          failedTests,
          FAILED_TESTS.map(f => ({ name: f.title.slice('Test failed: '.length), ...entry(f) }))
        )
    },
    {
      what: 'the summary lists Compile errors and Failed tests with links to their lines',
      ok:
        run.summary.includes('### Compile errors') &&
        run.summary.includes('### Failed tests') &&
        expected.every(f => run.summary.includes(`${BLOB}/${f.file}#L${f.line}`))
    },
    {
      what: 'no warning repeats a line recognised as a compile error or failed test',
      ok: run.annotations
        .filter(a => a.level === 'warning')
        .every(a => !expected.some(f => a.message.includes(f.message.split('\n')[0])))
    },
    {
      what: "the job's GitHub token in no log (but its mask), the summary or the outputs",
      ok: secretLeaks(run, [GITHUB_TOKEN]).length === 0
    }
  ]
}

/** Copies a run's job summary to --summary-out, for `npm run screenshot`. */
async function saveSummary(run: StepRun): Promise<void> {
  const file = flags['summary-out']
  if (!file) return
  await fs.mkdir(path.dirname(path.resolve(file)), { recursive: true })
  await fs.writeFile(path.resolve(file), run.summary)
  console.log(`Job summary copied to ${file}`)
}

function indent(text: string, by = '  '): string {
  return text
    .split('\n')
    .map(line => (line ? by + line : line))
    .join('\n')
}

/** Shows a JSON output one element or key per line, so long paths and errors stay readable. */
function formatOutput(value: string): string {
  if (value === '') return '(empty)'
  if (value.length <= 100) return value
  let parsed: unknown
  try {
    parsed = /^[[{]/.test(value) ? JSON.parse(value) : undefined
  } catch {
    parsed = undefined
  }
  if (Array.isArray(parsed) && parsed.length > 0) {
    return parsed.map(item => JSON.stringify(item)).join('\n')
  }
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return Object.entries(parsed)
      .map(([key, item]) => `${key}: ${JSON.stringify(item)}`)
      .join('\n')
  }
  return value
}

function countLevel(log: string, level: string): number {
  return log.split('\n').filter(line => line.includes(`] [${level}] [`)).length
}

/** Hints that src/ has changes the committed bundle may not hold yet; silent without git. */
function uncommittedSourceHint(): string | undefined {
  const git = spawnSync('git', ['status', '--porcelain', '--', 'src'], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  if (git.status !== 0 || git.stdout.trim() === '') return undefined
  return 'src/ has uncommitted changes: run `npm run build` first to see them in the bundle'
}

function parseJsonObject(text: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(text ?? '')
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {}
  } catch {
    return {}
  }
}

function parseJsonArray(text: string | undefined): string[] {
  try {
    const value: unknown = JSON.parse(text ?? '')
    return Array.isArray(value) ? value.map(String) : []
  } catch {
    return []
  }
}

interface Check {
  what: string
  ok: boolean
}

/** Prints what a user sees of one step: its log, annotations and outputs. */
function printRun(run: StepRun): void {
  const stepLog = run.stdout.split('\n').filter(line => line !== '' && !line.startsWith('::'))
  console.log(
    `\nStep log (${Math.min(stepLog.length, STEP_LOG_LINES)} of ${stepLog.length} lines):`
  )
  console.log(indent(stepLog.slice(0, STEP_LOG_LINES).join('\n'), '  | '))
  if (run.stderr.trim()) console.log(`\nstderr:\n${indent(run.stderr.trim(), '  | ')}`)

  console.log(`\nAnnotations (${run.annotations.length}):`)
  for (const a of run.annotations) {
    // Where the run page puts it: on a file's line (and column) of the diff, or on the run.
    const { file, line, col } = a.properties ?? {}
    const where = file ? `  at ${[file, line, col].filter(Boolean).join(':')}` : ''
    console.log(`  ${a.level.toUpperCase()}  ${a.title ?? '(no title)'}${where}`)
    console.log(indent(a.message, '         '))
  }

  console.log('\nOutputs:')
  for (const [name, value] of Object.entries(run.outputs)) {
    const text = formatOutput(value)
    console.log(
      text.includes('\n') ? `  ${name}:\n${indent(text, '    ')}` : `  ${name.padEnd(16)} ${text}`
    )
  }
}

async function checkRun(run: StepRun, results: ResultsService): Promise<Check[]> {
  const checks: Check[] = []
  const check = (what: string, ok: boolean) => checks.push({ what, ok })
  const failedAction = DEMO_STAGES.find(s => s.status === 'error')!
  check(
    'the step succeeds (exit code 0): a failed build is reported, not an error of the action',
    run.code === 0
  )
  check(
    `one warning, "Tests failed": the ${SHOWN_FROM_LOGS} annotations the logs may raise are all errors`,
    isDeepStrictEqual(
      run.annotations.filter(a => a.level === 'warning').map(a => a.title),
      ['Tests failed']
    )
  )
  check(`record-id is ${DEMO_RECORD_ID}`, run.outputs['record-id'] === DEMO_RECORD_ID)
  const stages = parseJsonObject(run.outputs.stages)
  check(
    'stages has every listed action, in order, with its console name and result',
    JSON.stringify(Object.keys(stages)) === JSON.stringify(DEMO_STAGES.map(s => s.stage)) &&
      DEMO_STAGES.every(s => {
        const out = stages[s.stage] as { name?: string; result?: string } | undefined
        return out?.name === s.name && out.result === s.status
      })
  )
  check(
    `the summary shows ${failedAction.name} with its failed result`,
    run.summary.includes(
      `| ${failedAction.stage} | ${failedAction.name} | ❌ **${failedAction.status}** |`
    )
  )
  const files = parseJsonArray(run.outputs.files)
  const saved = await Promise.all(files.map(file => fs.readFile(file, 'utf8').catch(() => null)))
  check(
    `files lists ${DEMO_STAGES.length} logs, each byte for byte what the API served`,
    files.length === DEMO_STAGES.length &&
      DEMO_STAGES.every((s, i) => saved[i] === DEMO_LOGS[s.stage])
  )
  const artifact = results.artifacts[0]
  const zip = artifact ? readZip(artifact.bytes) : new Map<string, Buffer>()
  check(
    `one artifact holding the ${DEMO_STAGES.length} logs`,
    results.artifacts.length === 1 &&
      zip.size === DEMO_STAGES.length &&
      DEMO_STAGES.every(s => zip.get(`${s.stage}.log`)?.toString('utf8') === DEMO_LOGS[s.stage])
  )
  check(
    'artifact-id and artifact-digest match the stored artifact',
    artifact !== undefined &&
      run.outputs['artifact-id'] === String(artifact.id) &&
      run.outputs['artifact-digest'] === createHash('sha256').update(artifact.bytes).digest('hex')
  )
  check('a job summary was written', run.summary.trim() !== '')
  check(
    'the summary has the build line, the timeline, Tests and Produced',
    run.summary.includes('\nBuild 40 · ') &&
      run.summary.includes('```mermaid\ngantt') &&
      run.summary.includes('### Tests') &&
      run.summary.includes('### Produced')
  )
  check(
    'tests and packages are set: 2 of 412 tests failed, 2 packages',
    parseJsonObject(run.outputs.tests).failed === 2 &&
      parseJsonObject(run.outputs.tests).total === 412 &&
      (JSON.parse(run.outputs.packages ?? '[]') as unknown[]).length === 2
  )
  return checks
}

async function demo(): Promise<number> {
  console.log('CodeArts Build Logs: demo\n')
  const signIn = await startSignIn(flags.oidc)
  const [api, results] = await startEmulators(false, undefined, signIn.acceptToken)
  const github = await startGitHub()
  try {
    const inputs = {
      ...actionDefaults(),
      'job-id': DEMO_JOB_ID,
      'build-number': '40',
      ...signIn.inputs,
      'github-token': GITHUB_TOKEN,
      endpoint: api.url
    }
    console.log(`bundle               ${path.relative(ROOT, ACTION_ENTRY)} (as committed)`)
    const hint = uncommittedSourceHint()
    if (hint) console.log(`                     note: ${hint}`)
    console.log(
      `CodeArts emulator    ${api.url}  job ${DEMO_JOB_ID} build 40: record ${DEMO_RECORD_ID}`
    )
    console.log(
      `                     lists ${DEMO_STAGES.map(s => `${s.stage} "${s.name}" [${s.status}]`).join(', ')}`
    )
    console.log(`artifact emulator    ${results.url}`)
    printGitHub(github)
    console.log('\nThe step, as a workflow would write it:\n')
    console.log(
      indent(
        [
          '- id: logs',
          '  uses: ./',
          '  with:',
          `    job-id: ${DEMO_JOB_ID}`,
          '    build-number: 40   # no task-names: every listed action',
          `    endpoint: ${api.url}`,
          ...signIn.stepLines
        ].join('\n')
      )
    )

    const started = performance.now()
    const run = await runAction({
      inputs,
      env: {
        ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('demo-run', 'demo-job'),
        ACTIONS_RESULTS_URL: results.url,
        ...githubEnv(github),
        ...signIn.env
      },
      timeoutMs: STEP_TIMEOUT_MS
    })
    await saveSummary(run)
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    console.log(`\nThe step exited with code ${run.code} after ${seconds} s.`)

    printRun(run)

    const summaryFile = path.join(run.root, 'summary')
    console.log(`\nJob summary (markdown, ${Buffer.byteLength(run.summary)} bytes): ${summaryFile}`)
    const logDir = run.outputs['log-dir']
    console.log(`Downloaded logs: ${logDir}`)
    for (const { stage, name, status } of DEMO_STAGES) {
      const log = DEMO_LOGS[stage]
      const lines = log.split('\n').length - 1
      console.log(
        `  ${`${stage}.log`.padEnd(12)} ${String(Buffer.byteLength(log)).padStart(6)} bytes  ${String(lines).padStart(3)} lines  ${countLevel(log, 'ERROR')} ERROR, ${countLevel(log, 'WARN')} WARN  (${name}: ${status})`
      )
    }

    for (const artifact of results.artifacts) {
      console.log(
        `\nArtifact #${artifact.id} "${artifact.name}": zip of ${artifact.bytes.length} bytes, ${artifact.hash ?? 'no hash'}`
      )
      for (const [name, content] of readZip(artifact.bytes)) {
        console.log(`  ${name.padEnd(12)} ${String(content.length).padStart(6)} bytes`)
      }
    }
    if (results.artifacts.length === 0) console.log('\nNo artifact was uploaded.')

    const checks = [
      ...(await checkRun(run, results)),
      ...failureChecks(run, github),
      ...signIn.checks([run])
    ]
    console.log('\nWhat the demo expected:')
    for (const { what, ok } of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${what}`)
    const failed = checks.filter(c => !c.ok).length
    // A passing demo leaves nothing behind unless asked to; a failing one keeps its files.
    if (failed === 0 && !flags.keep) {
      await fs.rm(run.root, { recursive: true, force: true })
      console.log(`\nRemoved ${run.root}; run with --keep to look at its files.`)
    } else {
      console.log(`\nKept for you to look at (delete it when done): ${run.root}`)
    }
    if (failed > 0) {
      console.log(`\n${failed} of ${checks.length} expectations failed; the step's stdout was:`)
      console.log(indent(run.stdout, '  | '))
      return 1
    }
    console.log(`\nAll ${checks.length} expectations met.`)
    return 0
  } finally {
    await Promise.all([api.close(), results.close(), github.close(), signIn.close()])
  }
}

/** Prints a step as a workflow would write it. */
function printStep(lines: string[]): void {
  console.log('\nThe step, as a workflow would write it:\n')
  console.log(indent(lines.join('\n')))
}

/** `--start`: one step starts a build, follows it until it fails, and fails with it; then a cancelled one stops its build. */
async function demoStart(): Promise<number> {
  console.log('CodeArts Build Logs: demo of a started build\n')
  const signIn = await startSignIn(flags.oidc)
  const [api, results] = await startEmulators(false, undefined, signIn.acceptToken)
  const github = await startGitHub()
  try {
    const inputs = {
      ...actionDefaults(),
      'start-build': 'true',
      'job-id': DEMO_JOB_ID,
      parameters: 'DEPLOY_ENV=staging\nAPI_KEY=demo-secret-value-not-to-print',
      commit: DEMO_COMMIT,
      'wait-minutes': '5',
      'poll-seconds': '1',
      ...signIn.inputs,
      'github-token': GITHUB_TOKEN,
      endpoint: api.url
    }
    console.log(`CodeArts emulator    ${api.url}  job ${DEMO_JOB_ID}: running, running, error`)
    printGitHub(github)
    printStep([
      '- uses: ./',
      '  with:',
      '    start-build: true',
      `    job-id: ${DEMO_JOB_ID}`,
      '    commit: ${{ github.sha }}',
      '    parameters: |',
      '      DEPLOY_ENV=staging',
      '      API_KEY=${{ secrets.API_KEY }}',
      '    wait-minutes: 5',
      '    poll-seconds: 1',
      `    endpoint: ${api.url}`,
      ...signIn.stepLines
    ])
    const env = {
      ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('demo-run', 'demo-job'),
      ACTIONS_RESULTS_URL: results.url,
      ...githubEnv(github),
      ...signIn.env
    }
    const failed = await runAction({ inputs, env, timeoutMs: STEP_TIMEOUT_MS })
    await saveSummary(failed)
    console.log(`\nThe step exited with code ${failed.code}.`)
    printRun(failed)

    console.log('\nThe same step again, cancelled (SIGTERM) while it waits for its build:')
    const cancelled = await runAction({
      inputs: { ...inputs, 'poll-seconds': '30' },
      env,
      timeoutMs: STEP_TIMEOUT_MS,
      // Build 42 registers late: the step is waiting to ask for its record again.
      during: async ({ child }) => {
        await terminateWhen(child, () =>
          api.requests.some(r => r.path === `/v1/record/${DEMO_JOB_ID}/42/record-info`)
        )
      }
    })
    console.log(`\nThe step exited with code ${cancelled.code}.`)
    printRun(cancelled)

    const secret = 'demo-secret-value-not-to-print'
    const checks: Check[] = [
      {
        what: 'one start request per run, with both parameters and the commit',
        ok:
          api.started.length === 2 &&
          JSON.stringify(api.started[0].body) ===
            JSON.stringify({
              job_id: DEMO_JOB_ID,
              parameter: [
                { name: 'DEPLOY_ENV', value: 'staging' },
                { name: 'API_KEY', value: secret }
              ],
              scm: { build_commit_id: DEMO_COMMIT }
            })
      },
      {
        what: "the build's output was followed into the job log once, in order, to its last line, with commands off",
        ok: readStdout(failed.stdout).inert === DEMO_BUILD_OUTPUT
      },
      {
        what: 'the failed build fails the step with "Build failed" (the first error), after its logs were uploaded',
        ok:
          failed.code === 1 &&
          failed.annotations.find(a => a.level === 'error')?.title === 'Build failed' &&
          results.artifacts.length === 1
      },
      ...failureChecks(failed, github),
      {
        what: 'build-number, record-id and build-status: error are set',
        ok:
          failed.outputs['build-number'] === '41' &&
          failed.outputs['record-id'] === DEMO_RECORD_ID &&
          failed.outputs['build-status'] === 'error'
      },
      {
        what: 'the cancelled run sent one stop for build 42, and says CodeArts accepted it',
        ok:
          api.stops.length === 1 &&
          api.stops[0].buildNumber === 42 &&
          cancelled.annotations.some(
            a => a.title === 'Cancelled' && a.message.includes('CodeArts accepted the stop')
          )
      },
      {
        what: 'no parameter value in the job log (but its mask), the summary or the outputs',
        ok: [failed, cancelled].every(run => secretLeaks(run, [secret]).length === 0)
      },
      ...signIn.checks([failed, cancelled])
    ]
    console.log('\nWhat the demo expected:')
    for (const { what, ok } of checks) console.log(`  ${ok ? 'ok  ' : 'FAIL'}  ${what}`)
    for (const run of [failed, cancelled]) {
      await fs.rm(run.root, { recursive: true, force: true })
    }
    const missed = checks.filter(c => !c.ok).length
    console.log(
      missed === 0
        ? `\nAll ${checks.length} expectations met.`
        : `\n${missed} of ${checks.length} expectations failed.`
    )
    return missed === 0 ? 0 : 1
  } finally {
    await Promise.all([api.close(), results.close(), github.close(), signIn.close()])
  }
}

/** Writes the file whole or not at all, so a reader polling for it never sees half of it. */
async function writeAtomically(file: string, text: string): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`
  await fs.writeFile(temp, text)
  await fs.rename(temp, file)
}

async function serve(): Promise<number> {
  const minutes = Number(flags['serve-minutes'])
  if (!Number.isFinite(minutes) || minutes <= 0) {
    console.error(`--serve-minutes must be a positive number, got ${flags['serve-minutes']}`)
    return 2
  }
  const port = Number(flags.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a port number (0 for any free one), got ${flags.port}`)
    return 2
  }
  const [api, results] = await startEmulators(true, port)
  const values: Record<string, string> = {
    CODEARTS_ENDPOINT: api.url,
    CODEARTS_RECORD_ID: DEMO_RECORD_ID,
    CODEARTS_TOKEN: DEMO_TOKEN,
    CODEARTS_TASK_NAMES: DEMO_STAGES.map(s => s.stage).join(','),
    CODEARTS_MISSING_STAGE: DEMO_MISSING_STAGE,
    ACTIONS_RESULTS_URL: results.url,
    ACTIONS_RUNTIME_TOKEN: makeRuntimeToken('demo-run', 'demo-job'),
    // This process, not the npx or tsx wrapper around it: they do not pass SIGTERM on.
    CODEARTS_EMULATOR_PID: String(process.pid)
  }
  const text = Object.entries(values)
    .map(([key, value]) => `${key}=${value}\n`)
    .join('')
  process.stdout.write(text)
  if (flags['env-out']) await writeAtomically(path.resolve(flags['env-out']), text)
  console.log(
    `[serve] emulators up; stopping on SIGTERM or SIGINT, or by itself after ${minutes} min`
  )

  await new Promise<void>(resolve => {
    // A forgotten background emulator must not outlive the job that started it by much.
    const timer = setTimeout(resolve, minutes * 60_000)
    const stop = () => {
      clearTimeout(timer)
      resolve()
    }
    process.once('SIGTERM', stop)
    process.once('SIGINT', stop)
  })
  await Promise.all([api.close(), results.close()])
  console.log('[serve] stopped')
  return 0
}

if (flags['env-out'] && !flags.serve) {
  console.error('--env-out only goes with --serve')
  process.exitCode = 2
} else if (flags.serve && (flags.oidc || flags['summary-out'])) {
  console.error('--oidc and --summary-out do not go with --serve')
  process.exitCode = 2
} else {
  process.exitCode = await (flags.serve ? serve() : flags.start ? demoStart() : demo())
}
