/**
 * The pages a user or contributor reads link to each other: every relative link and image of
 * README.md, CONTRIBUTING.md, SECURITY.md, CHANGELOG.md and docs/ points at a file that exists,
 * and every #anchor at a heading of that file, as GitHub names it. The README stays short and
 * links every page of docs/.
 */
import { describe, expect, it } from '@jest/globals'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Lexer, type Token, type Tokens } from 'marked'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const DOCS = readdirSync(path.join(ROOT, 'docs'))
  .filter(name => name.endsWith('.md'))
  .map(name => `docs/${name}`)
const PAGES = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...DOCS]
const README_MAX_LINES = 250

/** Every token of a markdown page and of the tokens inside it, in order. */
function allTokens(tokens: Token[]): Token[] {
  return tokens.flatMap(token => {
    const children: Token[] = []
    if ('tokens' in token && Array.isArray(token.tokens)) children.push(...token.tokens)
    if (token.type === 'list') for (const item of (token as Tokens.List).items) children.push(item)
    if (token.type === 'table') {
      const table = token as Tokens.Table
      for (const cell of [...table.header, ...table.rows.flat()]) children.push(...cell.tokens)
    }
    return [token, ...allTokens(children)]
  })
}

/** The targets of a page's links and images. */
function linkTargets(markdown: string): string[] {
  return allTokens(Lexer.lex(markdown, { gfm: true }))
    .filter((token): token is Tokens.Link | Tokens.Image => ['link', 'image'].includes(token.type))
    .map(token => token.href)
}

/** The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to hyphens. */
function headingAnchor(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-')
}

function anchors(markdown: string): Set<string> {
  return new Set(
    allTokens(Lexer.lex(markdown, { gfm: true }))
      .filter((token): token is Tokens.Heading => token.type === 'heading')
      .map(heading => headingAnchor(heading.text))
  )
}

/**
 * What is wrong with the links of `pages` (text by path from the root): a file that is not
 * there, or an anchor that no heading of its file has. Web links are not followed.
 */
function linkProblems(pages: Record<string, string>, exists: (file: string) => boolean): string[] {
  const problems: string[] = []
  for (const [page, markdown] of Object.entries(pages)) {
    for (const target of linkTargets(markdown)) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue
      const [file, anchor] = target.split('#', 2)
      const resolved = file
        ? path.posix.normalize(path.posix.join(path.posix.dirname(page), file))
        : page
      if (!exists(resolved)) {
        problems.push(`${page}: ${target} points at ${resolved}, which does not exist`)
        continue
      }
      if (anchor === undefined) continue
      const text = pages[resolved]
      if (text === undefined) {
        problems.push(`${page}: ${target} has an anchor, but ${resolved} is not a page`)
      } else if (!anchors(text).has(anchor)) {
        problems.push(`${page}: ${target}: ${resolved} has no heading #${anchor}`)
      }
    }
  }
  return problems
}

const pages = Object.fromEntries(
  PAGES.map(page => [page, readFileSync(path.join(ROOT, page), 'utf8')])
)

describe('links between the pages', () => {
  it('every relative link and image resolves, anchors included', () => {
    expect(linkProblems(pages, file => existsSync(path.join(ROOT, file)))).toEqual([])
  })

  it('the README links every page of docs/, CONTRIBUTING.md and SECURITY.md, and shows the picture', () => {
    const linked = new Set(linkTargets(pages['README.md']).map(target => target.split('#')[0]))
    for (const page of [...DOCS, 'CONTRIBUTING.md', 'SECURITY.md', 'docs/images/job-summary.png']) {
      expect(linked).toContain(page)
    }
    expect(DOCS.length).toBeGreaterThanOrEqual(5)
  })

  it(`the README is at most ${README_MAX_LINES} lines`, () => {
    expect(pages['README.md'].split('\n').length - 1).toBeLessThanOrEqual(README_MAX_LINES)
  })

  it('finds a missing file, a missing anchor, and an anchor in the same page', () => {
    const fixture = {
      'README.md': [
        '# Use it',
        '',
        '![pic](docs/images/none.png) [ok](docs/a.md#the-whole-builds-log) [here](#use-it)',
        '',
        '| a | [bad anchor](docs/a.md#nothing) |',
        '| - | - |',
        '| [gone](docs/gone.md) | [web](https://example.com/x) |',
        ''
      ].join('\n'),
      'docs/a.md': "# A\n\n## The whole build's `log`\n\n[back](../README.md#use-it)\n"
    }
    expect(linkProblems(fixture, file => file in fixture)).toEqual([
      'README.md: docs/images/none.png points at docs/images/none.png, which does not exist',
      'README.md: docs/a.md#nothing: docs/a.md has no heading #nothing',
      'README.md: docs/gone.md points at docs/gone.md, which does not exist'
    ])
  })
})

/**
 * Table rows whose cell count differs from their header's: GFM drops the extra cells of a row
 * split by a bare `|` (a code span does not protect it), so the rest of the row silently vanishes.
 */
function splitRows(page: string, markdown: string): string[] {
  const problems: string[] = []
  let fenced = false
  let header: number | undefined
  markdown.split('\n').forEach((line, index) => {
    if (line.startsWith('```')) fenced = !fenced
    if (fenced || !line.startsWith('|')) {
      header = undefined
      return
    }
    const cells = line.split(/(?<!\\)\|/).length
    header ??= cells
    if (cells !== header)
      problems.push(`${page}:${index + 1} has ${cells - 2} cells, not ${header - 2}`)
  })
  return problems
}

describe('tables', () => {
  it('every row of every table has as many cells as its header', () => {
    expect(Object.entries(pages).flatMap(([page, text]) => splitRows(page, text))).toEqual([])
  })

  it('finds a row split by a bare | and accepts an escaped one', () => {
    const table = ['| a | b |', '| - | - |', '| `x\\|y` | z |', '| `"p"|"q"` | r |'].join('\n')
    expect(splitRows('t.md', table)).toEqual(['t.md:4 has 3 cells, not 2'])
  })
})
