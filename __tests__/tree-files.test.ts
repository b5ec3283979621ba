import { afterEach, describe, expect, it } from '@jest/globals'
import {
  startGitHubApi,
  type GitHubApi,
  type GitHubApiOptions
} from '../__fixtures__/github-api-server.js'
import type { FileList } from '../src/locate/repo-files.js'
import { treeFiles, type TreeQuery } from '../src/locate/tree-files.js'

const TOKEN = 'ghs_treesTestToken0123456789'
const REPOSITORY = 'octo-org/octo-repo'
const COMMIT = '1111111111111111111111111111111111111111'
const GITHUB_SHA = '2222222222222222222222222222222222222222'
const FILES = ['pom.xml', 'src/main/java/com/example/Order.java', 'web/src/app.ts']
const MiB = 1024 * 1024

const servers: GitHubApi[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map(server => server.close()))
})

async function api(options: Partial<GitHubApiOptions> = {}): Promise<GitHubApi> {
  const server = await startGitHubApi({
    token: TOKEN,
    repository: REPOSITORY,
    trees: { [COMMIT]: { files: FILES, submodules: ['vendor/lib'] } },
    ...options
  })
  servers.push(server)
  return server
}

/** Calls treeFiles and keeps its debug lines. */
async function ask(
  server: GitHubApi | undefined,
  query: Partial<TreeQuery> = {}
): Promise<{ list: FileList | undefined; lines: string[] }> {
  const lines: string[] = []
  const list = await treeFiles(
    {
      apiUrl: server?.url ?? '',
      repository: REPOSITORY,
      token: TOKEN,
      commit: COMMIT,
      fallbackCommit: GITHUB_SHA,
      ...query
    },
    line => lines.push(line)
  )
  return { list, lines }
}

const treePath = (commit: string, base = ''): string =>
  `${base}/repos/${REPOSITORY}/git/trees/${commit}?recursive=1`

/** What a refused exchange advises, after what happened. */
const ADVICE = 'Check GITHUB_API_URL: it must be the GitHub API that serves the repository.'

