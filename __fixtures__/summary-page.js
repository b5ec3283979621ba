/* global window, document, mermaid */
/**
 * Runs inside the page that __fixtures__/summary-browser.ts opens in Chromium: draws the Mermaid
 * charts as GitHub does (`securityLevel: 'strict'`), then reports what a reader of the rendered
 * job summary sees. Plain browser JavaScript, loaded from a file:// URL beside the Mermaid bundle.
 */

// The bundle would draw every `.mermaid` block on load; the charts are drawn below, once.
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })

// Tags a job summary is made of. Anything else in the rendered page came from raw HTML.
const SUMMARY_TAGS = new Set([
  'ARTICLE',
  'H1',
  'H2',
  'H3',
  'H4',
  'P',
  'TABLE',
  'THEAD',
  'TBODY',
  'TR',
  'TH',
  'TD',
  'DETAILS',
  'SUMMARY',
  'PRE',
  'CODE',
  'STRONG',
  'EM',
  'A',
  'UL',
  'OL',
  'LI',
  'BR',
  'HR',
  'BLOCKQUOTE'
])

function text(element) {
  return (element.textContent || '').replace(/\s+/g, ' ').trim()
}

/** Draws every `pre.mermaid` block; a chart Mermaid cannot parse is left with its error diagram. */
async function drawCharts() {
  const blocks = [...document.querySelectorAll('pre.mermaid')]
  for (const block of blocks) block.dataset.source = block.textContent || ''
  if (blocks.length === 0) return
  try {
    await mermaid.run({ nodes: blocks, suppressErrors: true })
  } catch (error) {
    for (const block of blocks) block.dataset.runError = String(error)
  }
}

function describeChart(block) {
  const svg = block.querySelector('svg')
  const errorText = svg
    ? [...svg.querySelectorAll('text')].map(text).find(t => /syntax error|error/i.test(t))
    : undefined
  return {
    source: block.dataset.source || '',
    drawn: Boolean(svg),
    error:
      block.dataset.runError || errorText || (svg?.querySelector('.error-icon') ? 'error' : ''),
    bars: svg ? svg.querySelectorAll('rect.task').length : 0
  }
}

function describeDetails(details) {
  const children = [...details.children]
  const pre = details.querySelector(':scope > pre')
  return {
    open: details.open,
    summary: text(details.querySelector(':scope > summary') || details),
    childTags: children.map(child => child.tagName),
    excerpt: pre ? pre.textContent || '' : '',
    nestedDetails: details.querySelectorAll('details').length,
    // What a reader sees before clicking: only the summary line, not the excerpt.
    excerptVisible: pre ? pre.checkVisibility() : false
  }
}

/** What the rendered summary shows, for the test to check in Node. */
window.inspectSummary = async function inspectSummary() {
  await drawCharts()
  const root = document.querySelector('article')
  const outsideCharts = [...root.querySelectorAll('*')].filter(
    element => !element.closest('pre.mermaid')
  )
  return {
    tables: [...root.querySelectorAll('table')].map(table => ({
      header: [...table.querySelectorAll('thead th')].map(text),
      rows: [...table.querySelectorAll('tbody tr')].map(row =>
        [...row.querySelectorAll('td')].map(text)
      )
    })),
    details: [...root.querySelectorAll('details')].map(describeDetails),
    links: [...root.querySelectorAll('a')].map(a => ({
      href: a.getAttribute('href') || '',
      text: text(a)
    })),
    foreignTags: [
      ...new Set(
        outsideCharts.map(element => element.tagName).filter(tag => !SUMMARY_TAGS.has(tag))
      )
    ],
    attributes: [
      ...new Set(
        outsideCharts.flatMap(element =>
          [...element.attributes]
            .map(attribute => attribute.name)
            .filter(name => name.startsWith('on') || name === 'style' || name === 'src')
        )
      )
    ],
    charts: [...root.querySelectorAll('pre.mermaid')].map(describeChart),
    headings: [...root.querySelectorAll('h2, h3')].map(text)
  }
}
