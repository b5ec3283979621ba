import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { startGitHubApi } from '../__fixtures__/github-api-server.js'
import { FAILURES_DIR, asCodeArtsLog, capturedOutput } from '../__fixtures__/recognise.js'
import { expectExitCode, runAction, secretLeaks, type StepRun } from '../__fixtures__/run-action.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

// The bundle against a build whose logs hold captured compiler and test-runner output: the
// failures must land on the repository's files and lines, from a checkout in the workspace or
// from GitHub's trees API, and nowhere else.

const TOKEN = 'iam-token-failures'
const GITHUB_TOKEN = 'ghs_failuresTokenForTheTreesApi0123'
const RECORD = 'f00dfeed-0000-4000-8000-00000000f001'
const REPOSITORY = 'octo-org/octo-repo'

/** Where each captured project sits in the test's repository. */
const PROJECTS = { 'c-make': 'native', 'go-test': 'go' } as const

/** gcc's error lines, one byte each away from a real one, that must not reach outside the repository. */
const HOSTILE_LINES = [
  '../../etc/passwd:1:1: error: through two parent folders',
  '/etc/passwd:2:1: error: an absolute path outside the repository',
  'native/src/../../../etc/passwd:3:1: error: a name that matches only through ..',
  'native/src/a,b::c%d.c:4:1: error: a name holding a comma, a double colon and a percent sign',
  'native/src/order.c%0A::error file=x::y:5:1: error: a newline, encoded'
]
const HOSTILE_RECORD = 'f00dfeed-0000-4000-8000-00000000f002'

const STAGES = {
  a1: { execution_stage_name: 'stage1', display_name: 'Compile C', status: 'error', sequence: 0 },
  a2: { execution_stage_name: 'stage2', display_name: 'Go tests', status: 'error', sequence: 1 }
}

let api: CodeArtsEmulator
let repo: string
let commit: string
let files: string[]

/** Runs git in `cwd` with a fixed identity and dates, so the commit is the same every run. */
function git(cwd: string, ...args: string[]): string {
  const when = '2026-09-10T11:09:20Z'
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH,
      HOME: cwd,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.com',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
      GIT_AUTHOR_DATE: when,
      GIT_COMMITTER_DATE: when
    }
  }).trim()
}

/** A repository holding the captured projects' sources (not their captures), committed. */
async function makeRepository(): Promise<string> {
  const dir = await makeTempDir('cbl-repo-')
  for (const [fixture, folder] of Object.entries(PROJECTS)) {
    await fs.cp(path.join(FAILURES_DIR, fixture), path.join(dir, folder), {
      recursive: true,
      filter: source => !/(?:output[^/]*\.txt|command\.txt|notes\.md)$/.test(source)
    })
  }
  // A file that hostile paths name through `..`: it must never be located through them.
  await fs.mkdir(path.join(dir, 'etc'))
  await fs.writeFile(path.join(dir, 'etc', 'passwd'), 'not a secret\n')
  git(dir, 'init', '-q', '-b', 'main')
  git(dir, 'add', '.')
  git(dir, 'commit', '-q', '-m', 'Failing builds')
  git(dir, 'remote', 'add', 'origin', `https://github.com/${REPOSITORY}.git`)
  return dir
}

beforeAll(async () => {
  repo = await makeRepository()
  commit = git(repo, 'rev-parse', 'HEAD')
  files = git(repo, 'ls-files').split('\n')
  api = await startCodeArts({
    token: TOKEN,
    logs: {
      [RECORD]: {
        stage1: asCodeArtsLog(capturedOutput('c-make')),
        stage2: asCodeArtsLog(capturedOutput('go-test'), { ansi: true })
      },
      [HOSTILE_RECORD]: { stage1: asCodeArtsLog(HOSTILE_LINES.join('\n')) }
    },
    stages: {
      [RECORD]: Object.fromEntries(
        Object.entries(STAGES).map(([id, s]) => [id, { ...s, build_record_id: RECORD }])
      ),
      [HOSTILE_RECORD]: { a1: { ...STAGES.a1, build_record_id: HOSTILE_RECORD } }
    }
  })
})
afterAll(() => api.close())

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    'record-id': RECORD,
    token: TOKEN,
    endpoint: api.url,
    upload: 'false',
    'build-error-annotations': '10',
    'github-token': '',
    ...extra
  }
}

