import { describe, expect, it } from '@jest/globals'
import {
  RepoFiles,
  commitToLocate,
  isFullCommit,
  isRepositoryName
} from '../src/locate/repo-files.js'
import { randomInts } from '../__fixtures__/random-ints.js'

const JAVA = 'service/src/main/java/com/example/Order.java'
const TEST = 'service/src/test/java/com/example/OrderTest.java'
const FILES = [
  JAVA,
  TEST,
  'web/src/app.ts',
  'web/src/components/Button.tsx',
  'cli/src/main.rs',
  'src/Program.cs',
  'docs/Readme.md',
  'docs/README.md',
  'a/src/index.ts',
  'b/src/index.ts',
  'b/lib/index.ts',
  'pom.xml',
  'service/pom.xml',
  'src/My App.kt',
  'src/100%.txt',
  'src/a,b.ts',
  'src/x::y.py',
  'config/etc/hosts'
]

describe('RepoFiles.locate: a reported path to a file of the repository', () => {
  const files = new RepoFiles(FILES)

  it("maps an agent's absolute path, whatever the workspace layout, by its trailing segments", () => {
    for (const reported of [
      '/devcloud/ws/s1a2b/workspace/j_9f8e/service/src/main/java/com/example/Order.java',
      '/devcloud/slavespace/ws-1/j_77/service/src/main/java/com/example/Order.java',
      '/opt/agent_3/workspace/j_123/service/src/main/java/com/example/Order.java',
      '/devcloud/ws/x/workspace/j_1/src/main/java/com/example/Order.java'
    ]) {
      expect(files.locate(reported)).toBe(JAVA)
    }
  })

  it("drops CodeArts' masked workspace, `***` then `/`, wherever it stands", () => {
    expect(files.locate('***/service/src/main/java/com/example/Order.java')).toBe(JAVA)
    expect(files.locate('/devcloud/ws/***/web/src/app.ts')).toBe('web/src/app.ts')
    expect(files.locate('***\\web\\src\\app.ts')).toBe('web/src/app.ts')
  })

  it('maps relative paths, with or without `./`, and a JVM frame given as package folders', () => {
    expect(files.locate('src/app.ts')).toBe('web/src/app.ts')
    expect(files.locate('./web/src/./components/Button.tsx')).toBe('web/src/components/Button.tsx')
    expect(files.locate('com/example/OrderTest.java')).toBe(TEST)
    expect(files.locate('main.rs')).toBe('cli/src/main.rs')
  })

  it('decodes a file:// URI and its percent-encoding', () => {
    expect(files.locate('file:///devcloud/ws/j_1/src/My%20App.kt')).toBe('src/My App.kt')
    expect(files.locate('file://localhost/w/web/src/app.ts')).toBe('web/src/app.ts')
    expect(files.locate('file:/w/web/src/app.ts')).toBe('web/src/app.ts')
    expect(files.locate('file:///C:/agent/_work/1/s/src/Program.cs')).toBe('src/Program.cs')
    expect(files.locate('FILE:///w/src/100%25.txt')).toBe('src/100%.txt')
  })

  it('keeps `%` of a plain path as a character of the name; a broken URI is not located', () => {
    expect(files.locate('/w/src/100%.txt')).toBe('src/100%.txt')
    expect(files.locate('/w/src/My%20App.kt')).toBeUndefined()
    expect(files.locate('file:///w/src/100%.txt')).toBeUndefined()
    expect(files.locate('file:///w/src/%E0%A4%A.kt')).toBeUndefined()
  })

  it('turns backslashes into slashes and drops a drive letter', () => {
    expect(files.locate('C:\\agent\\_work\\1\\s\\src\\Program.cs')).toBe('src/Program.cs')
    expect(files.locate('D:/a/1/s/src/Program.cs')).toBe('src/Program.cs')
    expect(files.locate('src\\Program.cs')).toBe('src/Program.cs')
  })

  it('matches case-sensitively; a Windows path also case-insensitively when that names one file', () => {
    expect(files.locate('/w/SRC/program.cs')).toBeUndefined()
    expect(files.locate('C:\\w\\SRC\\program.cs')).toBe('src/Program.cs')
    expect(files.locate('c:/w/Web/Src/App.ts')).toBe('web/src/app.ts')
    // Two files differ only in case: a Windows path in a third case names neither...
    expect(files.locate('C:\\w\\docs\\readme.md')).toBeUndefined()
    // ...while an exact match still names its own.
    expect(files.locate('C:\\w\\docs\\README.md')).toBe('docs/README.md')
    expect(files.locate('/w/docs/readme.md')).toBeUndefined()
  })

  it('picks the file sharing the most trailing segments; a tie names no file', () => {
    expect(files.locate('/w/b/src/index.ts')).toBe('b/src/index.ts')
    expect(files.locate('/w/a/src/index.ts')).toBe('a/src/index.ts')
    expect(files.locate('/w/lib/index.ts')).toBe('b/lib/index.ts')
    expect(files.locate('/w/src/index.ts')).toBeUndefined()
    expect(files.locate('/w/other/index.ts')).toBeUndefined()
    expect(files.locate('index.ts')).toBeUndefined()
    // The top pom shares only its name with /w/j/pom.xml, and so does the module's.
    expect(files.locate('/w/j_1/pom.xml')).toBeUndefined()
    expect(files.locate('/w/j_1/service/pom.xml')).toBe('service/pom.xml')
  })

  it('must share the file name at least', () => {
    expect(files.locate('/w/web/src/app.js')).toBeUndefined()
    expect(files.locate('/w/web/src')).toBeUndefined()
    expect(files.locate('/w/web/src/')).toBeUndefined()
    expect(files.locate('')).toBeUndefined()
    expect(files.locate('/')).toBeUndefined()
    expect(files.locate('***/')).toBeUndefined()
  })

  it('never locates a path with a `..` segment, even one that names a file only through it', () => {
    expect(files.locate('../../etc/hosts')).toBeUndefined()
    expect(files.locate('/w/config/x/../etc/hosts')).toBeUndefined()
    expect(files.locate('web/src/../src/app.ts')).toBeUndefined()
    expect(files.locate('..\\..\\web\\src\\app.ts')).toBeUndefined()
    expect(files.locate('file:///w/%2e%2e/web/src/app.ts')).toBeUndefined()
    // A `..` inside a name is no segment.
    const dots = new RepoFiles(['src/a..b.ts'])
    expect(dots.locate('/w/src/a..b.ts')).toBe('src/a..b.ts')
  })

  it('answers an absolute path outside the repository with a repository file or nothing', () => {
    expect(files.locate('/etc/passwd')).toBeUndefined()
    expect(files.locate('/etc/hosts')).toBe('config/etc/hosts')
    expect(files.locate('C:\\Windows\\System32\\drivers\\etc\\hosts')).toBe('config/etc/hosts')
  })

  it('maps names holding `,`, `::` and `%` to themselves, and a path with a newline to nothing', () => {
    expect(files.locate('/w/src/a,b.ts')).toBe('src/a,b.ts')
    expect(files.locate('/w/src/x::y.py')).toBe('src/x::y.py')
    expect(files.locate('src/a,b.ts\n::error file=/etc/passwd::x')).toBeUndefined()
    expect(files.locate('/w/src/app.ts\n')).toBeUndefined()
    expect(files.locate('/w/web/src/app.ts,line=1')).toBeUndefined()
  })

  it('leaves out list entries that no file can have, so no answer can be one', () => {
    const hostile = new RepoFiles([
      '/etc/passwd',
      '../outside.ts',
      'a/../b.ts',
      'a//c.ts',
      './d.ts',
      '',
      'ok/e.ts',
      'ok/e.ts'
    ])
    expect(hostile.size).toBe(1)
    for (const reported of ['/etc/passwd', 'outside.ts', 'b.ts', 'c.ts', 'd.ts']) {
      expect(hostile.locate(reported)).toBeUndefined()
    }
    expect(hostile.locate('/w/e.ts')).toBe('ok/e.ts')
  })

  it('answers only paths of the list, relative and without `..`, for any reported path', () => {
    // A deterministic spray of paths built from the list's own segments and hostile ones.
    const pieces = ['..', '.', '', '***', 'C:', '%2e%2e', 'src', 'web', 'SRC', 'a', 'b', 'etc']
    const names = ['index.ts', 'app.ts', 'App.ts', 'hosts', 'Program.cs', 'readme.md', '..']
    const listed = new Set(FILES)
    const next = randomInts(7)
    let located = 0
    for (let i = 0; i < 5000; i++) {
      const segments = Array.from({ length: next(6) }, () => pieces[next(pieces.length)])
      segments.push(names[next(names.length)])
      const separator = next(2) === 0 ? '/' : '\\'
      const prefix = ['', separator, 'file:///', 'C:'][next(4)]
      const reported = `${prefix}${segments.join(separator)}`
      const found = files.locate(reported)
      if (found === undefined) continue
      located++
      expect(listed.has(found)).toBe(true)
      expect(found.startsWith('/')).toBe(false)
      expect(found.split('/')).not.toContain('..')
    }
    expect(located).toBeGreaterThan(1000)
  })

  it('agrees with a scan of every file on random trees and paths', () => {
    const next = randomInts(11)
    const names = ['a', 'b', 'c', 'd']
    const pathOf = (length: number): string[] =>
      Array.from({ length }, () => names[next(names.length)])
    const list = Array.from({ length: 300 }, () => pathOf(1 + next(5)).join('/'))
    const indexed = new RepoFiles(list)
    const shared = (file: string[], reported: string[]): number => {
      let k = 0
      while (k < file.length && k < reported.length && file.at(-1 - k) === reported.at(-1 - k)) k++
      return k
    }
    const scan = (reported: string[]): string | undefined => {
      const scores = [...new Set(list)].map(file => ({
        file,
        k: shared(file.split('/'), reported)
      }))
      const best = Math.max(...scores.map(score => score.k))
      const winners = scores.filter(score => score.k === best)
      return best >= 1 && winners.length === 1 ? winners[0].file : undefined
    }
    let located = 0
    for (let i = 0; i < 2000; i++) {
      const reported = pathOf(1 + next(7))
      const expected = scan(reported)
      if (expected !== undefined) located++
      expect(indexed.locate(`/${reported.join('/')}`)).toBe(expected)
    }
    expect(located).toBeGreaterThan(100)
  })

  it('splits a node when a second file reaches it, at any depth', () => {
    const deep = new RepoFiles(['x/y/z/f.c', 'q/y/z/f.c', 'y/z/f.c', 'z/f.c', 'f.c'])
    expect(deep.locate('/w/x/y/z/f.c')).toBe('x/y/z/f.c')
    expect(deep.locate('/w/q/y/z/f.c')).toBe('q/y/z/f.c')
    // y/z/f.c shares three with /w/y/z/f.c, as do x/y/z/f.c and q/y/z/f.c.
    expect(deep.locate('/w/y/z/f.c')).toBeUndefined()
    expect(deep.locate('/w/z/f.c')).toBeUndefined()
    expect(deep.locate('/w/f.c')).toBeUndefined()
    const two = new RepoFiles(['f.c', 'z/f.c'])
    expect(two.locate('/w/z/f.c')).toBe('z/f.c')
    expect(two.locate('/w/f.c')).toBeUndefined()
  })
})

