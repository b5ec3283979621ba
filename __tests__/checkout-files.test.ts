import { execFileSync } from 'node:child_process'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { afterEach, describe, expect, it } from '@jest/globals'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'
import { checkoutFiles, remoteRepository } from '../src/locate/checkout-files.js'

const REPOSITORY = 'octo-org/octo-repo'
const ORIGIN = 'https://github.com/Octo-Org/octo-repo.git'

/** Runs git in `cwd` as a test sets a repository up, with a fixed author. */
function git(cwd: string, ...args: string[]): string {
  return execFileSync(
    'git',
    ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', ...args],
    { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }
  ).trim()
}

async function writeFiles(dir: string, files: string[]): Promise<void> {
  for (const file of files) {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    await fs.writeFile(path.join(dir, file), `${file}\n`)
  }
}

/** A work tree at `dir` holding `files` in one commit, with `origin` set; its HEAD commit. */
async function makeRepo(dir: string, files: string[], origin = ORIGIN): Promise<string> {
  await fs.mkdir(dir, { recursive: true })
  git(dir, 'init', '-q', '-b', 'main')
  await writeFiles(dir, files)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'files')
  if (origin) git(dir, 'remote', 'add', 'origin', origin)
  return git(dir, 'rev-parse', 'HEAD')
}

/** Calls checkoutFiles and keeps its debug lines. */
async function listed(
  workspace: string,
  commit: string,
  budgetMs?: number
): Promise<{ list: Awaited<ReturnType<typeof checkoutFiles>>; lines: string[] }> {
  const lines: string[] = []
  const list = await checkoutFiles({ workspace, repository: REPOSITORY, commit, budgetMs }, line =>
    lines.push(line)
  )
  return { list, lines }
}

const FILES = ['pom.xml', 'src/main/java/com/example/Order.java', 'docs/a b,c::d%.md']

