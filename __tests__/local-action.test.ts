import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import {
  DEMO_BUILD_STAGES,
  DEMO_COMPILE_ERROR_MESSAGES,
  DEMO_FAILED_TESTS,
  DEMO_JOB_ID,
  DEMO_LOGS,
  DEMO_MISSING_STAGE,
  DEMO_RECORD_ID,
  DEMO_SERVE_PORT,
  DEMO_STAGES,
  DEMO_TOKEN
} from '../__fixtures__/demo-logs.js'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { readZip } from '../__fixtures__/zip.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LOCAL_ACTION = path.join(ROOT, 'node_modules', '.bin', 'local-action')
// local-action starts tsx through npm exec and compiles src/ on the fly: seconds, not minutes.
const RUN_TIMEOUT_MS = 50_000

/** KEY=VALUE lines of a dotenv file, comments and blank lines left out. */
function parseEnvFile(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const match = /^([\w.-]+)=(.*)$/.exec(line.trim())
    if (match) values[match[1]] = match[2].trim()
  }
  return values
}

interface LocalRun {
  code: number | null
  stdout: string
  stderr: string
  /** From the `::set-output name=N::V` lines local-action's core prints. */
  outputs: Record<string, string>
}

/** The `# INPUT_…=…` lines of a dotenv file: inputs shown commented out, for a user to turn on. */
function commentedInputs(text: string): Record<string, string> {
  return parseEnvFile(
    text
      .split('\n')
      .filter(line => /^#\s*INPUT_[\w.-]+=/.test(line))
      .map(line => line.replace(/^#\s*/, ''))
      .join('\n')
  )
}

/** Runs `local-action run . src/main.ts <envFile>` from the repository root, as the npm script does. */
function runLocalAction(envFile: string, tempDir: string): Promise<LocalRun> {
  // Only what npm and tsx need: the runner's GITHUB_* and INPUT_* variables of a CI job running
  // these tests must not leak in, and tsx's cache goes to the test's own folder.
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tempDir }
  const child = spawn(LOCAL_ACTION, ['run', '.', 'src/main.ts', envFile], {
    cwd: ROOT,
    env: { ...env, TMPDIR: tempDir, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', chunk => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', chunk => (stderr += chunk))
  const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS)
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', code => {
      clearTimeout(timer)
      const outputs: Record<string, string> = {}
      for (const match of stdout.matchAll(/^::set-output name=([^:]+)::(.*)$/gm)) {
        outputs[match[1]] = match[2]
      }
      resolve({ code, stdout, stderr, outputs })
    })
  })
}

