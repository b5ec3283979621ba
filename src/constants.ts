/** Names of the action's inputs, exactly as `action.yml` declares them. */
export enum Inputs {
  RecordId = 'record-id',
  JobId = 'job-id',
  BuildNumber = 'build-number',
  StartBuild = 'start-build',
  Parameters = 'parameters',
  Branch = 'branch',
  Tag = 'tag',
  Commit = 'commit',
  FailOnBuildFailure = 'fail-on-build-failure',
  StopOnCancel = 'stop-on-cancel',
  TaskNames = 'task-names',
  WholeLog = 'whole-log',
  FollowLog = 'follow-log',
  WaitMinutes = 'wait-minutes',
  PollSeconds = 'poll-seconds',
  LogLevel = 'log-level',
  Compress = 'compress',
  Region = 'region',
  Endpoint = 'endpoint',
  Token = 'token',
  AccessKeyId = 'access-key-id',
  SecretAccessKey = 'secret-access-key',
  SecurityToken = 'security-token',
  ProjectId = 'project-id',
  IdentityProvider = 'identity-provider',
  Audience = 'audience',
  IamEndpoint = 'iam-endpoint',
  Path = 'path',
  Upload = 'upload',
  ArtifactName = 'artifact-name',
  RetentionDays = 'retention-days',
  FailOnError = 'fail-on-error',
  Concurrency = 'concurrency',
  CompressionLevel = 'compression-level',
  MaxAttempts = 'max-attempts',
  Summary = 'summary',
  BuildErrorAnnotations = 'build-error-annotations',
  TimeoutSeconds = 'timeout-seconds',
  GithubToken = 'github-token'
}

/** Names of the action's outputs, exactly as `action.yml` declares them. */
export enum Outputs {
  BuildNumber = 'build-number',
  RecordId = 'record-id',
  BuildStatus = 'build-status',
  LogDir = 'log-dir',
  Files = 'files',
  Stages = 'stages',
  FailedStages = 'failed-stages',
  ArtifactId = 'artifact-id',
  ArtifactUrl = 'artifact-url',
  ArtifactDigest = 'artifact-digest',
  Tests = 'tests',
  Packages = 'packages',
  FailedTests = 'failed-tests',
  BuildErrors = 'build-errors'
}

/** Inputs whose values are secrets: masked before anything else runs. */
export const SECRET_INPUTS: readonly Inputs[] = [
  Inputs.Token,
  Inputs.AccessKeyId,
  Inputs.SecretAccessKey,
  Inputs.SecurityToken,
  Inputs.GithubToken
]

/** The variables `huaweicloud/auth-action` exports, read when no credentials are given as inputs. */
export enum EnvVars {
  AccessKeyId = 'HUAWEI_CLOUD_ACCESS_KEY_ID',
  SecretAccessKey = 'HUAWEI_CLOUD_SECRET_ACCESS_KEY',
  SecurityToken = 'HUAWEI_CLOUD_SECURITY_TOKEN',
  Region = 'HUAWEI_CLOUD_REGION',
  ProjectId = 'HUAWEI_CLOUD_PROJECT_ID'
}

/** Environment variables whose values are secrets: masked like the secret inputs. */
export const SECRET_ENV_VARS: readonly EnvVars[] = [
  EnvVars.AccessKeyId,
  EnvVars.SecretAccessKey,
  EnvVars.SecurityToken
]

/** How long before its expires_at a federated token is replaced, so no request carries a dying one. */
export const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000

/** The annotation title of every OpenID Connect sign-in failure. */
export const OIDC_SIGN_IN_TITLE = 'Could not sign in with OpenID Connect'

/** A build record ID: 36 characters of 0-9, a-z and - (a UUID shape). */
export const RECORD_ID_PATTERN = /^[0-9a-z-]{36}$/

/** The largest build number accepted: far above any real count, small enough to stay exact. */
export const MAX_BUILD_NUMBER = 2_147_483_647

/** Requests per stage, the first included, unless max-attempts says otherwise. */
export const DEFAULT_MAX_ATTEMPTS = 4

/** How often a long download reports its progress in the job log. */
export const PROGRESS_EVERY_MS = 5_000

/** The warnings GitHub shows of one step; it drops the rest silently. */
export const SHOWN_WARNINGS = 10
/** The errors GitHub shows of one step; it drops the rest silently. */
export const SHOWN_ERRORS = 10

/**
 * The exit code of a failed step. Not `core.ExitCode.Failure`: `@github/local-action` swaps in
 * its own `@actions/core`, which has no `ExitCode`, and the runner only needs a non-zero code.
 */
export const EXIT_FAILURE = 1

/** How long a cancelled step may take to clean up before it exits regardless. */
export const CANCEL_GRACE_MS = 5_000

/**
 * How long after a cancel the answer of a start in flight, then the stop, may take: the runner
 * kills a cancelled step about 7.5 s after SIGINT.
 */
export const STOP_TIMEOUT_MS = 4_000

/** How long a start in flight at a cancel may take to answer, within STOP_TIMEOUT_MS. */
export const START_ANSWER_MS = 2_000

/** How much of an error body is read to build a message; the rest is discarded. */
export const ERROR_BODY_LIMIT = 64 * 1024

/** Sent with every request so the gateway's logs can tell this client apart. */
export const USER_AGENT = 'codearts-build-logs-action'

/** Followed build output printed at most; the rest is in the artifact. */
export const FOLLOW_CAP_BYTES = 32 * 1024 * 1024

/** The shortest time between two live log requests: 4 in any one second at most, with room for jitter. */
export const FOLLOW_PAUSE_MS = 300

/** The longest one live log request may take: a hung live log never holds the follower for long. */
export const FOLLOW_REQUEST_MS = 30_000

/** How long every answer says `has_more` before the follower says it is behind the build. */
export const FOLLOW_BEHIND_MS = 5_000

/** How long the live log is read for its last lines once the build has ended (or `poll-seconds`, if longer). */
export const FOLLOW_DRAIN_MS = 10_000
