import * as os from 'node:os'
import * as path from 'node:path'
import {
  DEFAULT_BUILD_ERROR_ANNOTATIONS,
  DEFAULT_COMPRESSION_LEVEL,
  DEFAULT_CONCURRENCY,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_TIMEOUT_SECONDS,
  DEFAULT_REGION,
  EnvVars,
  Inputs,
  MAX_CONCURRENCY
} from './constants.js'
import type { LogLevel } from './codearts/client.js'
import { resolveCredentials, type AuthConfig } from './credentials-input.js'
import { InputError } from './errors.js'
import { isAllowedUrl, redactUserinfo } from './codearts/url-policy.js'
import { quote, readEnv, readInput, type Env } from './input-reader.js'

/** Every input, parsed and validated. */
export interface ActionInputs {
  recordId: string
  taskNames: string[]
  logLevel: LogLevel
  compress: boolean
  region: string
  endpoint: URL
  auth: AuthConfig
  path: string
  upload: boolean
  artifactName: string
  retentionDays?: number
  failOnError: boolean
  concurrency: number
  compressionLevel: number
  maxAttempts: number
  timeoutMs: number
  summary: boolean
  buildErrorAnnotations: number
}

const RECORD_ID = /^[0-9a-z-]{36}$/
const STAGE_NAME = /^stage[1-9][0-9]{0,3}$/
const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']
const REGION = /^[a-z]{2,}(-[a-z0-9]+)+$/
// Artifact names may not hold these (the results service rejects them).
const ARTIFACT_NAME_FORBIDDEN = /["<>:|*?\\/\r\n]/

function parseBoolean(env: Env, name: Inputs, fallback: boolean): boolean {
  const raw = readInput(env, name)
  if (raw === '') return fallback
  if (TRUE_VALUES.includes(raw)) return true
  if (FALSE_VALUES.includes(raw)) return false
  throw new InputError(name, `must be a YAML boolean (true or false), got ${quote(raw)}`)
}

function parseInteger(env: Env, name: Inputs, min: number, max: number): number | undefined {
  const raw = readInput(env, name)
  if (raw === '') return undefined
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(name, `must be a whole number from ${min} to ${max}, got ${quote(raw)}`)
  }
  return value
}

/** Splits `task-names` on commas, spaces and new lines; checks each is `stageN`; drops repeats. */
export function parseTaskNames(raw: string): string[] {
  const names = raw.split(/[\s,]+/).filter(name => name !== '')
  if (names.length === 0) {
    throw new InputError(Inputs.TaskNames, 'is required: give stage names such as "stage1, stage2"')
  }
  for (const name of names) {
    if (!STAGE_NAME.test(name)) {
      throw new InputError(
        Inputs.TaskNames,
        `has ${quote(name)}, which is not a build action name: use stageN with N from 1 (stage1 is the first action)`
      )
    }
  }
  return [...new Set(names)]
}

/** Checks the endpoint is an https URL, or http to a loopback host; never echoes a password. */
export function parseEndpoint(raw: string): URL {
  const shown = quote(redactUserinfo(raw))
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new InputError(Inputs.Endpoint, `must be an absolute URL, got ${shown}`)
  }
  if (!isAllowedUrl(url)) {
    throw new InputError(
      Inputs.Endpoint,
      `must use https:// (http:// is allowed only to 127.0.0.1, localhost or [::1]), got ${shown}`
    )
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      Inputs.Endpoint,
      `must be a base URL without credentials, query or fragment, got ${shown}`
    )
  }
  return url
}

function resolveLogDir(env: Env, raw: string, recordId: string): string {
  const workspace = env.GITHUB_WORKSPACE || process.cwd()
  if (raw !== '') return path.resolve(workspace, raw)
  return path.join(env.RUNNER_TEMP || os.tmpdir(), 'codearts-build-logs', recordId)
}

/** Parses and validates every input from the runner's environment; throws InputError on the first bad one. */
export function getInputs(env: Env = process.env): ActionInputs {
  const recordId = readInput(env, Inputs.RecordId)
  if (!RECORD_ID.test(recordId)) {
    throw new InputError(
      Inputs.RecordId,
      `must be a build record ID of 36 characters from 0-9, a-z and -, got ${quote(recordId)}`
    )
  }
  const taskNames = parseTaskNames(readInput(env, Inputs.TaskNames))

  const level = readInput(env, Inputs.LogLevel).toUpperCase() || 'INFO'
  if (level !== 'INFO' && level !== 'DEBUG') {
    throw new InputError(
      Inputs.LogLevel,
      `must be INFO or DEBUG, got ${quote(readInput(env, Inputs.LogLevel))}`
    )
  }

  const compress = parseBoolean(env, Inputs.Compress, false)
  const region = readInput(env, Inputs.Region) || readEnv(env, EnvVars.Region) || DEFAULT_REGION
  if (!REGION.test(region)) {
    const source = readInput(env, Inputs.Region) ? '' : ` (from ${EnvVars.Region})`
    throw new InputError(
      Inputs.Region,
      `must be a Huawei Cloud region such as cn-north-4, got ${quote(region)}${source}`
    )
  }
  const endpoint = parseEndpoint(
    readInput(env, Inputs.Endpoint) || `https://cloudbuild-ext.${region}.myhuaweicloud.com`
  )

  const upload = parseBoolean(env, Inputs.Upload, true)
  const artifactName = readInput(env, Inputs.ArtifactName) || `codearts-build-logs-${recordId}`
  if (ARTIFACT_NAME_FORBIDDEN.test(artifactName)) {
    throw new InputError(
      Inputs.ArtifactName,
      `may not contain " < > : | * ? \\ / or line breaks, got ${quote(artifactName)}`
    )
  }
  const retentionDays = parseInteger(env, Inputs.RetentionDays, 1, 90)
  const failOnError = parseBoolean(env, Inputs.FailOnError, true)
  const concurrency =
    parseInteger(env, Inputs.Concurrency, 1, MAX_CONCURRENCY) ?? DEFAULT_CONCURRENCY
  const compressionLevel =
    parseInteger(env, Inputs.CompressionLevel, 0, 9) ?? DEFAULT_COMPRESSION_LEVEL
  const maxAttempts = parseInteger(env, Inputs.MaxAttempts, 1, 10) ?? DEFAULT_MAX_ATTEMPTS
  const timeoutSeconds =
    parseInteger(env, Inputs.TimeoutSeconds, 1, 3600) ?? DEFAULT_TIMEOUT_SECONDS
  const summary = parseBoolean(env, Inputs.Summary, true)
  const buildErrorAnnotations =
    parseInteger(env, Inputs.BuildErrorAnnotations, 0, 10) ?? DEFAULT_BUILD_ERROR_ANNOTATIONS
  const auth = resolveCredentials(env)

  return {
    recordId,
    taskNames,
    logLevel: level,
    compress,
    region,
    endpoint,
    auth,
    path: resolveLogDir(env, readInput(env, Inputs.Path), recordId),
    upload,
    artifactName,
    retentionDays,
    failOnError,
    concurrency,
    compressionLevel,
    maxAttempts,
    timeoutMs: timeoutSeconds * 1000,
    summary,
    buildErrorAnnotations
  }
}