describe("treeFiles: the repository's files from GitHub's trees API", () => {
  it('asks once with the documented headers and keeps only the blobs', async () => {
    const server = await api()
    const { list, lines } = await ask(server)
    expect(lines).toEqual([])
    expect(list).toEqual({
      commit: COMMIT,
      paths: [...FILES].sort(),
      source: 'the GitHub API',
      truncated: false
    })
    expect(server.requests).toHaveLength(1)
    const [request] = server.requests
    expect(request.method).toBe('GET')
    expect(request.path).toBe(treePath(COMMIT))
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`)
    expect(request.headers.accept).toBe('application/vnd.github+json')
    expect(request.headers['x-github-api-version']).toBe('2022-11-28')
    expect(request.headers['user-agent']).toMatch(/codearts-build-logs/)
  })

  it('reaches GHES below its API path', async () => {
    const server = await api({ basePath: '/api/v3' })
    const { list } = await ask(server)
    expect(list?.paths).toEqual([...FILES].sort())
    expect(server.requests.map(r => r.path)).toEqual([treePath(COMMIT, '/api/v3')])
  })

  it.each([404, 422])('asks once more with GITHUB_SHA after a %i for the commit', async status => {
    const server = await api({
      trees: { [GITHUB_SHA]: { files: ['merge.txt'] } },
      script: [{ status, body: { message: 'No commit found for SHA' } }]
    })
    const { list, lines } = await ask(server)
    expect(lines).toEqual([])
    expect(list?.commit).toBe(GITHUB_SHA)
    expect(list?.paths).toEqual(['merge.txt'])
    expect(server.requests.map(r => r.path)).toEqual([treePath(COMMIT), treePath(GITHUB_SHA)])
  })

  it('asks only once when GITHUB_SHA is the same commit, and says what the token needs', async () => {
    const server = await api({ trees: {} })
    const { list, lines } = await ask(server, { fallbackCommit: COMMIT.toUpperCase() })
    expect(list).toBeUndefined()
    expect(server.requests).toHaveLength(1)
    expect(lines).toEqual([
      `Could not list the files of ${REPOSITORY} at ${COMMIT} through the GitHub API: GitHub answered 404 Not Found; the github-token needs \`contents: read\` on the repository (a private repository answers 404 without it)`
    ])
  })

  it('says which commits were asked for when both are unknown', async () => {
    const server = await api({ trees: {} })
    const { list, lines } = await ask(server)
    expect(list).toBeUndefined()
    expect(server.requests).toHaveLength(2)
    expect(lines).toHaveLength(1)
    expect(lines[0]).toContain(`at ${COMMIT} (HTTP 404), then at ${GITHUB_SHA} through`)
  })

  it.each([403, 429])('never retries a %i: a token has an hourly budget', async status => {
    const server = await api({
      script: [
        {
          status,
          body: { message: 'API rate limit exceeded for installation ID 1.' },
          headers: { 'retry-after': '1', 'x-ratelimit-remaining': '0' }
        }
      ]
    })
    const { list, lines } = await ask(server)
    expect(list).toBeUndefined()
    expect(server.requests).toHaveLength(1)
    expect(lines).toEqual([
      `Could not list the files of ${REPOSITORY} at ${COMMIT} through the GitHub API: GitHub answered ${status} API rate limit exceeded for installation ID 1.; not retried, to spare the token’s hourly budget`
    ])
  })

  it('gives up when the budget runs out on an API that hangs', async () => {
    const server = await api({ script: ['hang'] })
    const started = Date.now()
    const { list, lines } = await ask(server, { budgetMs: 500 })
    expect(Date.now() - started).toBeLessThan(5000)
    expect(list).toBeUndefined()
    expect(server.requests).toHaveLength(1)
    expect(lines).toEqual([
      `Could not list the files of ${REPOSITORY} at ${COMMIT} through the GitHub API: no answer in 0.5 s`
    ])
  })

  it('gives up on an answer that is not a tree', async () => {
    const server = await api({ script: ['garbage', { status: 200, body: { tree: 'no' } }] })
    expect((await ask(server)).lines).toEqual([
      `Could not list the files of ${REPOSITORY} at ${COMMIT} through the GitHub API: the answer is not JSON`
    ])
    expect((await ask(server)).lines).toEqual([
      `Could not list the files of ${REPOSITORY} at ${COMMIT} through the GitHub API: the answer holds no \`tree\` list`
    ])
    expect(server.requests).toHaveLength(2)
  })

  it('uses a truncated tree as far as it goes', async () => {
    // Sorted entries: pom.xml, src, src/main, …, src/main/java/com/example/Order.java, web, …
    const server = await api({ trees: { [COMMIT]: { files: FILES, truncateAt: 7 } } })
    const { list, lines } = await ask(server)
    expect(lines).toEqual([])
    expect(list?.truncated).toBe(true)
    expect(list?.paths).toEqual(['pom.xml', 'src/main/java/com/example/Order.java'])
  })

  it('reads answers up to 16 MiB and refuses a larger one', async () => {
    const server = await api({ script: [{ hugeBytes: 12 * MiB }, { hugeBytes: 17 * MiB }] })
    const big = await ask(server)
    expect(big.lines).toEqual([])
    expect(big.list?.paths.length).toBeGreaterThan(100_000)
    const huge = await ask(server)
    expect(huge.list).toBeUndefined()
    expect(huge.lines).toEqual([
      `Could not list the files of ${REPOSITORY} at ${COMMIT} through the GitHub API: the response was larger than 16 MiB, far above any real answer; it was not read. ${ADVICE}`
    ])
  })

  it('says so when the token is refused', async () => {
    const server = await api()
    const { list, lines } = await ask(server, { token: 'ghs_wrong' })
    expect(list).toBeUndefined()
    expect(lines[0]).toContain('GitHub answered 401 Bad credentials')
    expect(lines.join('\n')).not.toContain('ghs_wrong')
  })

  it('asks nothing without a token, an API URL, or with an API URL it may not use', async () => {
    const server = await api()
    const cases: [Partial<TreeQuery>, string][] = [
      [{ token: '' }, 'the github-token input is empty'],
      [{ apiUrl: '' }, 'GITHUB_API_URL is not set'],
      [
        { apiUrl: 'http://api.github.example.com' },
        'GITHUB_API_URL "http://api.github.example.com" is not an https URL (or http to this machine)'
      ],
      [
        { apiUrl: 'not a url' },
        'GITHUB_API_URL "not a url" is not an https URL (or http to this machine)'
      ],
      [{ repository: '../other/repo' }, 'GITHUB_REPOSITORY "../other/repo" is not owner/repo'],
      [{ repository: 'octo-org/..' }, 'GITHUB_REPOSITORY "octo-org/.." is not owner/repo'],
      [{ commit: 'main' }, '"main" is not a whole commit ID']
    ]
    for (const [query, why] of cases) {
      const { list, lines } = await ask(server, query)
      expect(list).toBeUndefined()
      expect(lines).toEqual([
        `The GitHub API was not asked for the files of the repository: ${why}`
      ])
    }
    expect(server.requests).toEqual([])
  })

  it('follows a redirect within its origin, and never takes the token to another', async () => {
    const server = await api({ script: [{ status: 301, headers: { location: treePath(COMMIT) } }] })
    const followed = await ask(server)
    expect(followed.list?.paths).toEqual([...FILES].sort())
    expect(server.requests.map(r => r.headers.authorization)).toEqual([
      `Bearer ${TOKEN}`,
      `Bearer ${TOKEN}`
    ])
    const elsewhere = await api()
    const redirecting = await api({
      script: [{ status: 302, headers: { location: `${elsewhere.url}${treePath(COMMIT)}` } }]
    })
    const refused = await ask(redirecting)
    expect(refused.list).toBeUndefined()
    expect(refused.lines).toEqual([
      `Could not list the files of ${REPOSITORY} at ${COMMIT} through the GitHub API: The GitHub API redirected to ${new URL(elsewhere.url).origin}; the github-token is only sent to ${new URL(redirecting.url).origin}. ${ADVICE}`
    ])
    expect(elsewhere.requests).toEqual([])
  })
})