describe('commitToLocate: the commit the failures are located at', () => {
  const SHA1 = '0123456789abcdef0123456789abcdef01234567'
  const SHA256 = 'ab'.repeat(32)
  const GITHUB_SHA = 'fedcba9876543210fedcba9876543210fedcba98'

  it("takes the record's commit when it is 40 or 64 hex digits, lower-cased", () => {
    expect(commitToLocate(SHA1, GITHUB_SHA)).toBe(SHA1)
    expect(commitToLocate(SHA256, GITHUB_SHA)).toBe(SHA256)
    expect(commitToLocate(SHA1.toUpperCase(), GITHUB_SHA)).toBe(SHA1)
  })

  it('takes GITHUB_SHA otherwise, and nothing when that is no whole commit ID either', () => {
    for (const record of [undefined, '', '0123456', 'main', `${SHA1}0`, `${SHA1.slice(1)}g`]) {
      expect(commitToLocate(record, GITHUB_SHA)).toBe(GITHUB_SHA)
      expect(commitToLocate(record, '')).toBeUndefined()
      expect(commitToLocate(record, 'HEAD')).toBeUndefined()
    }
  })

  it('tells whole commit IDs from anything else', () => {
    expect(isFullCommit(SHA1)).toBe(true)
    expect(isFullCommit(SHA256)).toBe(true)
    expect(isFullCommit(`${SHA1} `)).toBe(false)
    expect(isFullCommit(`${SHA1}\n${SHA1}`)).toBe(false)
    expect(isFullCommit(undefined)).toBe(false)
  })

  it('tells owner/repo from anything else, names of dots included', () => {
    for (const name of ['octo/shop', 'Octo-Org/shop.web', 'a_b/.github', 'o/..x'])
      expect(isRepositoryName(name)).toBe(true)
    for (const name of ['../..', 'octo/..', './shop', 'octo', 'octo/shop/x', 'octo/sh op', ''])
      expect(isRepositoryName(name)).toBe(false)
  })
})
