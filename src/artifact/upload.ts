import { errorMessage } from '../errors.js'

/** Where the uploaded artifact can be found. */
export interface UploadedArtifact {
  id: number
  /** '' when the run is unknown; `noUrlReason` then says why. */
  url: string
  digest: string
  noUrlReason?: string
}

interface UploadRequest {
  name: string
  files: string[]
  rootDir: string
  retentionDays?: number
  compressionLevel: number
}

const RUN_VARIABLES = ['GITHUB_REPOSITORY', 'GITHUB_RUN_ID'] as const

/** Why an artifact cannot be linked: the run's variables that are not set; undefined when all are. */
export function noArtifactUrlReason(env: Record<string, string | undefined>): string | undefined {
  const missing = RUN_VARIABLES.filter(name => !env[name])
  if (missing.length === 0) return undefined
  const verb = missing.length === 1 ? 'is' : 'are'
  return `no link to the artifact: ${missing.join(' and ')} ${verb} not set, so the workflow run is unknown`
}

/**
 * The run page link GitHub gives an artifact, built as actions/upload-artifact builds it; ''
 * when the repository or run ID is unknown (as under `@github/local-action`).
 */
export function artifactUrl(env: Record<string, string | undefined>, id: number): string {
  if (noArtifactUrlReason(env) !== undefined) return ''
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  return `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/artifacts/${id}`
}

/** Turns an upload failure into a message that says what to do about it. */
export function describeUploadError(name: string, error: unknown): string {
  const message = errorMessage(error)
  const conflict = /\b409\b|conflict|already exists/i.test(message)
  const advice = conflict
    ? ` An artifact named "${name}" already exists in this workflow run (common in matrix jobs): give each job a unique artifact-name.`
    : ''
  return `failed to upload the logs as artifact "${name}": ${message}.${advice} The logs are still on the runner.`
}

/** Uploads the files as one zip artifact with the files at its root. */
export async function uploadArtifact(
  request: UploadRequest,
  env: Record<string, string | undefined> = process.env
): Promise<UploadedArtifact> {
  // Loaded only when an upload happens: the artifact client and Azure SDK are most of the bundle.
  const { DefaultArtifactClient } = await import('@actions/artifact')
  const result = await new DefaultArtifactClient().uploadArtifact(
    request.name,
    request.files,
    request.rootDir,
    { retentionDays: request.retentionDays, compressionLevel: request.compressionLevel }
  )
  // Cannot reach a user with @actions/artifact 6: its result always has a numeric `id` (it throws
  // when the service does not finalize the upload), though its type leaves `id` optional. Were it
  // met, tryUpload would report it like any failed upload.
  if (result.id === undefined) throw new Error('the artifact service returned no artifact ID')
  return {
    id: result.id,
    url: artifactUrl(env, result.id),
    digest: result.digest ?? '',
    noUrlReason: noArtifactUrlReason(env)
  }
}
