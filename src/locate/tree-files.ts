import { errorMessage } from '../errors.js'
import { ApiError, summarizeApiError, type ApiErrorDetails } from '../http/api-error.js'
import { objectOf } from '../http/json-object.js'
import { withBudget } from '../http/clock.js'
import { HttpTransport, sameOriginOnly, urlBelow, type RefusalWording } from '../http/transport.js'
import { isAllowedUrl } from '../http/url-policy.js'
import { quote } from '../input-reader.js'
import { sanitizeForLog } from '../server-text.js'
import { isFullCommit, isRepositoryName, LOCATE_BUDGET_MS, type FileList } from './repo-files.js'

/** Which repository's tree to ask GitHub for, and with what. */
export interface TreeQuery {
  /** GITHUB_API_URL: the only host the token goes to; there is no default. */
  apiUrl: string
  /** GITHUB_REPOSITORY, `owner/repo`. */
  repository: string
  /** The github-token input; no request without one. */
  token: string
  /** The whole commit ID to list. */
  commit: string
  /** GITHUB_SHA: asked for once more after a 404 or 422 for `commit`, when it is another commit. */
  fallbackCommit?: string
  /** Both requests together get this long; 10 s by default. */
  budgetMs?: number
  signal?: AbortSignal
}

/** GitHub cuts a recursive tree at 100,000 entries and 7 MB; this leaves room for its JSON. */
const TREE_BODY_LIMIT = 16 * 1024 * 1024
/** The statuses of a commit GitHub does not know (or will not show): GITHUB_SHA is asked next. */
const UNKNOWN_COMMIT = new Set([404, 422])

class GitHubApiError extends ApiError {
  constructor(details: ApiErrorDetails) {
    super(details, `GitHub answered ${summarizeApiError(details)}`)
    this.name = 'GitHubApiError'
  }

  get title(): string {
    return 'GitHub API error'
  }
}

/** Why a query cannot be asked: a missing token or API URL, or one the action may not use. */
function refusal(query: TreeQuery, api: URL | undefined): string | undefined {
  if (query.token === '') return 'the github-token input is empty'
  if (query.apiUrl === '') return 'GITHUB_API_URL is not set'
  if (!api || !isAllowedUrl(api)) {
    return `GITHUB_API_URL ${quote(query.apiUrl)} is not an https URL (or http to this machine)`
  }
  if (!isRepositoryName(query.repository)) {
    return `GITHUB_REPOSITORY ${quote(query.repository)} is not owner/repo`
  }
  if (!isFullCommit(query.commit)) return `${quote(query.commit)} is not a whole commit ID`
  return undefined
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text)
  } catch {
    return undefined
  }
}

/** The blobs of a trees answer (`{tree: [{path, type}], truncated}`); throws when it is none. */
export function readTree(body: string): { paths: string[]; truncated: boolean } {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    throw new Error('the answer is not JSON')
  }
  const answer = objectOf(parsed)
  if (!answer || !Array.isArray(answer.tree)) throw new Error('the answer holds no `tree` list')
  const paths: string[] = []
  for (const item of answer.tree) {
    const entry = objectOf(item)
    if (entry?.type === 'blob' && typeof entry.path === 'string') paths.push(entry.path)
  }
  return { paths, truncated: answer.truncated === true }
}

/** What to check after an error answer, by its status. */
function advice(error: unknown): string {
  if (!(error instanceof ApiError)) return ''
  const { status } = error.details
  if (status === 404) {
    return '; the github-token needs `contents: read` on the repository (a private repository answers 404 without it)'
  }
  if (status === 403 || status === 429) return '; not retried, to spare the token’s hourly budget'
  return ''
}

/** Read only for the debug line: a refused exchange costs the file list, never the step. */
const TREE_REFUSALS: RefusalWording = {
  title: refusal => `GitHub API: ${refusal}`,
  advice: 'Check GITHUB_API_URL: it must be the GitHub API that serves the repository.'
}

/**
 * The files of `repository` at `commit` from GitHub's trees API (`GET {GITHUB_API_URL}/repos/
 * {owner}/{repo}/git/trees/{commit}?recursive=1`): one request, and one more for GITHUB_SHA
 * after a 404 or 422; no retries (a token has an hourly budget); within the budget in all;
 * answers up to TREE_BODY_LIMIT; only blobs, and a truncated tree as far as it goes. The
 * token goes to GITHUB_API_URL's origin only. Undefined, with one line for `debug`, on any
 * failure and without a token or API URL (then nothing is asked).
 */
export async function treeFiles(
  query: TreeQuery,
  debug: (line: string) => void
): Promise<FileList | undefined> {
  const api = parseUrl(query.apiUrl)
  const refused = refusal(query, api)
  if (refused !== undefined || !api) {
    debug(`The GitHub API was not asked for the files of the repository: ${refused}`)
    return undefined
  }
  const budgetMs = query.budgetMs ?? LOCATE_BUDGET_MS
  const { budget, signal } = withBudget(budgetMs, query.signal)
  const transport = new HttpTransport({
    timeoutMs: budgetMs,
    bodyLimit: TREE_BODY_LIMIT,
    redirects: sameOriginOnly(api, 'The GitHub API', 'the github-token'),
    refusals: TREE_REFUSALS,
    toError: details => new GitHubApiError(details)
  })
  const headersFor = async (to: URL): Promise<Record<string, string>> => ({
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    ...(to.origin === api.origin ? { Authorization: `Bearer ${query.token}` } : {})
  })
  const list = async (commit: string): Promise<FileList> => {
    const url = urlBelow(api, `/repos/${query.repository}/git/trees/${commit}`, { recursive: '1' })
    const answer = await transport.fetch({ method: 'GET', url }, headersFor, signal)
    return { commit, ...readTree(answer.body), source: 'the GitHub API' }
  }
  const { commit, fallbackCommit } = query
  let asked = `at ${commit}`
  try {
    try {
      return await list(commit)
    } catch (error) {
      const status = error instanceof ApiError ? error.details.status : 0
      const other = fallbackCommit?.toLowerCase()
      if (!UNKNOWN_COMMIT.has(status) || !isFullCommit(other) || other === commit.toLowerCase()) {
        throw error
      }
      asked = `at ${commit} (HTTP ${status}), then at ${other}`
      return await list(other)
    }
  } catch (error) {
    const reason = budget.aborted
      ? `no answer in ${budgetMs / 1000} s`
      : `${sanitizeForLog(errorMessage(error))}${advice(error)}`
    debug(
      `Could not list the files of ${query.repository} ${asked} through the GitHub API: ${reason}`
    )
    return undefined
  } finally {
    transport.dispose()
  }
}
