/**
 * Runs Mermaid's own parser in Node, inside a jsdom window, over charts read as a JSON array from
 * stdin; prints one JSON report per chart: whether Mermaid accepted it, its tasks, and every
 * directive, link or callback the chart asked for. A child process, so jest need not load
 * Mermaid's ESM and DOM globals itself.
 */
import { JSDOM } from 'jsdom'

const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true })
globalThis.window = dom.window
globalThis.document = dom.window.document
const { default: mermaid } = await import('mermaid')
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' })

let input = ''
for await (const chunk of process.stdin) input += chunk
const charts = JSON.parse(input)

// The gantt db is one object for every parse: recording its click and link calls catches any
// callback or link a chart asks for, whatever the syntax.
const { db } = await mermaid.mermaidAPI.getDiagramFromText('gantt\n    a :t0, 2024-01-01, 1d')
const asked = []
for (const name of ['setClickEvent', 'setLink', 'setIncludes', 'setExcludes', 'setWeekday']) {
  const original = db[name].bind(db)
  db[name] = (...args) => {
    asked.push(name)
    return original(...args)
  }
}

const reports = []
for (const chart of charts) {
  asked.length = 0
  try {
    const parsed = await mermaid.parse(chart)
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(chart)
    const tasks = diagram.db.getTasks().map(t => ({
      task: t.task,
      id: t.id,
      done: Boolean(t.done),
      crit: Boolean(t.crit),
      active: Boolean(t.active),
      startMs: t.startTime.getTime(),
      endMs: t.endTime.getTime()
    }))
    reports.push({
      ok: true,
      type: parsed.diagramType,
      config: parsed.config,
      title: diagram.db.getDiagramTitle(),
      accTitle: diagram.db.getAccTitle(),
      accDescription: diagram.db.getAccDescription(),
      sections: diagram.db.getSections(),
      links: diagram.db.getLinks().size,
      asked: [...asked],
      tasks
    })
  } catch (error) {
    reports.push({ ok: false, error: String(error).slice(0, 300), asked: [...asked] })
  }
}
process.stdout.write(JSON.stringify(reports))
