import { execFile } from 'node:child_process'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { errorMessage } from '../errors.js'
import { withBudget } from '../http/clock.js'
import { quote } from '../input-reader.js'
import { sanitizeForLog } from '../server-text.js'
import { LOCATE_BUDGET_MS, type FileList } from './repo-files.js'

/** Where to look for a checkout, and of what. */
export interface CheckoutQuery {
  /** GITHUB_WORKSPACE: it and its direct subfolders are looked at. */
  workspace: string
  /** GITHUB_REPOSITORY, `owner/repo`: the checkout's `origin` must name it. */
  repository: string
  /** The whole commit ID the checkout's HEAD must be (a stale checkout would give wrong lines). */
  commit: string
  /** All git commands together get this long; 10 s by default. */
  budgetMs?: number
  signal?: AbortSignal
}

/** `git ls-files --stage` of a very large work tree; a larger one is left to the API. */
const MAX_LISTING_BYTES = 64 * 1024 * 1024
/** The mode git gives a submodule's entry (a gitlink): its files are not the repository's. */
const GITLINK_MODE = '160000'
/** How long a git command's complaint may be in the debug line. */
const MAX_REASON_CHARS = 300

/** Why git could not say; a folder that is not in a work tree is not such a failure. */
class GitFailure extends Error {}

/**
 * The `owner/repo` a remote URL names, lower-cased: the last two segments of its path, for
 * https and ssh URLs (`ssh://git@host/owner/repo.git`) and scp-like ones
 * (`git@host:owner/repo.git`), on any host (GHES too). Undefined for anything else.
 */
export function remoteRepository(url: string): string | undefined {
  const text = url.trim()
  let pathname: string
  const scheme = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.exec(text)
  if (scheme) {
    try {
      pathname = new URL(text).pathname
    } catch {
      return undefined
    }
  } else {
    // scp-like: `[user@]host:path`, with no slash before the colon.
    const scp = /^[^/:]+:(.+)$/.exec(text)
    if (!scp) return undefined
    pathname = scp[1]
  }
  const segments = pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .split('/')
    .filter(segment => segment !== '')
  if (segments.length < 2) return undefined
  return segments.slice(-2).join('/').toLowerCase()
}

/**
 * Runs git in `cwd` with `args`, no shell, and resolves with its output. Throws GitFailure
 * with a reason, or resolves undefined when `cwd` is not in a git work tree.
 */
function git(
  cwd: string,
  args: string[],
  signal: AbortSignal,
  maxBuffer = 1024 * 1024
): Promise<string | undefined> {
  // The runner's GIT_DIR or GIT_WORK_TREE would point every command at one repository;
  // C messages so that "not a git repository" can be told from a failure.
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', GIT_TERMINAL_PROMPT: '0' }
  delete env.GIT_DIR
  delete env.GIT_WORK_TREE
  delete env.GIT_INDEX_FILE
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd, env, signal, maxBuffer, encoding: 'utf8', windowsHide: true },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout)
        const code = (error as NodeJS.ErrnoException).code
        if (code === 'ENOENT') return reject(new GitFailure('git is not installed on the runner'))
        if (signal.aborted) return reject(signal.reason)
        if (/not a git repository/i.test(stderr)) return resolve(undefined)
        const said = sanitizeForLog(stderr.trim().replace(/\s+/g, ' ')).slice(0, MAX_REASON_CHARS)
        reject(new GitFailure(`git ${args[0]} in ${cwd} failed: ${said || errorMessage(error)}`))
      }
    )
  })
}

/** The folders to look at: the workspace, then its direct subfolders that hold a `.git`, by name. */
async function candidateFolders(workspace: string): Promise<string[]> {
  const entries = await fs.readdir(workspace, { withFileTypes: true }).catch(() => [])
  const names = entries
    .filter(entry => entry.isDirectory())
    .map(entry => entry.name)
    .sort()
  const withGit: string[] = []
  for (const name of names) {
    const folder = path.join(workspace, name)
    const hasGit = await fs.lstat(path.join(folder, '.git')).then(
      () => true,
      () => false
    )
    if (hasGit) withGit.push(folder)
  }
  return [workspace, ...withGit]
}

