import * as fs from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { LogScanner } from '../src/download/log-scanner.js'
import type { Finding, Recogniser } from '../src/download/recognisers/recogniser.js'

/** The folder of the captured tool outputs: one subfolder per tool run. */
export const FAILURES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'failures')

/**
 * A captured output of the folder `name` under __fixtures__/failures/: `output.txt`, or `file`,
 * another capture of the same project.
 */
export function capturedOutput(name: string, file = 'output.txt'): string {
  return fs.readFileSync(path.join(FAILURES_DIR, name, file), 'utf8')
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
 * Bytes per chunk fed to the scanner: odd and below a capture's size, so lines and triggers
 * span chunks (the scanner's own tests feed every chunking down to single bytes).
 */
const CHUNK_BYTES = 4093

/**
 * The findings of one recogniser over a log's text: the real LogScanner drives it alone, fed the
 * text in small chunks, by the rules of the recogniser contract
 * (src/download/recognisers/recogniser.ts). `recognised` is called with each line (as the
 * recogniser saw it) that the recogniser said is part of a failure it reports.
 */
export function recognise(
  recogniser: Recogniser,
  text: string,
  recognised: (line: string) => void = () => {}
): Finding[] {
  const scanner = new LogScanner([observed(recogniser, recognised)])
  const bytes = Buffer.from(text)
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES)
    scanner.write(bytes.subarray(at, at + CHUNK_BYTES))
  const stats = scanner.finish()
  if (!stats) throw new Error('The scanner took the text for a compressed body')
  if (stats.recogniserFailures) throw new Error(stats.recogniserFailures.join('\n'))
  return stats.findings
}

/** The recogniser, telling `recognised` of each line it answers as part of a failure. */
function observed(recogniser: Recogniser, recognised: (line: string) => void): Recogniser {
  return {
    ...recogniser,
    start() {
      const state = recogniser.start()
      return {
        candidate(line) {
          const take = state.candidate(line)
          if (take?.recognised) recognised(line)
          return take
        },
        following(line) {
          const followed = state.following(line)
          if (followed === 'recognised') recognised(line)
          return followed
        },
        finish: () => state.finish()
      }
    }
  }
}