describe('npm run local-action with .env.example', () => {
  let api: CodeArtsEmulator
  let example: Record<string, string>
  let startInputs: Record<string, string>

  beforeAll(async () => {
    const text = await fs.readFile(path.join(ROOT, '.env.example'), 'utf8')
    example = parseEnvFile(text)
    startInputs = commentedInputs(text)
    api = await startCodeArts({
      token: DEMO_TOKEN,
      logs: { [DEMO_RECORD_ID]: { ...DEMO_LOGS } },
      stages: { [DEMO_RECORD_ID]: { ...DEMO_BUILD_STAGES } },
      // As under `npm run demo -- --serve`: the started build runs, then fails.
      jobs: {
        [DEMO_JOB_ID]: {
          nextBuildNumber: 41,
          recordIds: { 41: DEMO_RECORD_ID },
          statuses: ['running', 'running', 'error']
        }
      }
    })
  })
  afterAll(() => api.close())

  it('points at what `npm run demo -- --serve` serves', () => {
    expect(example['INPUT_RECORD-ID']).toBe(DEMO_RECORD_ID)
    expect(example.INPUT_TOKEN).toBe(DEMO_TOKEN)
    expect(example.INPUT_ENDPOINT).toBe(`http://127.0.0.1:${DEMO_SERVE_PORT}`)
    // No task-names: every action the record lists, as a new user would start.
    expect(example['INPUT_TASK-NAMES']).toBeUndefined()
  })

  /** Runs local-action with the example's values, but this test's emulator and folders. */
  async function runExample(overrides: Record<string, string> = {}) {
    const dir = await makeTempDir('cbl-local-action-')
    const local = (name: string) => path.join(dir, name)
    const values = {
      ...example,
      INPUT_ENDPOINT: api.url,
      INPUT_PATH: local('logs'),
      LOCAL_ACTION_ARTIFACT_PATH: dir,
      LOCAL_ACTION_WORKSPACE: dir,
      GITHUB_STEP_SUMMARY: local('summary.md'),
      ...overrides
    }
    const envFile = local('test.env')
    await fs.writeFile(
      envFile,
      Object.entries(values)
        .map(([key, value]) => `${key}=${value}\n`)
        .join('')
    )
    return { run: await runLocalAction(envFile, dir), local }
  }

  // The demo logs' failures as outputs and annotations where no file list of the repository is
  // at hand (local-action passes no github-token): no file, line or column.
  const buildErrors = DEMO_COMPILE_ERROR_MESSAGES.map(message => ({ message, stage: 'stage2' }))
  const failedTests = DEMO_FAILED_TESTS.map(({ name, message }) => ({
    name,
    message,
    stage: 'stage3'
  }))
  // build-error-annotations (5, its default) of them: the compile errors, then the first test.
  const logErrorList = [
    ...buildErrors.map(({ message }) => ({
      title: 'Compile error in stage2 (Build with Maven)',
      message
    })),
    ...failedTests.map(({ name, message }) => ({ title: `Test failed: ${name}`, message }))
  ].slice(0, 5)
  const logErrorTitles = logErrorList.map(error => error.title)
  // As local-action's toolkit writes them: properties and message unescaped.
  const logErrors = logErrorList
    .map(({ title, message }) => `::error title=${title}::${message}\n`)
    .join('')

  /** The titles of a local-action run's error commands, in order. */
  function errorTitles(stdout: string): string[] {
    return [...stdout.matchAll(/^::error title=(.*?)::/gm)].map(match => match[1])
  }

  it('runs src/main.ts to the end: outputs, annotations, summary and the artifact zip', async () => {
    const { run, local } = await runExample()
    if (run.code !== 0) {
      throw new Error(`local-action exited ${run.code}\n${run.stdout}\n--- stderr\n${run.stderr}`)
    }

    const files = DEMO_STAGES.map(s => local(`logs/${s.stage}.log`))
    const zipFile = local(`codearts-build-logs-${DEMO_RECORD_ID}.zip`)
    const zip = await fs.readFile(zipFile)
    const { 'build-errors': buildErrorsOutput, 'failed-tests': failedTestsOutput } = run.outputs
    expect(JSON.parse(buildErrorsOutput)).toEqual(buildErrors)
    expect(JSON.parse(failedTestsOutput)).toEqual(failedTests)
    expect(run.outputs).toEqual({
      'record-id': DEMO_RECORD_ID,
      'build-status': '',
      'log-dir': local('logs'),
      files: JSON.stringify(files),
      stages: expect.stringContaining('"name":"Build with Maven","result":"error"'),
      'failed-stages': '[]',
      'artifact-id': '1',
      'artifact-url': '',
      'artifact-digest': createHash('sha256').update(zip).digest('hex'),
      // With record-id alone no test report or outputs are asked for.
      tests: '',
      packages: '[]',
      'failed-tests': failedTestsOutput,
      'build-errors': buildErrorsOutput
    })
    const entries = readZip(zip)
    expect([...entries.keys()].sort()).toEqual(DEMO_STAGES.map(s => `${s.stage}.log`))
    for (const { stage } of DEMO_STAGES) {
      expect(entries.get(`${stage}.log`)?.toString('utf8')).toBe(DEMO_LOGS[stage])
    }
    // The same workflow commands as on a runner: the failures as errors, and no room left for a
    // warning.
    expect(run.stdout).toContain(logErrors)
    expect(errorTitles(run.stdout)).toEqual(logErrorTitles)
    expect(run.stdout).not.toMatch(/^::warning/m)
    expect(run.stdout).not.toContain('undefined')

    const summary = await fs.readFile(local('summary.md'), 'utf8')
    expect(summary).toContain('4 of 4 logs downloaded')
    expect(summary).toContain(
      'no link to the artifact: GITHUB&#95;REPOSITORY and GITHUB&#95;RUN&#95;ID are not set'
    )
  })

  it('starts a build with the start inputs .env.example shows commented out, and follows it', async () => {
    expect(Object.keys(startInputs)).toEqual([
      'INPUT_START-BUILD',
      'INPUT_JOB-ID',
      'INPUT_PARAMETERS',
      'INPUT_POLL-SECONDS'
    ])
    const { run } = await runExample({ 'INPUT_RECORD-ID': '', ...startInputs })
    expect(run.code).toBe(1)
    expect(api.started.map(b => b.body)).toEqual([
      { job_id: DEMO_JOB_ID, parameter: [{ name: 'DEPLOY_ENV', value: 'staging' }] }
    ])
    expect(run.outputs).toMatchObject({
      'build-number': '41',
      'record-id': DEMO_RECORD_ID,
      'build-status': 'error'
    })
    expect(run.stdout).toMatch(/^::error title=Build failed::Build 41 of job /m)
    expect(run.stdout).toContain(logErrors)
    expect(errorTitles(run.stdout)).toEqual(['Build failed', ...logErrorTitles])
  })

  it('says why there is no ID token under local-action, before any CodeArts request', async () => {
    const before = api.requests.length
    const { run } = await runExample({
      INPUT_TOKEN: '',
      'INPUT_IDENTITY-PROVIDER': 'github-actions',
      'INPUT_IAM-ENDPOINT': api.url
    })
    expect(run.code).toBe(1)
    const errors = run.stdout.split('\n').filter(line => line.startsWith('::error'))
    expect(errors).toEqual([
      expect.stringMatching(
        /^::error title=Could not sign in with OpenID Connect::.*permissions: id-token: write.*@github\/local-action/
      )
    ])
    expect(api.requests.length).toBe(before)
  })

  it('fails the step as on a runner when a stage is missing: exit code 1 and an error', async () => {
    const { run } = await runExample({
      'INPUT_TASK-NAMES': `stage1, ${DEMO_MISSING_STAGE}`,
      INPUT_UPLOAD: 'false'
    })
    expect(run.code).toBe(1)
    expect(run.outputs['failed-stages']).toBe(JSON.stringify([DEMO_MISSING_STAGE]))
    expect(run.outputs['artifact-id']).toBe('')
    const errors = run.stdout.split('\n').filter(line => line.startsWith('::error'))
    expect(errors).toEqual([expect.stringMatching(new RegExp(`${DEMO_MISSING_STAGE}.*404`))])
  })
})
