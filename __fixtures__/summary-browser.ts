/**
 * Renders a job summary as GitHub shows it, in headless Chromium: GitHub-flavoured Markdown
 * through `marked`, Mermaid charts through Mermaid's browser bundle, nothing fetched from the
 * network. Used by the browser test (what a reader sees) and by `npm run screenshot` (the
 * README's picture). Drives the Debian `chromium` package or an installed Chrome with
 * puppeteer-core; no browser is downloaded.
 */
import { existsSync } from 'node:fs'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Marked } from 'marked'
import puppeteer, { type Browser, type Page } from 'puppeteer-core'
import { makeTempDir } from './temp-dirs.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const MERMAID_BUNDLE = path.join(ROOT, 'node_modules', 'mermaid', 'dist', 'mermaid.min.js')
const PAGE_SCRIPT = path.join(ROOT, '__fixtures__', 'summary-page.js')

/** The project variable that makes the browser test mandatory (`.ci/run` sets it). */
export const BROWSER_TEST_VARIABLE = 'CODEARTS_BROWSER_TEST'

/** Where Debian's chromium, Ubuntu's and GitHub's runners' Chrome live, in the order tried. */
const BROWSER_PATHS = [
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/opt/google/chrome/chrome'
]

/** Flags for a quiet, offline, throw-away headless browser that runs as root. */
const BROWSER_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run'
]

/** The browser to use, or why there is none. `CHROME_PATH` names one explicitly. */
export function findBrowser(
  env: NodeJS.ProcessEnv = process.env
): { path: string; reason?: undefined } | { path?: undefined; reason: string } {
  const given = env.CHROME_PATH
  if (given) {
    return existsSync(given) ? { path: given } : { reason: `CHROME_PATH=${given} does not exist` }
  }
  const found = BROWSER_PATHS.find(candidate => existsSync(candidate))
  if (found) return { path: found }
  return {
    reason: `no Chromium or Chrome at ${BROWSER_PATHS.join(', ')} and CHROME_PATH is not set (apt-get install -y chromium)`
  }
}

/** Whether the project asked for the browser test to run whatever it takes. */
export function browserTestRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[BROWSER_TEST_VARIABLE] === 'required'
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
}

/**
 * Markdown to HTML as GitHub renders a step summary: GFM tables, raw HTML passed through (here
 * unsanitised, which is harsher than GitHub), and ```mermaid blocks as charts to draw.
 */
export function summaryHtml(markdown: string): string {
  const marked = new Marked({ gfm: true, async: false })
  marked.use({
    renderer: {
      code({ text, lang }) {
        if (lang === 'mermaid') return `<pre class="mermaid">${escapeHtml(text)}</pre>\n`
        return false
      }
    }
  })
  return marked.parse(markdown) as string
}

// Close to GitHub's look, so the README's picture reads like the run page.
const PAGE_STYLE = `
body { margin: 0; background: #fff; }
article { box-sizing: border-box; width: 980px; padding: 24px 32px; color: #1f2328;
  font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif, "Noto Color Emoji"; }
h2 { font-size: 1.5em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; margin: 0 0 16px; }
h3 { font-size: 1.25em; margin: 24px 0 16px; }
p, table, details, ul { margin: 0 0 16px; }
table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
th, td { border: 1px solid #d1d9e0; padding: 6px 13px; }
th { font-weight: 600; } tr:nth-child(2n) { background: #f6f8fa; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 85%; }
code { background: #eff1f3; padding: .2em .4em; border-radius: 6px; }
pre { background: #f6f8fa; padding: 16px; border-radius: 6px; overflow: auto; line-height: 1.45; }
pre.mermaid { background: #fff; }
summary { cursor: pointer; }
a { color: #0969da; text-decoration: none; }
`

function pageHtml(body: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8"><title>Job summary</title>',
    `<style>${PAGE_STYLE}</style>`,
    `<script src="${pathToFileURL(MERMAID_BUNDLE).href}"></script>`,
    `<script src="${pathToFileURL(PAGE_SCRIPT).href}"></script>`,
    '</head><body><article class="markdown-body">',
    body,
    '</article></body></html>'
  ].join('\n')
}

/** A Mermaid chart as the page shows it. */
export interface ChartView {
  source: string
  drawn: boolean
  error: string
  /** `rect.task` bars of a gantt chart. */
  bars: number
}

