import * as os from 'node:os'
import * as path from 'node:path'
import type { BuildRequest } from '../codearts/build-start.js'
import type { LogLevel } from '../codearts/log-api.js'
import { EnvVars, Inputs, RECORD_ID_PATTERN } from '../constants.js'
import { InputError } from '../errors.js'
import { isAllowedUrl, redactUserinfo } from '../http/url-policy.js'
import { quote, readEnv, readInput, type Env } from '../input-reader.js'
import type { LogDestination } from '../report/run-result.js'
import type { AuthConfig } from '../signin/sign-in.js'
import { parseBuildRequest, refuseStartOnlyInputs } from './build-request.js'
import { resolveCredentials } from './credentials.js'
import { checkInteger, readBoolean, readChoice, readInteger } from './table.js'

/** Which stages to fetch: the named ones, every listed one, or the listed ones that failed. */
type StageSelection = { kind: 'named'; names: string[] } | { kind: 'all' } | { kind: 'failed' }

/** The record to read: given, or to be found from a build task's run. */
type RecordSource =
  | { recordId: string }
  | { jobId: string; buildNumber: number }
  | { jobId: string; start: BuildRequest }

/** Every input, parsed and validated. */
export interface ActionInputs {
  record: RecordSource
  stages: StageSelection
  wholeLog: boolean
  /** Fail the step unless a build that was waited for ended in success. */
  failOnBuildFailure: boolean
  /** Stop a build this step started when the run is cancelled. */
  stopOnCancel: boolean
  /** Print the build's live log while waiting for it. */
  followLog: boolean
  /** How long to wait for a running build to end first; 0 is not to wait. */
  waitMinutes: number
  pollSeconds: number
  logLevel: LogLevel
  compress: boolean
  region: string
  endpoint: URL
  auth: AuthConfig
  /** The path input, resolved; undefined for the default, which depends on the record. */
  path?: string
  upload: boolean
  /** The artifact-name input; undefined for the default, which depends on the record. */
  artifactName?: string
  retentionDays?: number
  failOnError: boolean
  concurrency: number
  compressionLevel: number
  maxAttempts: number
  timeoutMs: number
  summary: boolean
  buildErrorAnnotations: number
  /** The token for GitHub's API; '' when there is none, and then no request is made. */
  githubToken: string
}

