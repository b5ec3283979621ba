import { execFileSync, spawnSync } from 'node:child_process'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from '@jest/globals'
import { parse as parseYaml } from 'yaml'
import { makeTempDir } from '../__fixtures__/temp-dirs.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const RELEASE = path.join(ROOT, 'scripts', 'release.sh')

/** A clone of a bare "origin", and an `npm` on PATH whose `run build` copies src.js to dist/. */
async function repository() {
  const dir = await makeTempDir('cbl-release-')
  const origin = path.join(dir, 'origin.git')
  const work = path.join(dir, 'work')
  const bin = path.join(dir, 'bin')
  await fs.mkdir(bin)
  await fs.writeFile(
    path.join(bin, 'npm'),
    '#!/bin/sh\n[ "$1 $2" = "run build" ] || exit 2\nmkdir -p dist && cp src.js dist/index.js\n',
    { mode: 0o755 }
  )
  const env = {
    PATH: `${bin}:${process.env.PATH}`,
    HOME: dir,
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'Release Test',
    GIT_AUTHOR_EMAIL: 'release@example.com',
    GIT_COMMITTER_NAME: 'Release Test',
    GIT_COMMITTER_EMAIL: 'release@example.com'
  }
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: work, env, encoding: 'utf8' }).trim()
  execFileSync('git', ['init', '-q', '--bare', origin], { env })
  execFileSync('git', ['clone', '-q', origin, work], { env, stdio: 'ignore' })

  /** Commits package.json, CHANGELOG.md, src.js and dist/ (built from src.js unless `stale`). */
  const commit = async (version: string, source: string, stale = false) => {
    await fs.writeFile(path.join(work, 'package.json'), JSON.stringify({ version }))
    await fs.writeFile(path.join(work, 'CHANGELOG.md'), `# Changelog\n\n## ${version}\n\n- x\n`)
    await fs.writeFile(path.join(work, 'src.js'), source)
    if (!stale) {
      await fs.mkdir(path.join(work, 'dist'), { recursive: true })
      await fs.writeFile(path.join(work, 'dist', 'index.js'), source)
    }
    git('add', '-A')
    git('commit', '-q', '-m', version)
    return git('rev-parse', 'HEAD')
  }
  const release = (...args: string[]) => {
    const run = spawnSync(RELEASE, args, { cwd: work, env, encoding: 'utf8' })
    return { code: run.status, output: run.stdout + run.stderr }
  }
  /** The commit each tag of origin points at. */
  const remoteTags = () =>
    Object.fromEntries(
      git('ls-remote', '--tags', 'origin')
        .split('\n')
        .filter(line => line.endsWith('^{}'))
        .map(line => {
          const [commit, ref] = line.split('\t')
          return [ref.replace(/^refs\/tags\//, '').replace(/\^\{\}$/, ''), commit]
        })
    )
  return { commit, release, remoteTags }
}

describe('scripts/release.sh', () => {
  it('tags the release, moves the major tag to it and pushes both', async () => {
    const repo = await repository()
    const first = await repo.commit('1.0.0', 'one')
    expect(repo.release('v1.0.0')).toMatchObject({ code: 0 })
    expect(repo.remoteTags()).toEqual({ v1: first, 'v1.0.0': first })

    const second = await repo.commit('1.1.0', 'two')
    const run = repo.release('v1.1.0')
    expect(run.output).toContain('moved v1 to it')
    expect(repo.remoteTags()).toEqual({ v1: second, 'v1.0.0': first, 'v1.1.0': second })
  })

  it('refuses a dist/ that is not the build of the committed source, and tags nothing', async () => {
    const repo = await repository()
    await repo.commit('1.0.0', 'one')
    await repo.commit('1.0.1', 'changed source, old bundle', true)
    const run = repo.release('v1.0.1')
    expect(run.code).not.toBe(0)
    expect(run.output).toContain('dist/ differs from a fresh build')
    expect(repo.remoteTags()).toEqual({})
  })

  it.each([
    ['a version package.json does not have', 'v1.0.1', "package.json's version is not 1.0.1"],
    ['a malformed version', '1.0.0', 'give the version as vX.Y.Z'],
    ['an existing tag', 'v1.0.0', 'v1.0.0 exists already']
  ])('refuses %s', async (_what, version, message) => {
    const repo = await repository()
    await repo.commit('1.0.0', 'one')
    expect(repo.release('v1.0.0')).toMatchObject({ code: 0 })
    const run = repo.release(version)
    expect(run.code).not.toBe(0)
    expect(run.output).toContain(message)
  })

  it('refuses a release older than the latest of its major', async () => {
    const repo = await repository()
    await repo.commit('1.2.0', 'one')
    expect(repo.release('v1.2.0')).toMatchObject({ code: 0 })
    await repo.commit('1.1.9', 'two')
    const run = repo.release('v1.1.9')
    expect(run.output).toContain('v1.1.9 is not newer than v1.2.0')
    expect(Object.keys(repo.remoteTags()).sort()).toEqual(['v1', 'v1.2.0'])
  })
})

describe('repository files', () => {
  it('Dependabot updates the npm packages and the actions of the workflows', async () => {
    const config = parseYaml(
      await fs.readFile(path.join(ROOT, '.github', 'dependabot.yml'), 'utf8')
    ) as { version: number; updates: { 'package-ecosystem': string; directory: string }[] }
    expect(config.version).toBe(2)
    expect(config.updates.map(u => [u['package-ecosystem'], u.directory]).sort()).toEqual([
      ['github-actions', '/'],
      ['npm', '/']
    ])
  })
})
