import { execFileSync } from 'node:child_process'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

const PARSER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'mermaid-parse.mjs')

/** What Mermaid's parser made of one chart (see mermaid-parse.mjs). */
export interface MermaidReport {
  ok: boolean
  error?: string
  type?: string
  config?: object
  title?: string
  accTitle?: string
  accDescription?: string
  links?: number
  asked: string[]
  tasks?: {
    task: string
    id: string
    done: boolean
    crit: boolean
    active: boolean
    startMs: number
    endMs: number
  }[]
}

/** Mermaid's own parser over the charts, in one child process (in UTC, so dates read plainly). */
export function mermaidParse(charts: string[]): MermaidReport[] {
  const out = execFileSync(process.execPath, [PARSER], {
    input: JSON.stringify(charts),
    env: { ...process.env, TZ: 'UTC', NODE_OPTIONS: '' },
    timeout: 30_000
  })
  return JSON.parse(out.toString()) as MermaidReport[]
}
