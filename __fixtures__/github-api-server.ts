import { createHash } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'

/** One commit's tree as the emulator serves it. */
export interface EmulatedTree {
  /** The files, relative to the repository's top; their folders are listed as `tree` entries. */
  files: string[]
  /** Submodules: listed as `commit` entries (mode 160000), as GitHub lists them. */
  submodules?: string[]
  /** Answer `truncated: true` with only this many first entries, as GitHub does past its limits. */
  truncateAt?: number
}

/** An answer given instead of the tree. */
export type ScriptedAnswer =
  | { status: number; body?: string | object; headers?: Record<string, string> }
  /** Accept the request and never answer. */
  | 'hang'
  /** A 200 whose body is not JSON, as a captive portal or proxy error page sends. */
  | 'garbage'
  /** A 200 with a JSON tree of this many bytes, streamed. */
  | { hugeBytes: number }

/** A request as the emulator received it. */
export interface ReceivedRequest {
  method: string
  /** The path with its query, as sent. */
  path: string
  headers: http.IncomingHttpHeaders
}

/** How the emulated GitHub REST API behaves. */
export interface GitHubApiOptions {
  /** The token it accepts as `Authorization: Bearer …`. */
  token: string
  /** `owner/repo`, compared case-insensitively as GitHub does. */
  repository: string
  /** Trees by commit ID; any other commit answers 404. */
  trees: Record<string, EmulatedTree>
  /** Answers given, in order, to the first requests (once authenticated); later ones get the tree. */
  script?: ScriptedAnswer[]
  /** Where the API lives below the host: '' like api.github.com, `/api/v3` like GHES. */
  basePath?: string
}

export interface GitHubApi {
  /** What the runner sets as GITHUB_API_URL. */
  url: string
  /** Every request, in order. */
  requests: ReceivedRequest[]
  close(): Promise<void>
}

const DOCS = 'https://docs.github.com/rest/git/trees#get-a-tree'

/** An object ID for an entry: its path's SHA-1, so each entry has its own. */
function sha(path: string): string {
  return createHash('sha1').update(path).digest('hex')
}

interface TreeEntry {
  path: string
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  size?: number
}

/** The entries of a recursive tree, as GitHub lists them: folders, files and submodules by path. */
function treeEntries(tree: EmulatedTree): TreeEntry[] {
  const entries = new Map<string, TreeEntry>()
  const folders = (file: string): void => {
    const parts = file.split('/')
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/')
      entries.set(folder, { path: folder, mode: '040000', type: 'tree', sha: sha(folder) })
    }
  }
  for (const file of tree.files) {
    folders(file)
    entries.set(file, { path: file, mode: '100644', type: 'blob', sha: sha(file), size: 1 })
  }
  for (const module of tree.submodules ?? []) {
    folders(module)
    entries.set(module, { path: module, mode: '160000', type: 'commit', sha: sha(module) })
  }
  return [...entries.keys()].sort().map(key => entries.get(key) as TreeEntry)
}

/** Streams a 200 JSON tree of about `bytes` bytes. */
function sendHuge(res: http.ServerResponse, bytes: number): void {
  res.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8' })
  const entry = JSON.stringify({ path: 'src/generated/file.ts', mode: '100644', type: 'blob' })
  const chunk = Buffer.from(`${Array(1000).fill(entry).join(',')},`)
  let sent = 0
  const write = (): void => {
    while (sent < bytes) {
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', write)
    }
    res.end(`${entry}],"truncated":false}`)
  }
  res.write('{"sha":"0","tree":[')
  write()
}

/**
 * Starts an emulator of GitHub's trees endpoint (`GET /repos/{owner}/{repo}/git/trees/{sha}
 * ?recursive=1`) on 127.0.0.1: checks the bearer token, answers each commit's tree as GitHub
 * does (folders, files, submodules; `truncated`), 404 for an unknown repository or commit, and
 * can be scripted to refuse, hang, or answer garbage or a huge body.
 */
export async function startGitHubApi(options: GitHubApiOptions): Promise<GitHubApi> {
  const requests: ReceivedRequest[] = []
  const script = [...(options.script ?? [])]
  const base = options.basePath ?? ''
  const server = http.createServer((req, res) => {
    requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers })
    const send = (status: number, body: object, headers: Record<string, string> = {}): void => {
      res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers })
      res.end(JSON.stringify(body))
    }
    const error = (status: number, message: string): void =>
      send(status, { message, documentation_url: DOCS, status: String(status) })
    if (req.headers.authorization !== `Bearer ${options.token}`) {
      return error(401, 'Bad credentials')
    }
    const url = new URL(req.url ?? '/', 'http://127.0.0.1')
    const route = new RegExp(`^${base}/repos/([^/]+/[^/]+)/git/trees/([^/]+)$`).exec(url.pathname)
    if (req.method !== 'GET' || !route) return error(404, 'Not Found')
    const next = script.shift()
    if (next === 'hang') return
    if (next === 'garbage') {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      return void res.end('<html><body>Proxy error: upstream timed out</body></html>')
    }
    if (next && 'hugeBytes' in next) return sendHuge(res, next.hugeBytes)
    if (next) {
      res.writeHead(next.status, { 'Content-Type': 'application/json', ...next.headers })
      return void res.end(typeof next.body === 'string' ? next.body : JSON.stringify(next.body))
    }
    const [, repository, commit] = route
    const tree = options.trees[commit]
    if (repository.toLowerCase() !== options.repository.toLowerCase() || !tree) {
      return error(404, 'Not Found')
    }
    const all = treeEntries(tree)
    const entries = url.searchParams.get('recursive')
      ? all
      : all.filter(entry => !entry.path.includes('/'))
    const cut = tree.truncateAt ?? entries.length
    send(200, {
      sha: commit,
      url: `http://127.0.0.1${base}/repos/${repository}/git/trees/${commit}`,
      tree: entries.slice(0, cut),
      truncated: cut < entries.length
    })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}${base}`,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