/** A `<details>` block as the page shows it. */
export interface DetailsView {
  open: boolean
  summary: string
  childTags: string[]
  excerpt: string
  nestedDetails: number
  excerptVisible: boolean
}

/** What a reader of the rendered summary sees, and what ran or was fetched to show it. */
export interface SummaryView {
  tables: { header: string[]; rows: string[][] }[]
  details: DetailsView[]
  links: { href: string; text: string }[]
  foreignTags: string[]
  attributes: string[]
  charts: ChartView[]
  headings: string[]
  /** Scripts other than Mermaid's bundle and the page's own that were compiled in the page. */
  foreignScripts: string[]
  /** Requests to anything but the page's own files; all were refused. */
  blockedRequests: string[]
  /** Dialogs (alert, confirm, prompt) something opened. */
  dialogs: string[]
  /**
   * `<details>` tags of the rendered Markdown that no `</details>` closes. The browser closes the last one
   * at the end of the page by itself, so only the source shows it.
   */
  unclosedDetails: number
}

/** A headless browser that renders summaries one page at a time. */
export interface SummaryRenderer {
  /**
   * Renders a summary and reports what it shows; with `screenshot`, also writes a PNG of it
   * there, as a reader first sees it: `<details>` blocks closed.
   */
  render(markdown: string, options?: { screenshot?: string }): Promise<SummaryView>
  close(): Promise<void>
}