const STAGE_NAME = /^stage[1-9][0-9]{0,3}$/
const JOB_ID = /^[0-9a-z]{32}$/
const KEYWORDS = ['all', 'failed'] as const
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/
/** The region when neither the input nor `HUAWEI_CLOUD_REGION` names one. */
const DEFAULT_REGION = 'cn-north-4'
/** The wait when wait-minutes is empty and the step starts the build: it is followed to its end. */
const START_WAIT_MINUTES = 60
// Artifact names may not hold these (the results service rejects them).
const ARTIFACT_NAME_FORBIDDEN = /["<>:|*?\\/\r\n]/

/**
 * Reads `task-names`: empty or `all` for every listed stage, `failed` for the listed stages that
 * failed, else stageN names split on commas, spaces and new lines (checked, repeats dropped).
 */
export function parseTaskNames(raw: string): StageSelection {
  const names = raw.split(/[\s,]+/).filter(name => name !== '')
  const keywords = names.filter(name =>
    (KEYWORDS as readonly string[]).includes(name.toLowerCase())
  )
  if (keywords.length > 0) {
    if (names.length > 1) {
      throw new InputError(
        Inputs.TaskNames,
        `is ${quote(raw)}: ${quote(keywords[0])} stands alone, without stage names or another keyword`
      )
    }
    return { kind: keywords[0].toLowerCase() as (typeof KEYWORDS)[number] }
  }
  if (names.length === 0) return { kind: 'all' }
  for (const name of names) {
    if (!STAGE_NAME.test(name)) {
      throw new InputError(
        Inputs.TaskNames,
        `has ${quote(name)}, which is not a build action name: use stageN with N from 1 (stage1 is the first action), all, or failed`
      )
    }
  }
  return { kind: 'named', names: [...new Set(names)] }
}

function checkJobId(jobId: string): string {
  if (!JOB_ID.test(jobId)) {
    throw new InputError(
      Inputs.JobId,
      `must be a build task ID of 32 characters from 0-9 and a-z (the end of the task's URL in the console), got ${quote(jobId)}`
    )
  }
  return jobId
}

/**
 * Reads `record-id`, or `job-id` with `build-number`, or `job-id` alone with `start-build: true`:
 * exactly one of the three forms.
 */
function parseRecordSource(env: Env): RecordSource {
  const recordId = readInput(env, Inputs.RecordId)
  const jobId = readInput(env, Inputs.JobId)
  const buildNumber = readInput(env, Inputs.BuildNumber)
  if (readBoolean(env, Inputs.StartBuild)) {
    if (recordId !== '' || buildNumber !== '') {
      throw new InputError(
        Inputs.StartBuild,
        `is true together with '${recordId !== '' ? Inputs.RecordId : Inputs.BuildNumber}': a started build gets its own number, so give job-id alone`
      )
    }
    if (jobId === '') {
      throw new InputError(
        Inputs.JobId,
        `is required with ${Inputs.StartBuild}: true: name the build task to start`
      )
    }
    return { jobId: checkJobId(jobId), start: parseBuildRequest(env, jobId) }
  }
  refuseStartOnlyInputs(env)
  if (recordId !== '') {
    if (jobId !== '' || buildNumber !== '') {
      const other = jobId !== '' ? Inputs.JobId : Inputs.BuildNumber
      throw new InputError(
        Inputs.RecordId,
        `and '${other}' were both given: give either record-id, or job-id with build-number`
      )
    }
    if (!RECORD_ID_PATTERN.test(recordId)) {
      throw new InputError(
        Inputs.RecordId,
        `must be a build record ID of 36 characters from 0-9, a-z and -, got ${quote(recordId)}`
      )
    }
    return { recordId }
  }
  if (jobId === '' && buildNumber === '') {
    throw new InputError(
      Inputs.RecordId,
      'is required unless job-id and build-number are given: name the build record, or the build task and its build number'
    )
  }
  if (jobId === '' || buildNumber === '') {
    const [given, missing] =
      jobId === '' ? [Inputs.BuildNumber, Inputs.JobId] : [Inputs.JobId, Inputs.BuildNumber]
    throw new InputError(missing, `is required with '${given}': give both, or record-id instead`)
  }
  return {
    jobId: checkJobId(jobId),
    buildNumber: checkInteger(Inputs.BuildNumber, buildNumber)
  }
}

/** Checks a service URL input is https, or http to a loopback host; never echoes a password. */
export function parseEndpoint(raw: string, input: Inputs = Inputs.Endpoint): URL {
  const shown = quote(redactUserinfo(raw))
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new InputError(input, `must be an absolute URL, got ${shown}`)
  }
  if (!isAllowedUrl(url)) {
    throw new InputError(
      input,
      `must use https:// (http:// is allowed only to 127.0.0.1, localhost or [::1]), got ${shown}`
    )
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      input,
      `must be a base URL without credentials, query or fragment, got ${shown}`
    )
  }
  return url
}

/** The folder a record's logs go to when the path input is empty. */
export function defaultLogDir(env: Env, recordId: string): string {
  return path.join(env.RUNNER_TEMP || os.tmpdir(), 'codearts-build-logs', recordId)
}

/** The artifact name for a record when the artifact-name input is empty. */
export function defaultArtifactName(recordId: string): string {
  return `codearts-build-logs-${recordId}`
}

/** Where a record's logs and artifact go: the inputs, or their defaults for the record. */
export function logDestination(inputs: ActionInputs, env: Env, recordId: string): LogDestination {
  return {
    recordId,
    dir: inputs.path ?? defaultLogDir(env, recordId),
    artifactName: inputs.artifactName ?? defaultArtifactName(recordId)
  }
}

