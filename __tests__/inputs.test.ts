import { describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { Inputs } from '../src/constants.js'
import { InputError } from '../src/errors.js'
import { isLoopbackHost } from '../src/http/url-policy.js'
import { readInput } from '../src/input-reader.js'
import {
  defaultArtifactName,
  defaultLogDir,
  getInputs,
  parseEndpoint,
  parseTaskNames
} from '../src/inputs/action-inputs.js'
import { INPUT_TABLE, readBoolean, readChoice, readInteger } from '../src/inputs/table.js'

const RECORD = '2cc26382-b2cb-4234-8eb0-b37d362f4d4c'

function env(inputs: Record<string, string>, extra: Record<string, string> = {}) {
  const vars: Record<string, string> = {
    RUNNER_TEMP: '/runner/temp',
    GITHUB_WORKSPACE: '/ws',
    ...extra
  }
  for (const [name, value] of Object.entries(inputs)) vars[`INPUT_${name.toUpperCase()}`] = value
  return vars
}

const MINIMAL = { 'record-id': RECORD, 'task-names': 'stage1', token: 't0k' }

describe('getInputs', () => {
  it('fills the documented defaults', () => {
    const inputs = getInputs(env(MINIMAL))
    expect(inputs).toEqual({
      record: { recordId: RECORD },
      stages: { kind: 'named', names: ['stage1'] },
      wholeLog: false,
      failOnBuildFailure: true,
      stopOnCancel: true,
      followLog: true,
      waitMinutes: 0,
      pollSeconds: 15,
      logLevel: 'INFO',
      compress: false,
      region: 'cn-north-4',
      endpoint: new URL('https://cloudbuild-ext.cn-north-4.myhuaweicloud.com'),
      auth: { method: 'token', token: 't0k' },
      path: undefined,
      upload: true,
      artifactName: undefined,
      retentionDays: undefined,
      failOnError: true,
      concurrency: 6,
      compressionLevel: 6,
      maxAttempts: 4,
      timeoutMs: 300_000,
      summary: true,
      buildErrorAnnotations: 5,
      githubToken: ''
    })
  })

  it('takes github-token as given, and empty as no token', () => {
    const token = 'ghs_0123456789abcdefABCDEF'
    expect(getInputs(env({ ...MINIMAL, 'github-token': ` ${token}\n` })).githubToken).toBe(token)
    expect(getInputs(env({ ...MINIMAL, 'github-token': '' })).githubToken).toBe('')
  })

  it('defaults the log folder and artifact name to ones named after the record', () => {
    expect(defaultLogDir({ RUNNER_TEMP: '/runner/temp' }, RECORD)).toBe(
      path.join('/runner/temp', 'codearts-build-logs', RECORD)
    )
    expect(defaultArtifactName(RECORD)).toBe(`codearts-build-logs-${RECORD}`)
  })

  it('waits 60 minutes for a build it starts unless wait-minutes says otherwise, 0 included', () => {
    const start = {
      token: 't0k',
      'start-build': 'true',
      'job-id': '0123456789abcdefghijklmnopqrstuv'
    }
    expect(getInputs(env(start)).waitMinutes).toBe(60)
    expect(getInputs(env({ ...start, 'wait-minutes': '' })).waitMinutes).toBe(60)
    expect(getInputs(env({ ...start, 'wait-minutes': '0' })).waitMinutes).toBe(0)
    expect(getInputs(env({ ...start, 'wait-minutes': '5' })).waitMinutes).toBe(5)
    expect(getInputs(env({ ...MINIMAL, 'wait-minutes': '' })).waitMinutes).toBe(0)
    const followed = {
      token: 't0k',
      'job-id': '0123456789abcdefghijklmnopqrstuv',
      'build-number': '4'
    }
    expect(getInputs(env(followed)).waitMinutes).toBe(0)
  })

  it('takes a job ID and build number instead of a record ID', () => {
    const job = '0123456789abcdefghijklmnopqrstuv'
    const inputs = getInputs(
      env({ token: 't0k', 'job-id': job, 'build-number': '42', 'whole-log': 'true' })
    )
    expect(inputs.record).toEqual({ jobId: job, buildNumber: 42 })
    expect(inputs.stages).toEqual({ kind: 'all' })
    expect(inputs.wholeLog).toBe(true)
  })

  it('takes the region from HUAWEI_CLOUD_REGION unless the input names one', () => {
    const fromEnv = getInputs(env(MINIMAL, { HUAWEI_CLOUD_REGION: 'ap-southeast-3' }))
    expect(fromEnv.region).toBe('ap-southeast-3')
    expect(fromEnv.endpoint.href).toBe('https://cloudbuild-ext.ap-southeast-3.myhuaweicloud.com/')
    const fromInput = getInputs(
      env({ ...MINIMAL, region: 'cn-south-1' }, { HUAWEI_CLOUD_REGION: 'ap-southeast-3' })
    )
    expect(fromInput.region).toBe('cn-south-1')
  })

  it('parses every optional input', () => {
    const inputs = getInputs(
      env({
        ...MINIMAL,
        'log-level': 'debug',
        compress: 'True',
        upload: 'FALSE',
        'fail-on-error': 'false',
        'retention-days': '90',
        concurrency: '8',
        'compression-level': '0',
        'artifact-name': 'my logs',
        path: 'out/logs',
        endpoint: 'https://build-backend.eu-west-101.myhuaweicloud.eu/proxy/'
      })
    )
    expect(inputs).toMatchObject({
      logLevel: 'DEBUG',
      compress: true,
      upload: false,
      failOnError: false,
      retentionDays: 90,
      concurrency: 8,
      compressionLevel: 0,
      artifactName: 'my logs',
      path: path.join('/ws', 'out', 'logs')
    })
    expect(inputs.endpoint.href).toBe('https://build-backend.eu-west-101.myhuaweicloud.eu/proxy/')
  })

  it('names the input, the value and what is allowed', () => {
    expect(() => getInputs(env({ ...MINIMAL, compress: 'on' }))).toThrow(
      new InputError('compress', 'must be a YAML boolean (true or false), got "on"')
    )
    expect(() => getInputs(env({ ...MINIMAL, 'retention-days': '-1' }))).toThrow(
      'Input \'retention-days\' must be a whole number from 1 to 90, got "-1"'
    )
  })

  it('shortens a huge bad value in the message', () => {
    let message = ''
    try {
      getInputs(env({ ...MINIMAL, 'record-id': 'x'.repeat(10_000) }))
    } catch (error) {
      message = (error as Error).message
    }
    expect(message).toMatch(/^Input 'record-id'/)
    expect(message.length).toBeLessThan(200)
  })
})

describe('the input table', () => {
  const given = env({ 'poll-seconds': '20', upload: 'false', 'log-level': 'debug' })

  it('reads each input as its kind, with its default when empty', () => {
    expect(readInteger(given, Inputs.PollSeconds)).toBe(20)
    expect(readInteger(env({}), Inputs.PollSeconds)).toBe(INPUT_TABLE['poll-seconds'].default)
    expect(readInteger(env({}), Inputs.RetentionDays)).toBeUndefined()
    expect(readBoolean(given, Inputs.Upload)).toBe(false)
    expect(readBoolean(env({}), Inputs.Upload)).toBe(true)
    expect(readChoice(given, Inputs.LogLevel)).toBe('DEBUG')
  })

  it('reads no name outside the table, and each name only as its kind (checked when compiled)', () => {
    // @ts-expect-error 'colour' is no input of the action: it has no row in the table.
    expect(readInput(given, 'colour')).toBe('')
    // @ts-expect-error poll-seconds is a whole number, not a boolean.
    expect(() => readBoolean(given, Inputs.PollSeconds)).toThrow('got "20"')
    // @ts-expect-error upload is a boolean, not a whole number.
    expect(() => readInteger(given, Inputs.Upload)).toThrow('got "false"')
  })
})

describe('parseTaskNames', () => {
  it('splits on commas, spaces and new lines, keeps order and drops repeats', () => {
    expect(parseTaskNames('stage2, stage1\n stage10\tstage2,,stage3')).toEqual({
      kind: 'named',
      names: ['stage2', 'stage1', 'stage10', 'stage3']
    })
  })

  it('reads empty and all as every listed stage, failed as the failed ones, in any case', () => {
    expect(parseTaskNames('')).toEqual({ kind: 'all' })
    expect(parseTaskNames(' , \n')).toEqual({ kind: 'all' })
    expect(parseTaskNames('ALL')).toEqual({ kind: 'all' })
    expect(parseTaskNames(' Failed ')).toEqual({ kind: 'failed' })
  })

  it.each(['all stage1', 'stage1, failed', 'all all', 'failed all'])(
    'refuses the keyword beside anything in %j',
    raw => {
      expect(() => parseTaskNames(raw)).toThrow(/stands alone/)
    }
  )

  it.each(['stage0', 'stage01', 'Stage1', 'stage', 'stage1a', '../stage1', 'stage1/..', 'build'])(
    'refuses %s',
    name => {
      expect(() => parseTaskNames(`stage1 ${name}`)).toThrow(InputError)
    }
  )
})

describe('parseEndpoint', () => {
  it('allows http only to loopback hosts', () => {
    expect(parseEndpoint('http://127.0.0.1:8080').port).toBe('8080')
    expect(parseEndpoint('http://localhost:1').hostname).toBe('localhost')
    expect(parseEndpoint('http://[::1]:1').hostname).toBe('[::1]')
    expect(() => parseEndpoint('http://10.0.0.1')).toThrow(/https:\/\//)
    expect(() => parseEndpoint('http://127.0.0.1.example.com')).toThrow(/https:\/\//)
    expect(() => parseEndpoint('ftp://127.0.0.1')).toThrow(/https:\/\//)
  })

  it('refuses credentials, a query or a fragment in the URL', () => {
    expect(() => parseEndpoint('https://user:pw@example.com')).toThrow(/without credentials/)
    expect(() => parseEndpoint('https://example.com/?a=1')).toThrow(/query/)
  })

  it('checks iam-endpoint by the same rules, naming it, and defaults it to the region', () => {
    expect(() => getInputs(env({ ...MINIMAL, 'iam-endpoint': 'http://10.0.0.1' }))).toThrow(
      `Input 'iam-endpoint' must use https://`
    )
    const oidc = getInputs(
      env({ 'record-id': RECORD, 'identity-provider': 'idp', region: 'ap-southeast-3' })
    )
    expect(oidc.auth).toMatchObject({
      method: 'oidc',
      region: 'ap-southeast-3',
      iamEndpoint: new URL('https://iam.ap-southeast-3.myhuaweicloud.com')
    })
  })

  it('knows loopback hosts', () => {
    expect(isLoopbackHost('127.255.0.9')).toBe(true)
    expect(isLoopbackHost('128.0.0.1')).toBe(false)
  })
})