/** The files git tracks in a work tree, relative to its top, without submodules' gitlinks. */
function trackedFiles(listing: string): string[] {
  const paths = new Set<string>()
  for (const entry of listing.split('\0')) {
    // `<mode> <object> <stage>\t<path>`; a conflicted file is listed once per stage.
    const tab = entry.indexOf('\t')
    if (tab < 0 || entry.startsWith(GITLINK_MODE)) continue
    paths.add(entry.slice(tab + 1))
  }
  return [...paths]
}

/**
 * The work tree at `folder` when its `origin` names the repository and its HEAD is the commit:
 * its top; undefined when it is not such a work tree.
 */
async function matchingTop(
  folder: string,
  query: CheckoutQuery,
  seen: Set<string>,
  signal: AbortSignal
): Promise<string | undefined> {
  const revParse = await git(folder, ['rev-parse', '--show-toplevel', 'HEAD'], signal)
  if (revParse === undefined) return undefined
  const [top, head] = revParse.trim().split('\n')
  if (!top || seen.has(top)) return undefined
  seen.add(top)
  if (head?.toLowerCase() !== query.commit.toLowerCase()) return undefined
  // `remote get-url` applies `url.<base>.insteadOf`, as a fetch would; a work tree without an
  // origin is not the repository's checkout.
  const origin = await git(top, ['remote', 'get-url', 'origin'], signal).catch((error: unknown) => {
    if (error instanceof GitFailure) return undefined
    throw error
  })
  const named = origin === undefined ? undefined : remoteRepository(origin)
  return named === query.repository.toLowerCase() ? top : undefined
}

/**
 * The files of the first checkout of `repository` at `commit`: GITHUB_WORKSPACE, then its
 * direct subfolders in name order (`git ls-files`, submodules left out, paths relative to the
 * work tree's top). Undefined, with one line for `debug` saying why, when there is none, or
 * git is missing, fails (a dubious ownership in a container) or takes longer than the budget:
 * the caller then asks the GitHub API.
 */
export async function checkoutFiles(
  query: CheckoutQuery,
  debug: (line: string) => void
): Promise<FileList | undefined> {
  const budgetMs = query.budgetMs ?? LOCATE_BUDGET_MS
  const { budget, signal } = withBudget(budgetMs, query.signal)
  const failures: string[] = []
  try {
    const workspace = await fs.stat(query.workspace).catch(() => undefined)
    if (!workspace?.isDirectory()) {
      debug(
        `No checkout to list files from: GITHUB_WORKSPACE ${quote(query.workspace)} is not a folder`
      )
      return undefined
    }
    const seen = new Set<string>()
    for (const folder of await candidateFolders(query.workspace)) {
      let top: string | undefined
      try {
        top = await matchingTop(folder, query, seen, signal)
      } catch (error) {
        if (!(error instanceof GitFailure)) throw error
        failures.push(error.message)
        // A missing git fails the same way in every folder.
        if (error.message.startsWith('git is not installed')) break
        continue
      }
      if (top === undefined) continue
      const listing = await git(top, ['ls-files', '-z', '--stage'], signal, MAX_LISTING_BYTES)
      if (listing === undefined) continue
      return {
        commit: query.commit,
        paths: trackedFiles(listing),
        source: `the checkout ${top}`,
        truncated: false
      }
    }
    const why = failures.length > 0 ? `: ${failures.join('; ')}` : ''
    debug(
      `No checkout of ${query.repository} at ${query.commit} in ${query.workspace} or its folders${why}`
    )
  } catch (error) {
    const reason = budget.aborted
      ? `git took over ${budgetMs / 1000} s`
      : sanitizeForLog(errorMessage(error))
    debug(`Could not list the files of a checkout of ${query.repository}: ${reason}`)
  }
  return undefined
}