describe('checkoutFiles: the files of a checkout in the workspace', () => {
  // Each test's own PATH and global git config, restored after it.
  const saved = { PATH: process.env.PATH, GIT_CONFIG_GLOBAL: process.env.GIT_CONFIG_GLOBAL }
  afterEach(() => {
    process.env.PATH = saved.PATH
    if (saved.GIT_CONFIG_GLOBAL === undefined) delete process.env.GIT_CONFIG_GLOBAL
    else process.env.GIT_CONFIG_GLOBAL = saved.GIT_CONFIG_GLOBAL
  })

  it('lists the tracked files of the workspace when it is the checkout at the commit', async () => {
    const workspace = await makeTempDir('cbl-checkout-')
    const head = await makeRepo(workspace, FILES)
    await fs.writeFile(path.join(workspace, 'untracked.txt'), 'x')
    const { list, lines } = await listed(workspace, head.toUpperCase())
    expect(lines).toEqual([])
    expect(list).toEqual({
      commit: head.toUpperCase(),
      paths: [...FILES].sort(),
      source: `the checkout ${workspace}`,
      truncated: false
    })
  })

  it('refuses a checkout whose HEAD is another commit: a stale one would give wrong lines', async () => {
    const workspace = await makeTempDir('cbl-checkout-')
    const first = await makeRepo(workspace, FILES)
    await writeFiles(workspace, ['NEW.md'])
    git(workspace, 'add', '-A')
    git(workspace, 'commit', '-q', '-m', 'more')
    const { list, lines } = await listed(workspace, first)
    expect(list).toBeUndefined()
    expect(lines).toEqual([
      `No checkout of ${REPOSITORY} at ${first} in ${workspace} or its folders`
    ])
  })

  it('takes the first subfolder in name order whose origin names the repository', async () => {
    const workspace = await makeTempDir('cbl-checkout-')
    await fs.writeFile(path.join(workspace, 'notes.txt'), 'not a work tree')
    const other = await makeRepo(
      path.join(workspace, 'a-tools'),
      ['tool.sh'],
      'https://github.com/octo-org/tools.git'
    )
    const head = await makeRepo(
      path.join(workspace, 'b-repo'),
      FILES,
      'git@github.com:octo-org/OCTO-REPO.git'
    )
    // The same files at the same commit, under a name that sorts later.
    await fs.cp(path.join(workspace, 'b-repo'), path.join(workspace, 'c-repo'), { recursive: true })
    // And before it, at the same commit, one with no origin at all.
    await fs.cp(path.join(workspace, 'b-repo'), path.join(workspace, 'a0-copy'), {
      recursive: true
    })
    git(path.join(workspace, 'a0-copy'), 'remote', 'remove', 'origin')
    await fs.mkdir(path.join(workspace, 'plain'))
    const { list, lines } = await listed(workspace, head)
    expect(lines).toEqual([])
    expect(list?.source).toBe(`the checkout ${path.join(workspace, 'b-repo')}`)
    expect(list?.paths).toEqual([...FILES].sort())
    expect((await listed(workspace, other)).list).toBeUndefined()
  })

  it('gives paths relative to the top of the work tree the workspace lies in', async () => {
    const top = await makeTempDir('cbl-checkout-')
    const head = await makeRepo(top, FILES)
    const { list } = await listed(path.join(top, 'src', 'main'), head)
    expect(list?.source).toBe(`the checkout ${top}`)
    expect(list?.paths).toEqual([...FILES].sort())
  })

  it('leaves out a submodule and the files inside it', async () => {
    const root = await makeTempDir('cbl-checkout-')
    await makeRepo(path.join(root, 'lib'), ['lib.c', 'include/lib.h'], '')
    const workspace = path.join(root, 'workspace')
    await makeRepo(workspace, FILES)
    git(
      workspace,
      '-c',
      'protocol.file.allow=always',
      'submodule',
      'add',
      '-q',
      path.join(root, 'lib'),
      'vendor/lib'
    )
    git(workspace, 'commit', '-q', '-m', 'submodule')
    const head = git(workspace, 'rev-parse', 'HEAD')
    expect(git(workspace, 'ls-files', '--stage', 'vendor/lib')).toMatch(/^160000 /)
    await expect(fs.stat(path.join(workspace, 'vendor/lib/lib.c'))).resolves.toBeTruthy()
    const { list } = await listed(workspace, head)
    expect(list?.paths).toEqual(['.gitmodules', ...FILES].sort())
  })

  it('says why when there is no work tree at all', async () => {
    const workspace = await makeTempDir('cbl-checkout-')
    await fs.mkdir(path.join(workspace, 'sub'))
    const commit = 'a'.repeat(40)
    const { list, lines } = await listed(workspace, commit)
    expect(list).toBeUndefined()
    expect(lines).toEqual([
      `No checkout of ${REPOSITORY} at ${commit} in ${workspace} or its folders`
    ])
  })

  it('says why when GITHUB_WORKSPACE is not a folder', async () => {
    const { list, lines } = await listed('/nonexistent/workspace', 'a'.repeat(40))
    expect(list).toBeUndefined()
    expect(lines).toEqual([
      'No checkout to list files from: GITHUB_WORKSPACE "/nonexistent/workspace" is not a folder'
    ])
  })

  it('gives up with one line when git is not installed', async () => {
    const workspace = await makeTempDir('cbl-checkout-')
    const head = await makeRepo(workspace, FILES)
    process.env.PATH = await makeTempDir('cbl-empty-path-')
    const { list, lines } = await listed(workspace, head)
    expect(list).toBeUndefined()
    expect(lines).toEqual([
      `No checkout of ${REPOSITORY} at ${head} in ${workspace} or its folders: git is not installed on the runner`
    ])
  })

  it('gives up with one line when git takes longer than the budget', async () => {
    const workspace = await makeTempDir('cbl-checkout-')
    const head = await makeRepo(workspace, FILES)
    // A git that hangs, as one on a stalled network file system does.
    const bin = await makeTempDir('cbl-slow-git-')
    await fs.writeFile(path.join(bin, 'git'), '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 })
    process.env.PATH = `${bin}:${saved.PATH}`
    const started = Date.now()
    const { list, lines } = await listed(workspace, head, 500)
    expect(Date.now() - started).toBeLessThan(5000)
    expect(list).toBeUndefined()
    expect(lines).toEqual([
      `Could not list the files of a checkout of ${REPOSITORY}: git took over 0.5 s`
    ])
  })

  const asRoot = process.getuid?.() === 0 ? it : it.skip
  asRoot(
    "gives up with git's reason when it refuses a work tree of dubious ownership",
    async () => {
      const workspace = await makeTempDir('cbl-checkout-')
      const head = await makeRepo(workspace, FILES)
      execFileSync('chown', ['-R', '65534:65534', workspace])
      // No safe.directory from the machine's own global configuration.
      const config = await makeTempDir('cbl-git-config-')
      process.env.GIT_CONFIG_GLOBAL = path.join(config, 'gitconfig')
      await fs.writeFile(process.env.GIT_CONFIG_GLOBAL, '')
      const { list, lines } = await listed(workspace, head)
      expect(list).toBeUndefined()
      expect(lines).toHaveLength(1)
      expect(lines[0]).toMatch(
        new RegExp(
          `^No checkout of ${REPOSITORY} .*: git rev-parse in ${workspace} failed: fatal: detected dubious ownership`
        )
      )
      // Trusted, the same work tree is listed.
      await fs.writeFile(process.env.GIT_CONFIG_GLOBAL, `[safe]\n\tdirectory = ${workspace}\n`)
      expect((await listed(workspace, head)).list?.paths).toEqual([...FILES].sort())
    }
  )
})

describe('remoteRepository: the owner/repo an origin URL names', () => {
  it('reads https, ssh and scp-like URLs on any host, lower-cased', () => {
    for (const url of [
      'https://github.com/Octo-Org/Octo-Repo.git',
      'https://github.com/octo-org/octo-repo',
      'https://github.com/octo-org/octo-repo/',
      'https://x-access-token:secret@github.com/octo-org/octo-repo.git',
      'https://ghes.example.com/octo-org/octo-repo.git',
      'ssh://git@github.com/octo-org/octo-repo.git',
      'ssh://git@ghes.example.com:2222/octo-org/octo-repo',
      'git@github.com:octo-org/octo-repo.git',
      'git@ghes.example.com:Octo-Org/octo-repo',
      'git://github.com/octo-org/octo-repo.git'
    ]) {
      expect(remoteRepository(url)).toBe(REPOSITORY)
    }
  })

  it('names another repository, or none, for anything else', () => {
    expect(remoteRepository('https://github.com/octo-org/octo-repo-fork.git')).toBe(
      'octo-org/octo-repo-fork'
    )
    for (const url of [
      '/srv/git/octo-org/octo-repo.git',
      'octo-repo',
      'https://github.com/',
      '',
      'git@github.com:'
    ]) {
      expect(remoteRepository(url)).toBeUndefined()
    }
  })
})
