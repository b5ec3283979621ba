import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { startGitHubApi, type GitHubApi } from '../__fixtures__/github-api-server.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import type { Finding } from '../src/download/recognisers/recogniser.js'
import type { StageReport } from '../src/report/stage-report.js'
import { locateFailures, type LocateOptions } from '../src/run/locate-failures.js'

const TOKEN = 'ghs_locateTestToken0123456789'
const REPOSITORY = 'octo-org/octo-repo'
const RECORD_COMMIT = '3333333333333333333333333333333333333333'
const GITHUB_SHA = '4444444444444444444444444444444444444444'
const ORDER = 'service/src/main/java/com/example/Order.java'
const ORDER_TEST = 'service/src/test/java/com/example/OrderTest.java'
const FILES = [ORDER, ORDER_TEST, 'web/src/app.ts', 'web/src/app.test.ts', 'etc/passwd']

const servers: GitHubApi[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function api(trees: Record<string, string[]>): Promise<GitHubApi> {
  const server = await startGitHubApi({
    token: TOKEN,
    repository: REPOSITORY,
    trees: Object.fromEntries(Object.entries(trees).map(([commit, files]) => [commit, { files }]))
  })
  servers.push(server)
  return server
}

function downloaded(stage: string, findings: Finding[]): StageReport {
  return {
    stage,
    status: 'downloaded',
    file: `/logs/${stage}.log`,
    bytes: 1000,
    durationMs: 10,
    attempts: 1,
    stats: { lines: 10, errors: 1, warnings: 0, errorGroups: [], findings }
  }
}

const compileError = (
  message: string,
  reported?: string,
  line?: number,
  column?: number
): Finding => ({
  kind: 'compile-error',
  message,
  ...(reported === undefined ? {} : { place: { path: reported, line, column } })
})
const failedTest = (test: string, message: string, reported?: string, line?: number): Finding => ({
  kind: 'failed-test',
  test,
  message,
  ...(reported === undefined ? {} : { place: { path: reported, line } })
})

/** Options for a run whose workspace is `workspace` and whose API is `server`. */
function options(
  workspace: string,
  server?: GitHubApi,
  more: Partial<LocateOptions> = {}
): LocateOptions {
  return {
    env: {
      GITHUB_WORKSPACE: workspace,
      GITHUB_REPOSITORY: REPOSITORY,
      GITHUB_API_URL: server?.url ?? '',
      GITHUB_SHA
    },
    githubToken: TOKEN,
    recordCommit: RECORD_COMMIT,
    ...more
  }
}

const MAVEN = `/devcloud/ws/s1a2b/workspace/j_9f8e/${ORDER}`
const stage2 = downloaded('stage2', [
  compileError('cannot find symbol', MAVEN, 12, 8),
  compileError('cannot find symbol', MAVEN, 12, 8),
  compileError('[ERROR] COMPILATION ERROR', undefined)
])
const stage3 = downloaded('stage3', [
  failedTest(
    'com.example.OrderTest.placesOrder',
    'expected:<2> but was:<3>',
    'com/example/OrderTest.java',
    15
  ),
  failedTest('Orders › totals', 'Expected: 5', '***/web/src/app.test.ts', 7),
  failedTest('com.example.OrderTest.placesOrder', 'expected:<2> but was:<3>')
])

describe('locateFailures: the failures of the logs, located in the repository', () => {
  it('asks for no file list when no failure names a place', async () => {
    const server = await api({ [RECORD_COMMIT]: FILES })
    const workspace = await makeTempDir('cbl-locate-')
    const unplaced = downloaded('stage2', [
      compileError('BUILD FAILURE'),
      failedTest('TestX', 'boom')
    ])
    const located = await locateFailures([unplaced], options(workspace, server))
    expect(located).toEqual({
      failures: [
        { kind: 'compile-error', message: 'BUILD FAILURE', stage: 'stage2' },
        { kind: 'failed-test', test: 'TestX', message: 'boom', stage: 'stage2' }
      ]
    })
    expect(server.requests).toEqual([])
  })

  it("locates them in the trees API's files at the record's commit, once, in stage and log order without repeats", async () => {
    const server = await api({ [RECORD_COMMIT]: FILES })
    const workspace = await makeTempDir('cbl-locate-')
    const located = await locateFailures([stage2, stage3], options(workspace, server))
    expect(server.requests).toHaveLength(1)
    expect(located.commit).toBe(RECORD_COMMIT)
    expect(located.failures.map(({ place: _, ...rest }) => rest)).toEqual([
      {
        kind: 'compile-error',
        message: 'cannot find symbol',
        stage: 'stage2',
        file: ORDER,
        line: 12,
        column: 8
      },
      { kind: 'compile-error', message: '[ERROR] COMPILATION ERROR', stage: 'stage2' },
      {
        kind: 'failed-test',
        test: 'com.example.OrderTest.placesOrder',
        message: 'expected:<2> but was:<3>',
        stage: 'stage3',
        file: ORDER_TEST,
        line: 15
      },
      {
        kind: 'failed-test',
        test: 'Orders › totals',
        message: 'Expected: 5',
        stage: 'stage3',
        file: 'web/src/app.test.ts',
        line: 7
      }
    ])
  })

  it('keeps the first printing of a repeated failure, with the place of a later one that was located', async () => {
    const server = await api({ [RECORD_COMMIT]: FILES })
    const workspace = await makeTempDir('cbl-locate-')
    const stage = downloaded('stage4', [
      failedTest('com.example.OrderTest.placesOrder', 'first message', 'Unknown.java', 3),
      failedTest(
        'com.example.OrderTest.placesOrder',
        'summary message',
        'com/example/OrderTest.java',
        15
      ),
      failedTest('com.example.OrderTest.placesOrder', 'third', 'com/example/OrderTest.java', 99)
    ])
    const { failures } = await locateFailures([stage], options(workspace, server))
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ message: 'first message', file: ORDER_TEST, line: 15 })
  })

  it('reads the whole log only when no stage log was scanned', async () => {
    const server = await api({ [RECORD_COMMIT]: FILES })
    const workspace = await makeTempDir('cbl-locate-')
    const whole = downloaded('build', [compileError('from the whole log', 'web/src/app.ts', 1, 1)])
    const compressed = downloaded('stage5', [])
    if (compressed.status === 'downloaded') compressed.stats = undefined
    const failed: StageReport = {
      stage: 'stage6',
      status: 'failed',
      file: null,
      bytes: 0,
      durationMs: 1,
      attempts: 1,
      error: 'HTTP 500'
    }
    const withStage = await locateFailures([stage3, whole], options(workspace, server))
    expect(withStage.failures.map(f => f.stage)).toEqual(['stage3', 'stage3'])
    const alone = await locateFailures([compressed, failed, whole], options(workspace, server))
    expect(alone.failures).toMatchObject([
      { stage: 'build', file: 'web/src/app.ts', line: 1, column: 1 }
    ])
  })

  it("takes GITHUB_SHA when the record's commit is not a whole commit ID", async () => {
    const server = await api({ [GITHUB_SHA]: FILES })
    const workspace = await makeTempDir('cbl-locate-')
    const located = await locateFailures(
      [stage2],
      options(workspace, server, { recordCommit: 'abc1234' })
    )
    expect(located.commit).toBe(GITHUB_SHA)
    expect(server.requests.map(r => r.path)).toEqual([
      `/repos/${REPOSITORY}/git/trees/${GITHUB_SHA}?recursive=1`
    ])
    expect(located.failures[0].file).toBe(ORDER)
  })

  it('reads a checkout in the workspace at the commit, and then asks the API nothing', async () => {
    const server = await api({ [RECORD_COMMIT]: FILES })
    const workspace = await makeTempDir('cbl-locate-')
    const repo = path.join(workspace, 'octo-repo')
    const git = (...args: string[]): string =>
      execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.com', ...args], {
        cwd: repo,
        encoding: 'utf8'
      }).trim()
    await fs.mkdir(repo)
    git('init', '-q')
    for (const file of [ORDER, 'web/src/app.test.ts']) {
      await fs.mkdir(path.dirname(path.join(repo, file)), { recursive: true })
      await fs.writeFile(path.join(repo, file), 'x\n')
    }
    git('add', '-A')
    git('commit', '-q', '-m', 'x')
    git('remote', 'add', 'origin', `https://github.com/${REPOSITORY}.git`)
    const head = git('rev-parse', 'HEAD')
    const located = await locateFailures(
      [stage2, stage3],
      options(workspace, server, { recordCommit: head })
    )
    expect(server.requests).toEqual([])
    expect(located.commit).toBe(head)
    expect(located.failures.map(f => f.file)).toEqual([
      ORDER,
      undefined,
      undefined,
      'web/src/app.test.ts'
    ])
  })

  it('lists the failures without files when no list can be read', async () => {
    const workspace = await makeTempDir('cbl-locate-')
    // An empty github-token: no request, even with an API to ask.
    const server = await api({ [RECORD_COMMIT]: FILES })
    const unasked = await locateFailures([stage2], options(workspace, server, { githubToken: '' }))
    expect(server.requests).toEqual([])
    expect(unasked.failures.map(f => f.file)).toEqual([undefined, undefined])
    for (const more of [
      { env: { GITHUB_WORKSPACE: workspace, GITHUB_REPOSITORY: REPOSITORY, GITHUB_SHA } },
      {
        env: { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_REPOSITORY: REPOSITORY },
        recordCommit: 'main'
      },
      { env: { GITHUB_API_URL: 'http://127.0.0.1:9', GITHUB_SHA } }
    ]) {
      const located = await locateFailures([stage2], { ...options(workspace), ...more })
      expect(located.commit).toBeUndefined()
      expect(located.failures.map(f => f.file)).toEqual([undefined, undefined])
    }
  })

  it('never puts a failure on a file outside the list, whatever the log says', async () => {
    const server = await api({ [RECORD_COMMIT]: FILES })
    const workspace = await makeTempDir('cbl-locate-')
    const hostile = downloaded('stage7', [
      compileError('x', '../../etc/passwd', 1, 1),
      compileError('y', '/etc/shadow', 1, 1),
      compileError('z', 'web/src/../../etc/passwd', 1, 1),
      compileError('w', '/w/web/src/app.ts\n::error file=/etc/passwd::owned', 1, 1),
      compileError('v', 'file:///w/%2e%2e/%2e%2e/etc/passwd', 1, 1)
    ])
    const { failures } = await locateFailures([hostile], options(workspace, server))
    expect(failures.map(f => f.file)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined
    ])
  })
})
