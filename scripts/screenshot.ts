/**
 * `npm run screenshot`: makes docs/images/job-summary.png, the README's picture. Runs
 * `npm run demo -- --start` (a step that starts a build, follows it and fails with it), takes the
 * job summary it wrote, renders it in headless Chromium as GitHub does (GFM, Mermaid), checks it as
 * the browser test does, and saves the picture as a reader first sees it, the first-error blocks
 * closed (one open excerpt of dense log text weighs as much as the rest of the picture).
 *
 * Needs Chromium or Chrome (`apt-get install -y chromium fonts-noto-color-emoji`; the emoji font
 * draws ✅ and ❌), or CHROME_PATH naming one.
 */
import { spawnSync } from 'node:child_process'
import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_LOGS, DEMO_STAGES } from '../__fixtures__/demo-logs.js'
import {
  findBrowser,
  openSummaryRenderer,
  summaryProblems
} from '../__fixtures__/summary-browser.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const PICTURE = path.join(ROOT, 'docs', 'images', 'job-summary.png')
// GitHub shows a README image inline; keep it light for the repository and the page.
const MAX_PICTURE_BYTES = 300 * 1024

async function main(): Promise<number> {
  const browser = findBrowser()
  if (!browser.path) {
    console.error(`npm run screenshot needs a browser: ${browser.reason}`)
    return 1
  }
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cbl-screenshot-'))
  try {
    const summaryFile = path.join(dir, 'summary.md')
    const demo = spawnSync(
      process.execPath,
      [
        path.join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'),
        path.join(ROOT, 'scripts', 'demo.ts'),
        '--start',
        '--summary-out',
        summaryFile
      ],
      { cwd: ROOT, encoding: 'utf8' }
    )
    if (demo.status !== 0) {
      console.error(
        `npm run demo -- --start failed (exit ${demo.status}):\n${demo.stdout}${demo.stderr}`
      )
      return 1
    }
    const markdown = await fs.readFile(summaryFile, 'utf8')
    const renderer = await openSummaryRenderer(browser.path)
    try {
      await fs.mkdir(path.dirname(PICTURE), { recursive: true })
      const view = await renderer.render(markdown, { screenshot: PICTURE })
      const problems = summaryProblems(view, {
        stages: DEMO_STAGES.map(s => s.stage),
        excerpts: Object.values(DEMO_LOGS).filter(log => log.includes('[ERROR]')).length,
        linkPrefixes: ['https://github.com/']
      })
      if (problems.length > 0) {
        console.error(`The demo's summary does not render right:\n- ${problems.join('\n- ')}`)
        return 1
      }
    } finally {
      await renderer.close()
    }
    const { size } = await fs.stat(PICTURE)
    console.log(
      `${path.relative(ROOT, PICTURE)}: ${(size / 1024).toFixed(1)} KiB, made with ${browser.path}`
    )
    if (size >= MAX_PICTURE_BYTES) {
      console.error(`The picture is over ${MAX_PICTURE_BYTES / 1024} KiB`)
      return 1
    }
    return 0
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

process.exitCode = await main()
