import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { expectExitCode, runAction, secretLeaks } from '../__fixtures__/run-action.js'
import { RECORD_ID, SAMPLE_LOGS, TOKEN } from '../__fixtures__/sample.js'

let api: CodeArtsEmulator

beforeAll(async () => {
  api = await startCodeArts({ token: TOKEN, logs: { [RECORD_ID]: SAMPLE_LOGS } })
})
afterAll(async () => api.close())

const GOOD = (): Record<string, string> => ({
  'record-id': RECORD_ID,
  'task-names': 'stage1',
  token: TOKEN,
  endpoint: api.url
})

// Each case: the inputs changed, the input the message must name, and words it must say.
const CASES: [string, Record<string, string>, string, RegExp][] = [
  ['a short record-id', { 'record-id': 'abc' }, 'record-id', /36 characters.*"abc"/],
  [
    'an upper-case record-id',
    { 'record-id': RECORD_ID.toUpperCase() },
    'record-id',
    /0-9, a-z and -/
  ],
  ['a path in task-names', { 'task-names': 'stage1, ../x' }, 'task-names', /"\.\.\/x".*stageN/],
  ['stage0', { 'task-names': 'stage0' }, 'task-names', /"stage0"/],
  ['a name that is not stageN', { 'task-names': 'build' }, 'task-names', /"build"/],
  ['all beside a stage name', { 'task-names': 'all, stage1' }, 'task-names', /"all" stands alone/],
  ['failed given twice', { 'task-names': 'failed FAILED' }, 'task-names', /"failed" stands alone/],
  [
    'record-id with job-id',
    { 'job-id': 'a'.repeat(32), 'build-number': '3' },
    'record-id',
    /job-id.*both given/
  ],
  [
    'job-id without build-number',
    { 'record-id': '', 'job-id': 'a'.repeat(32) },
    'build-number',
    /required with 'job-id'/
  ],
  [
    'build-number without job-id',
    { 'record-id': '', 'build-number': '3' },
    'job-id',
    /required with 'build-number'/
  ],
  ['no record at all', { 'record-id': '' }, 'record-id', /required unless job-id/],
  [
    'a job-id with upper case',
    { 'record-id': '', 'job-id': 'A'.repeat(32), 'build-number': '3' },
    'job-id',
    /32 characters from 0-9 and a-z.*"A{32}"/
  ],
  [
    'a job-id of 31 characters',
    { 'record-id': '', 'job-id': 'a'.repeat(31), 'build-number': '3' },
    'job-id',
    /32 characters/
  ],
  [
    'build-number 0',
    { 'record-id': '', 'job-id': 'a'.repeat(32), 'build-number': '0' },
    'build-number',
    /from 1 to 2147483647, got "0"/
  ],
  [
    'a build-number that is not a number',
    { 'record-id': '', 'job-id': 'a'.repeat(32), 'build-number': '#12' },
    'build-number',
    /got "#12"/
  ],
  ['wait-minutes above 360', { 'wait-minutes': '361' }, 'wait-minutes', /0 to 360, got "361"/],
  ['fractional wait-minutes', { 'wait-minutes': '1.5' }, 'wait-minutes', /whole number.*"1.5"/],
  ['negative wait-minutes', { 'wait-minutes': '-1' }, 'wait-minutes', /"-1"/],
  ['poll-seconds of 0', { 'poll-seconds': '0' }, 'poll-seconds', /1 to 300, got "0"/],
  ['poll-seconds above 300', { 'poll-seconds': '301' }, 'poll-seconds', /1 to 300, got "301"/],
  ['a non-boolean whole-log', { 'whole-log': 'yes' }, 'whole-log', /true or false.*"yes"/],
  ['an unknown log-level', { 'log-level': 'TRACE' }, 'log-level', /INFO or DEBUG, got "TRACE"/],
  ['a non-boolean compress', { compress: 'yes' }, 'compress', /true or false.*"yes"/],
  ['retention-days of 0', { 'retention-days': '0' }, 'retention-days', /1 to 90, got "0"/],
  ['retention-days of 91', { 'retention-days': '91' }, 'retention-days', /1 to 90, got "91"/],
  ['retention-days that is not a number', { 'retention-days': '7d' }, 'retention-days', /"7d"/],
  ['concurrency above 8', { concurrency: '9' }, 'concurrency', /1 to 8, got "9"/],
  [
    'no credentials',
    { token: '' },
    'token',
    /no credentials were given.*HUAWEI_CLOUD_ACCESS_KEY_ID/
  ],
  [
    'an http endpoint',
    { endpoint: 'http://cloudbuild-ext.cn-north-4.myhuaweicloud.com' },
    'endpoint',
    /https:\/\//
  ],
  ['an endpoint that is not a URL', { endpoint: 'cloudbuild' }, 'endpoint', /absolute URL/],
  ['an artifact-name with a slash', { 'artifact-name': 'logs/a' }, 'artifact-name', /"logs\/a"/],
  [
    'start-build with build-number',
    { 'record-id': '', 'start-build': 'true', 'job-id': 'a'.repeat(32), 'build-number': '3' },
    'start-build',
    /together with 'build-number'.*job-id alone/
  ],
  [
    'start-build with record-id',
    { 'start-build': 'true' },
    'start-build',
    /together with 'record-id'/
  ],
  [
    'start-build without job-id',
    { 'record-id': '', 'start-build': 'true' },
    'job-id',
    /required with start-build: true/
  ],
  ['a non-boolean start-build', { 'start-build': 'yes' }, 'start-build', /true or false.*"yes"/],
  [
    'parameters without start-build',
    { parameters: 'A=1' },
    'parameters',
    /only used with start-build: true/
  ],
  ['commit without start-build', { commit: 'abc123' }, 'commit', /only used with start-build/],
  [
    'a parameter name with a dash',
    {
      'record-id': '',
      'start-build': 'true',
      'job-id': 'a'.repeat(32),
      parameters: 'A=1\nmy-name=2'
    },
    'parameters',
    /line 2 names "my-name": a parameter name is 1 to 128 letters, digits and _/
  ],
  [
    'a parameter name of 129 characters',
    {
      'record-id': '',
      'start-build': 'true',
      'job-id': 'a'.repeat(32),
      parameters: `${'N'.repeat(129)}=1`
    },
    'parameters',
    /1 to 128/
  ],
  [
    'a parameter line without =',
    { 'record-id': '', 'start-build': 'true', 'job-id': 'a'.repeat(32), parameters: 'JUST_A_NAME' },
    'parameters',
    /line 1 has no '='/
  ],
  [
    'a parameter value over 8192 characters',
    {
      'record-id': '',
      'start-build': 'true',
      'job-id': 'a'.repeat(32),
      parameters: `BIG=${'v'.repeat(8193)}`
    },
    'parameters',
    /the value of BIG has 8193 characters; at most 8192/
  ],
  [
    'a parameter given twice',
    { 'record-id': '', 'start-build': 'true', 'job-id': 'a'.repeat(32), parameters: 'A=1\n\nA=2' },
    'parameters',
    /line 3 names A a second time/
  ],
  [
    'a parameter the API forbids',
    {
      'record-id': '',
      'start-build': 'true',
      'job-id': 'a'.repeat(32),
      parameters: 'LD_PRELOAD=/x.so'
    },
    'parameters',
    /"LD_PRELOAD", which CodeArts refuses/
  ],
  [
    'branch with codeBranch',
    {
      'record-id': '',
      'start-build': 'true',
      'job-id': 'a'.repeat(32),
      branch: 'main',
      parameters: 'codeBranch=dev'
    },
    'branch',
    /codeBranch.*give one of them/
  ],
  [
    'tag with commit',
    {
      'record-id': '',
      'start-build': 'true',
      'job-id': 'a'.repeat(32),
      tag: 'v1',
      commit: 'abc123'
    },
    'tag',
    /build a tag or a commit, not both/
  ],
  [
    'a branch with a space',
    { 'record-id': '', 'start-build': 'true', 'job-id': 'a'.repeat(32), branch: 'my branch' },
    'branch',
    /one git name.*"my branch"/
  ],
  [
    'a non-boolean fail-on-build-failure',
    { 'fail-on-build-failure': 'maybe' },
    'fail-on-build-failure',
    /true or false.*"maybe"/
  ],
  ['a non-boolean stop-on-cancel', { 'stop-on-cancel': 'no' }, 'stop-on-cancel', /"no"/]
]