async function watchPage(
  page: Page,
  pageUrl: string
): Promise<Pick<SummaryView, 'foreignScripts' | 'blockedRequests' | 'dialogs'>> {
  const seen = {
    foreignScripts: [] as string[],
    blockedRequests: [] as string[],
    dialogs: [] as string[]
  }
  const own = new Set([pathToFileURL(MERMAID_BUNDLE).href, pathToFileURL(PAGE_SCRIPT).href])
  // Every script V8 compiles in the page, inline ones and event handlers included, is reported
  // with its URL; only the two files above and puppeteer's own evaluations are expected.
  const cdp = await page.createCDPSession()
  cdp.on('Debugger.scriptParsed', event => {
    const url = event.url
    if (own.has(url) || url.startsWith('pptr:') || url === '') return
    seen.foreignScripts.push(url === pageUrl ? `inline script or handler in the page` : url)
  })
  await cdp.send('Debugger.enable')
  await page.setRequestInterception(true)
  page.on('request', request => {
    const url = request.url()
    if (url === pageUrl || own.has(url) || url.startsWith('data:')) {
      void request.continue()
      return
    }
    seen.blockedRequests.push(url)
    void request.abort()
  })
  page.on('dialog', dialog => {
    seen.dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  return seen
}

/** Starts the browser at `executablePath` with a fresh profile in a temporary folder. */
export async function openSummaryRenderer(executablePath: string): Promise<SummaryRenderer> {
  const dir = await makeTempDir('cbl-browser-')
  const profile = path.join(dir, 'profile')
  const browser: Browser = await puppeteer.launch({
    executablePath,
    headless: true,
    userDataDir: profile,
    args: [...BROWSER_FLAGS, `--user-data-dir=${profile}`],
    // Quiet: the Debian wrapper script prints a harmless line on stderr.
    dumpio: false
  })
  let pages = 0
  return {
    async render(markdown, options = {}) {
      const file = path.join(dir, `summary-${++pages}.html`)
      const html = summaryHtml(markdown)
      await fs.writeFile(file, pageHtml(html))
      const pageUrl = pathToFileURL(file).href
      const page = await browser.newPage()
      try {
        await page.setViewport({ width: 980, height: 600, deviceScaleFactor: 1 })
        const seen = await watchPage(page, pageUrl)
        await page.goto(pageUrl, { waitUntil: 'load' })
        const view = (await page.evaluate('window.inspectSummary()')) as Omit<
          SummaryView,
          keyof typeof seen | 'unclosedDetails'
        >
        if (options.screenshot) {
          const article = await page.$('article')
          await article!.screenshot({ path: options.screenshot as `${string}.png` })
        }
        // Tags as the HTML has them: text in code blocks and charts is escaped there.
        const tags = (pattern: RegExp) => html.match(pattern)?.length ?? 0
        const unclosedDetails = tags(/<details[\s>]/gi) - tags(/<\/details\s*>/gi)
        return { ...view, ...seen, unclosedDetails }
      } finally {
        await page.close()
      }
    },
    async close() {
      await browser.close()
      await fs.rm(dir, { recursive: true, force: true })
    }
  }
}

/** What a test expects of one rendered summary. */
export interface SummaryExpectation {
  /** The stage column of the stage table, in order. */
  stages: string[]
  /** Prefixes a link may start with: the action's own links (the artifact on the run page). */
  linkPrefixes: string[]
  /** How many `<details>` blocks hold an excerpt. */
  excerpts: number
}

/** A gantt chart's task lines: what Mermaid should draw one bar for each of. */
export function ganttTasks(source: string): number {
  if (!/^\s*gantt\b/.test(source)) return 0
  return source
    .split('\n')
    .map(line => line.trim())
    .filter(
      line =>
        line.includes(':') &&
        !/^(gantt|title|dateFormat|axisFormat|tickInterval|section|excludes|includes|todayMarker|%%)/.test(
          line
        )
    ).length
}

/**
 * Everything wrong with what a reader sees, as sentences; empty when the summary is right: one
 * table row per stage, every `<details>` closed and holding its excerpt, no markup, link or
 * script from server text, and every Mermaid chart drawn with one bar per task.
 */
export function summaryProblems(view: SummaryView, expected: SummaryExpectation): string[] {
  const problems: string[] = []
  const stageTables = view.tables.filter(table => table.header[0] === 'Stage')
  if (stageTables.length !== 1) {
    problems.push(`${stageTables.length} stage tables, expected 1 (tables: ${view.tables.length})`)
  }
  const rows = stageTables.flatMap(table => table.rows)
  const stages = rows.map(row => row[0])
  if (JSON.stringify(stages) !== JSON.stringify(expected.stages)) {
    problems.push(
      `stage rows are ${JSON.stringify(stages)}, expected ${JSON.stringify(expected.stages)}`
    )
  }
  const width = stageTables[0]?.header.length
  for (const row of rows) {
    if (row.length !== width) problems.push(`row ${row[0]} has ${row.length} cells, not ${width}`)
  }
  if (view.details.length !== expected.excerpts) {
    problems.push(`${view.details.length} <details> blocks, expected ${expected.excerpts}`)
  }
  if (view.unclosedDetails > 0) {
    problems.push(`${view.unclosedDetails} <details> left open in the Markdown (no </details>)`)
  }
  for (const [i, details] of view.details.entries()) {
    const which = `<details> ${i + 1} (${details.summary.slice(0, 60)})`
    if (details.open || details.excerptVisible) problems.push(`${which} is open`)
    if (details.nestedDetails > 0 || details.childTags.join(',') !== 'SUMMARY,PRE') {
      problems.push(
        `${which} holds ${details.childTags.join(', ')}${details.nestedDetails ? ` and ${details.nestedDetails} more <details>` : ''}, not a summary and one excerpt: it was left open`
      )
    }
    if (!/\[ERROR\]/.test(details.excerpt)) problems.push(`${which} has no [ERROR] line inside`)
  }
  for (const link of view.links) {
    if (!expected.linkPrefixes.some(prefix => link.href.startsWith(prefix))) {
      problems.push(`a link that is not the action's own: ${link.href} ("${link.text}")`)
    }
  }
  if (view.foreignTags.length > 0)
    problems.push(`raw HTML elements: ${view.foreignTags.join(', ')}`)
  if (view.attributes.length > 0)
    problems.push(`raw HTML attributes: ${view.attributes.join(', ')}`)
  for (const script of view.foreignScripts) problems.push(`a script ran: ${script}`)
  for (const url of view.blockedRequests) problems.push(`the page tried to fetch ${url}`)
  for (const dialog of view.dialogs) problems.push(`a dialog opened: ${dialog}`)
  for (const [i, chart] of view.charts.entries()) {
    const which = `Mermaid chart ${i + 1}`
    const tasks = ganttTasks(chart.source)
    if (!chart.drawn) problems.push(`${which} was not drawn`)
    else if (chart.error) problems.push(`${which} failed to draw: ${chart.error}`)
    else if (tasks > 0 && chart.bars !== tasks) {
      problems.push(`${which} has ${chart.bars} bars for ${tasks} tasks`)
    }
  }
  return problems
}
