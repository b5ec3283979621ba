/**
 * Which file of the repository a path printed in a log names. Pure: the file list comes from a
 * checkout or the GitHub API (checkout-files.ts, tree-files.ts), the paths from the recognisers.
 */

/** The files of the repository at one commit, and where the list came from. */
export interface FileList {
  /** The commit whose files these are (for links). */
  commit: string
  /** Paths relative to the repository's top, `/`-separated. */
  paths: string[]
  /** Where the list came from, for the debug log: `the checkout /w/repo`, `the GitHub API`. */
  source: string
  /** The list stops short of the whole tree (GitHub's trees API cuts large trees). */
  truncated: boolean
}

const FULL_COMMIT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i
const REPOSITORY = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/
/** How long finding the repository's files may take, from a checkout or from the API. */
export const LOCATE_BUDGET_MS = 10_000

/** Whether `text` names a repository as GITHUB_REPOSITORY does: `owner/repo`, neither all dots. */
export function isRepositoryName(text: string): boolean {
  const names = REPOSITORY.exec(text)
  return names !== null && !names.slice(1).some(name => /^\.+$/.test(name))
}

/** Whether `text` is a whole commit ID: 40 (SHA-1) or 64 (SHA-256) hex digits. */
export function isFullCommit(text: string | undefined): text is string {
  return text !== undefined && FULL_COMMIT.test(text)
}

/**
 * The commit whose files the reported paths are located in: the one the build record names
 * when it is a whole commit ID, else GITHUB_SHA when that is one; lower-cased, as git prints
 * it. Undefined when neither is.
 */
export function commitToLocate(
  recordCommit: string | undefined,
  githubSha: string
): string | undefined {
  const commit = [recordCommit, githubSha].find(isFullCommit)
  return commit?.toLowerCase()
}

/**
 * A reported path's segments, last first, and whether it is a Windows path; undefined when it
 * cannot be located (a `..` segment, a `file:` URI with broken percent-encoding, nothing left).
 */
function reportedSegments(reported: string): { reversed: string[]; windows: boolean } | undefined {
  let text = reported
  const uri = /^file:(?:\/\/[^/]*)?/i.exec(text)
  if (uri) {
    // Only a URI is percent-encoded: in a plain path `%` is a character of the name.
    try {
      text = decodeURIComponent(text.slice(uri[0].length))
    } catch {
      return undefined
    }
  }
  const windows = text.includes('\\') || /^\/?[A-Za-z]:[\\/]/.test(text)
  text = text.replace(/\\/g, '/').replace(/^\/?[A-Za-z]:(?=\/)/, '')
  // CodeArts masks the agent's workspace as `***`: what stood before it is gone.
  const mask = text.lastIndexOf('***/')
  if (mask >= 0) text = text.slice(mask + 4)
  const segments = text.split('/').filter(segment => segment !== '' && segment !== '.')
  if (segments.length === 0 || segments.includes('..')) return undefined
  return { reversed: segments.reverse(), windows }
}

/**
 * A node of a trie of file paths keyed by their segments, last segment first: the node at depth
 * d stands for the files that share their last d segments with one another. While only one
 * file reaches a node, it keeps no children: that file is the node's answer, however deep a
 * reported path would match it.
 */
interface TrieNode {
  /** Files whose paths pass through this node. */
  count: number
  /** With count 1, that file, and its keyed path's segments, last first. */
  file: string
  reversed: readonly string[]
  /** How many of its last segments lie above and at this node. */
  depth: number
  children: Map<string, TrieNode> | undefined
}

/**
 * The tries by file name. A name only one file has maps to that file's path: most of a tree's
 * files cost one map entry and nothing else.
 */
type ByName = Map<string, TrieNode | string>

/** How a trie keys paths: as they are, or lower-cased. */
type Key = (path: string) => string

function leaf(file: string, reversed: readonly string[], depth: number): TrieNode {
  return { count: 1, file, reversed, depth, children: undefined }
}

const segmentsOf = (file: string, key: Key): string[] => key(file).split('/').reverse()

/** Adds a file to the tries by name, keyed by `key`. */
function insert(byName: ByName, file: string, key: Key): void {
  const keyed = key(file)
  const name = keyed.slice(keyed.lastIndexOf('/') + 1)
  const entry = byName.get(name)
  if (entry === undefined) {
    byName.set(name, file)
    return
  }
  let node = typeof entry === 'string' ? leaf(entry, segmentsOf(entry, key), 1) : entry
  byName.set(name, node)
  const reversed = keyed.split('/').reverse()
  for (let depth = 1; ; depth++) {
    if (node.count === 1 && node.depth < node.reversed.length) {
      // A second file reaches the node: the first one moves down to its own child.
      const moved = leaf(node.file, node.reversed, node.depth + 1)
      node.children = new Map([[node.reversed[node.depth], moved]])
    }
    node.count++
    if (depth >= reversed.length) return
    const child: TrieNode | undefined = node.children?.get(reversed[depth])
    if (!child) {
      node.children ??= new Map()
      node.children.set(reversed[depth], leaf(file, reversed, depth + 1))
      return
    }
    node = child
  }
}

/**
 * The file sharing the most trailing segments with `reversed` (at least the file name), or
 * undefined when there is none or several share as many. Time in the reported path's length.
 */
function bestMatch(byName: ByName, reversed: readonly string[]): string | undefined {
  const entry = byName.get(reversed[0])
  if (typeof entry !== 'object') return entry
  let node = entry
  for (let depth = 1; node.count > 1 && depth < reversed.length; depth++) {
    const child = node.children?.get(reversed[depth])
    if (!child) break
    node = child
  }
  return node.count === 1 ? node.file : undefined
}

const exact: Key = path => path
const folded: Key = path => path.toLowerCase()

/** An empty segment, `.` or `..`: a path holding one (or absolute, or empty) is no file's. */
const UNUSABLE_SEGMENT = /(?:^|\/)\.{0,2}(?:\/|$)/

/** The files of a repository, indexed once for locating many reported paths. */
export class RepoFiles {
  private readonly byName: ByName = new Map()
  private readonly files: string[] = []
  /** Built at the first Windows path: most logs have none. */
  private byFoldedName?: ByName

  /**
   * Indexes `paths`, relative to the repository's top; a path that no file can have (absolute,
   * empty segments, `.` or `..`) is left out, so no answer of `locate` can be one.
   */
  constructor(paths: Iterable<string>) {
    for (const file of new Set(paths)) {
      if (UNUSABLE_SEGMENT.test(file)) continue
      this.files.push(file)
      insert(this.byName, file, exact)
    }
  }

  get size(): number {
    return this.files.length
  }

  /**
   * The repository file a reported path names, or undefined. The path may be absolute (an
   * agent's workspace), masked (`***` then `/src/…`), relative, a `file:` URI or a Windows path; one
   * with a `..` segment is never located. The file sharing the most trailing segments wins, and
   * must share the file name; a tie names no file. Case matters, except that a Windows path no
   * file matches exactly may match a file case-insensitively, by the same rules.
   */
  locate(reported: string): string | undefined {
    const path = reportedSegments(reported)
    if (!path) return undefined
    const found = bestMatch(this.byName, path.reversed)
    if (found !== undefined || !path.windows) return found
    return bestMatch(
      this.foldedIndex(),
      path.reversed.map(segment => folded(segment))
    )
  }

  private foldedIndex(): ByName {
    if (!this.byFoldedName) {
      const byFoldedName: ByName = new Map()
      for (const file of this.files) insert(byFoldedName, file, folded)
      this.byFoldedName = byFoldedName
    }
    return this.byFoldedName
  }
}
