import { ELLIPSIS, cutCodeUnits } from './text-cut.js'
import type { Inputs } from './constants.js'

/** The process environment, or a stand-in for it in tests. */
export type Env = Record<string, string | undefined>

/**
 * Reads an input the way the runner passes it (`INPUT_<NAME>`), trimmed; '' when unset. Only the
 * action's inputs can be named: each has its row in the input table (src/inputs/table.ts).
 */
export function readInput(env: Env, name: Inputs): string {
  return (env[`INPUT_${name.toUpperCase()}`] ?? '').trim()
}

/** Reads an environment variable, trimmed; '' when unset. */
export function readEnv(env: Env, name: string): string {
  return (env[name] ?? '').trim()
}

/** The most of a user-given value a message quotes, before the ellipsis. */
const QUOTED_CHARS = 80

/** Quotes a user-given value for a message, shortened so a huge value cannot flood the log. */
export function quote(value: string): string {
  return JSON.stringify(cutCodeUnits(value, QUOTED_CHARS + ELLIPSIS.length))
}