/** What to read: the record, its stages, and whether and how long to wait for the build. */
function parseBuildInputs(env: Env) {
  const record = parseRecordSource(env)
  return {
    record,
    stages: parseTaskNames(readInput(env, Inputs.TaskNames)),
    wholeLog: readBoolean(env, Inputs.WholeLog),
    // A build this step starts is followed to its end unless told otherwise.
    waitMinutes:
      readInteger(env, Inputs.WaitMinutes) ?? ('start' in record ? START_WAIT_MINUTES : 0),
    pollSeconds: readInteger(env, Inputs.PollSeconds),
    logLevel: readChoice(env, Inputs.LogLevel) satisfies LogLevel,
    compress: readBoolean(env, Inputs.Compress)
  }
}

/** Where CodeArts and IAM are, and how to sign in to them. */
function parseServiceInputs(env: Env) {
  const given = readInput(env, Inputs.Region)
  const region = given || readEnv(env, EnvVars.Region) || DEFAULT_REGION
  if (!REGION.test(region)) {
    const source = given ? '' : ` (from ${EnvVars.Region})`
    throw new InputError(
      Inputs.Region,
      `must be a Huawei Cloud region such as cn-north-4, got ${quote(region)}${source}`
    )
  }
  const endpoint = parseEndpoint(
    readInput(env, Inputs.Endpoint) || `https://cloudbuild-ext.${region}.myhuaweicloud.com`
  )
  return { region, endpoint }
}

/** Where the logs go and how they are uploaded. */
function parseUploadInputs(env: Env) {
  const artifactName = readInput(env, Inputs.ArtifactName) || undefined
  if (artifactName !== undefined && ARTIFACT_NAME_FORBIDDEN.test(artifactName)) {
    throw new InputError(
      Inputs.ArtifactName,
      `may not contain " < > : | * ? \\ / or line breaks, got ${quote(artifactName)}`
    )
  }
  const rawPath = readInput(env, Inputs.Path)
  return {
    upload: readBoolean(env, Inputs.Upload),
    artifactName,
    retentionDays: readInteger(env, Inputs.RetentionDays),
    path: rawPath === '' ? undefined : path.resolve(env.GITHUB_WORKSPACE || process.cwd(), rawPath)
  }
}

/** How the step behaves: failing, stopping, following, pacing and reporting. */
function parseBehaviourInputs(env: Env) {
  return {
    failOnError: readBoolean(env, Inputs.FailOnError),
    failOnBuildFailure: readBoolean(env, Inputs.FailOnBuildFailure),
    stopOnCancel: readBoolean(env, Inputs.StopOnCancel),
    followLog: readBoolean(env, Inputs.FollowLog),
    concurrency: readInteger(env, Inputs.Concurrency),
    compressionLevel: readInteger(env, Inputs.CompressionLevel),
    maxAttempts: readInteger(env, Inputs.MaxAttempts),
    timeoutMs: readInteger(env, Inputs.TimeoutSeconds) * 1000,
    summary: readBoolean(env, Inputs.Summary),
    buildErrorAnnotations: readInteger(env, Inputs.BuildErrorAnnotations)
  }
}

/** Parses and validates every input from the runner's environment; throws InputError on the first bad one. */
export function getInputs(env: Env = process.env): ActionInputs {
  const build = parseBuildInputs(env)
  const service = parseServiceInputs(env)
  const upload = parseUploadInputs(env)
  const behaviour = parseBehaviourInputs(env)
  const iamEndpoint = parseEndpoint(
    readInput(env, Inputs.IamEndpoint) || `https://iam.${service.region}.myhuaweicloud.com`,
    Inputs.IamEndpoint
  )
  const auth = resolveCredentials(env, { region: service.region, iamEndpoint })
  const githubToken = readInput(env, Inputs.GithubToken)
  return { ...build, ...service, ...upload, ...behaviour, auth, githubToken }
}