describe('bad input fails before any request', () => {
  it.each(CASES)('%s', async (_label, change, input, words) => {
    const before = api.requests.length
    const run = await runAction({ inputs: { ...GOOD(), ...change } })
    expectExitCode(run, 1)
    expect(run.annotations).toHaveLength(1)
    const [error] = run.annotations
    expect(error.level).toBe('error')
    expect(error.title).toBe(`Invalid input: ${input}`)
    expect(error.message).toMatch(new RegExp(`^Input '${input}' `))
    expect(error.message).toMatch(words)
    expect(api.requests.length).toBe(before)
    // Only the JSON outputs, valid for a later step's fromJSON whatever failed.
    expect(run.outputs).toEqual({
      tests: '',
      packages: '[]',
      'failed-tests': '[]',
      'build-errors': '[]'
    })
  })

  it('refuses a path that is a file', async () => {
    const probe = await runAction({ inputs: { ...GOOD(), path: 'taken' } })
    const file = path.join(probe.workspace, 'blocked')
    await fs.writeFile(file, 'a file, not a folder')
    const before = api.requests.length
    const run = await runAction({ inputs: { ...GOOD(), path: file } })
    expectExitCode(run, 1)
    expect(run.annotations).toEqual([
      {
        level: 'error',
        title: 'Invalid input: path',
        message: `Input 'path' is ${JSON.stringify(file)}, but a file is in the way of that folder`
      }
    ])
    expect(api.requests.length).toBe(before)
  })
})

describe('github-token', () => {
  it('is masked before anything else is printed, and shown nowhere', async () => {
    const githubToken = 'ghs_ExampleInstallationToken0123456789ab'
    const run = await runAction({ inputs: { ...GOOD(), 'github-token': githubToken } })
    expectExitCode(run, 0)
    const lines = run.stdout.split('\n')
    const firstOther = lines.findIndex(line => !line.startsWith('::add-mask::'))
    expect(lines.slice(0, firstOther)).toContain(`::add-mask::${githubToken}`)
    expect(secretLeaks(run, [githubToken])).toEqual([])
  })
})
