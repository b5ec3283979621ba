import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { toolLine, type Finding, type Recogniser } from '../src/download/recognisers/recogniser.js'

/** The folder of the captured tool outputs: one subfolder per tool run. */
export const FAILURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'failures')

/** A captured output (`output.txt`) of the folder `name` under __fixtures__/failures/. */
export function capturedOutput(name: string): string {
  return fs.readFileSync(path.join(FAILURES_DIR, name, 'output.txt'), 'utf8')
}

/**
 * A CodeArts log made of a tool's output: each line behind the prefix CodeArts writes
 * (`[2026/09/10 19:09:20.236 GMT+08:00] [INFO] [build:mvn] : `), optionally in ANSI colour.
 */
export function asCodeArtsLog(output: string, options: { ansi?: boolean } = {}): string {
  return output
    .split('\n')
    .map((line, i) => {
      const text = options.ansi && line.trim() !== '' ? `\u001b[1;31m${line}\u001b[0m` : line
      const ms = String(i % 1000).padStart(3, '0')
      return `[2026/09/10 19:09:20.${ms} GMT+08:00] [INFO] [build:step] : ${text}`
    })
    .join('\n')
}

/**
 * The findings of one recogniser over a log's text, driven by the rules of the recogniser
 * contract (src/download/recognisers/recogniser.ts). `recognised` is called with each line (as
 * the recogniser saw it) that the recogniser said is part of a failure it reports.
 * TODO(lead): drive the real LogScanner once it takes recognisers.
 */
export function recognise(
  recogniser: Recogniser,
  text: string,
  recognised: (line: string) => void = () => {}
): Finding[] {
  const state = recogniser.start()
  let wanted = 0
  for (const raw of text.split('\n')) {
    const line = toolLine(raw)
    if (wanted > 0) {
      const followed = state.following(line)
      if (followed === 'recognised') recognised(line)
      if (followed !== 'done') {
        wanted--
        continue
      }
      wanted = 0
    }
    if (!recogniser.triggers.some(trigger => raw.includes(trigger))) continue
    const take = state.candidate(line)
    if (take?.recognised) recognised(line)
    if (take) wanted = Math.min(take.following, recogniser.maxFollowing)
  }
  return state.finish()
}