/** The errors the logs raised, as a user sees them on the run page. */
function failureErrors(
  run: StepRun
): { title?: string; file?: string; line?: string; col?: string }[] {
  return run.annotations
    .filter(a => a.level === 'error')
    .map(a => ({ title: a.title, ...a.properties }))
}

/** What every located run shows: the same files, lines and links, whichever source listed the files. */
function expectLocated(run: StepRun): void {
  expectExitCode(run, 0)
  const errors = failureErrors(run)
  // Compile errors first (gcc's six in stage1, go vet's and go build's two in stage2), then the
  // failing tests, cut at ten errors in all.
  expect(errors).toHaveLength(10)
  expect(errors.slice(0, 3)).toEqual([
    {
      title: 'Compile error in stage1 (Compile C)',
      file: 'native/src/order.c',
      line: '10',
      col: '18'
    },
    {
      title: 'Compile error in stage1 (Compile C)',
      file: 'native/src/order.c',
      line: '15',
      col: '59'
    },
    {
      title: 'Compile error in stage1 (Compile C)',
      file: 'native/include/money.h',
      line: '8',
      col: '35'
    }
  ])
  expect(errors.slice(6, 8)).toEqual([
    {
      title: 'Compile error in stage2 (Go tests)',
      file: 'go/internal/tax/tax_test.go',
      line: '7',
      col: '3'
    },
    {
      title: 'Compile error in stage2 (Go tests)',
      file: 'go/pkg/coupon/coupon_test.go',
      line: '6',
      col: '12'
    }
  ])
  expect(errors.slice(8)).toEqual([
    { title: 'Test failed: TestTotal', file: 'go/pkg/cart/cart_test.go', line: '7' },
    { title: 'Test failed: TestTotalCases/empty', file: 'go/pkg/cart/cart_test.go', line: '25' }
  ])
  for (const { file } of errors) expect(files).toContain(file)

  const failedTests = JSON.parse(run.outputs['failed-tests']) as Record<string, unknown>[]
  expect(failedTests[0]).toEqual({
    name: 'TestTotal',
    file: 'go/pkg/cart/cart_test.go',
    line: 7,
    message: 'Total() = 849, want 850',
    stage: 'stage2'
  })
  const buildErrors = JSON.parse(run.outputs['build-errors']) as Record<string, unknown>[]
  expect(buildErrors).toHaveLength(8)
  expect(buildErrors[0]).toMatchObject({
    file: 'native/src/order.c',
    line: 10,
    column: 18,
    stage: 'stage1'
  })

  const blob = `https://github.com/${REPOSITORY}/blob/${commit}`
  expect(run.summary).toContain(`${blob}/native/src/order.c#L10`)
  expect(run.summary).toContain(`${blob}/go/pkg/cart/cart_test.go#L7`)
}

describe('failures located in the repository', () => {
  it('maps them through a checkout of the commit in the workspace, asking GitHub nothing', async () => {
    const github = await startGitHubApi({ token: GITHUB_TOKEN, repository: REPOSITORY, trees: {} })
    try {
      const run = await runAction({
        inputs: inputs({ 'github-token': GITHUB_TOKEN }),
        env: { GITHUB_SHA: commit, GITHUB_API_URL: github.url },
        before: ({ workspace }) => fs.cp(repo, workspace, { recursive: true })
      })
      expectLocated(run)
      expect(github.requests).toEqual([])
      expect(secretLeaks(run, [GITHUB_TOKEN])).toEqual([])
    } finally {
      await github.close()
    }
  })

  it("maps them through GitHub's trees API when the workspace holds no checkout", async () => {
    const github = await startGitHubApi({
      token: GITHUB_TOKEN,
      repository: REPOSITORY,
      trees: { [commit]: { files } }
    })
    try {
      const run = await runAction({
        inputs: inputs({ 'github-token': GITHUB_TOKEN }),
        env: { GITHUB_SHA: commit, GITHUB_API_URL: github.url }
      })
      expectLocated(run)
      expect(github.requests).toHaveLength(1)
      expect(github.requests[0].path).toBe(`/repos/${REPOSITORY}/git/trees/${commit}?recursive=1`)
      expect(github.requests[0].headers.authorization).toBe(`Bearer ${GITHUB_TOKEN}`)
      expect(secretLeaks(run, [GITHUB_TOKEN])).toEqual([])
    } finally {
      await github.close()
    }
  })

  it('lists them without files when GitHub refuses, at the cost of one request and a debug line', async () => {
    const github = await startGitHubApi({
      token: GITHUB_TOKEN,
      repository: REPOSITORY,
      trees: { [commit]: { files } },
      script: [{ status: 403, body: { message: 'Resource not accessible by integration' } }]
    })
    try {
      const run = await runAction({
        inputs: inputs({ 'github-token': GITHUB_TOKEN }),
        env: { GITHUB_SHA: commit, GITHUB_API_URL: github.url }
      })
      expectExitCode(run, 0)
      expect(github.requests).toHaveLength(1)
      const errors = failureErrors(run)
      expect(errors).toHaveLength(10)
      expect(errors.every(e => e.file === undefined)).toBe(true)
      expect(errors[0].title).toBe('Compile error in stage1 (Compile C)')
      const tests = JSON.parse(run.outputs['failed-tests']) as Record<string, unknown>[]
      expect(tests[0]).toEqual({
        name: 'TestTotal',
        message: 'Total() = 849, want 850',
        stage: 'stage2'
      })
      expect(
        run.stdout.split('\n').filter(l => l.startsWith('::debug::') && l.includes('403'))
      ).toHaveLength(1)
    } finally {
      await github.close()
    }
  })

  it('asks nothing without a github-token, and still names every failure, also with summary: false', async () => {
    const github = await startGitHubApi({ token: GITHUB_TOKEN, repository: REPOSITORY, trees: {} })
    try {
      const run = await runAction({
        inputs: inputs({ 'build-error-annotations': '5', summary: 'false' }),
        env: { GITHUB_SHA: commit, GITHUB_API_URL: github.url }
      })
      expectExitCode(run, 0)
      expect(github.requests).toEqual([])
      const errors = failureErrors(run)
      expect(errors.map(e => e.title)).toEqual(Array(5).fill('Compile error in stage1 (Compile C)'))
      expect(JSON.parse(run.outputs['build-errors'])).toHaveLength(8)
      expect(JSON.parse(run.outputs['failed-tests'])).toHaveLength(5)
      expect(run.summary).toBe('')
    } finally {
      await github.close()
    }
  })

  it('never points an annotation outside the repository, nor through .., whatever the log says', async () => {
    const run = await runAction({
      inputs: inputs({ 'record-id': HOSTILE_RECORD }),
      env: { GITHUB_SHA: commit },
      before: ({ workspace }) => fs.cp(repo, workspace, { recursive: true })
    })
    expectExitCode(run, 0)
    const errors = run.annotations.filter(a => a.level === 'error')
    expect(errors.map(e => e.title)).toEqual(Array(5).fill('Compile error in stage1 (Compile C)'))
    // An absolute path is mapped by its trailing segments like an agent's, so `/etc/passwd` is
    // the repository's own `etc/passwd`, never the runner's; nothing is located through `..`.
    expect(errors.map(e => e.properties)).toEqual([
      undefined,
      { file: 'etc/passwd', line: '2', col: '1' },
      undefined,
      undefined,
      undefined
    ])
    // Only the action's own commands: no line of the log started one.
    const commands = run.stdout.split('\n').filter(l => l.startsWith('::'))
    expect(commands.filter(c => /^::(error|warning|notice)/.test(c))).toHaveLength(5)
    expect(commands.some(c => c.includes('file=x'))).toBe(false)
    const buildErrors = JSON.parse(run.outputs['build-errors']) as Record<string, unknown>[]
    expect(buildErrors.map(e => e.file)).toEqual([
      undefined,
      'etc/passwd',
      undefined,
      undefined,
      undefined
    ])
    expect(run.summary.match(/\/blob\/[^)"]*/g)).toEqual([`/blob/${commit}/etc/passwd#L2`])
  })
})
