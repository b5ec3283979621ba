import {
  BRANCH_PARAMETER,
  type BuildParameter,
  type BuildRequest
} from '../codearts/build-start.js'
import { Inputs } from '../constants.js'
import { InputError } from '../errors.js'
import { quote, readInput, type Env } from '../input-reader.js'

const PARAMETER_NAME = /^[A-Za-z0-9_]{1,128}$/
const MAX_VALUE_CHARS = 8192
// The start API refuses these names: they would change how the build's own shell runs.
const FORBIDDEN_NAMES = [
  'PATH',
  'path',
  'LD_PRELOAD',
  'LD_LIBRARY_PATH',
  'BASH_ENV',
  'GIT_SSH_COMMAND'
]
// A git ref or commit is one word; 256 characters is far above any real one.
const SOURCE_REF = /^[^\s\p{Cc}]{1,256}$/u

/**
 * Reads `parameters`: one `name=value` per line, blank lines skipped, the value everything after
 * the first `=`. Messages name the line and the parameter, never a value: values are often secrets.
 */
export function parseParameters(raw: string): BuildParameter[] {
  const parameters: BuildParameter[] = []
  const lines = raw.split(/\r?\n/)
  for (const [index, line] of lines.entries()) {
    if (line.trim() === '') continue
    const at = line.indexOf('=')
    const where = `line ${index + 1}`
    if (at === -1) {
      throw new InputError(Inputs.Parameters, `${where} has no '=': write one name=value per line`)
    }
    const name = line.slice(0, at).trim()
    const value = line.slice(at + 1)
    if (!PARAMETER_NAME.test(name)) {
      throw new InputError(
        Inputs.Parameters,
        `${where} names ${quote(name)}: a parameter name is 1 to 128 letters, digits and _`
      )
    }
    if (FORBIDDEN_NAMES.includes(name)) {
      throw new InputError(
        Inputs.Parameters,
        `${where} names ${quote(name)}, which CodeArts refuses (${FORBIDDEN_NAMES.join(', ')})`
      )
    }
    if (value.length > MAX_VALUE_CHARS) {
      throw new InputError(
        Inputs.Parameters,
        `${where}: the value of ${name} has ${value.length} characters; at most ${MAX_VALUE_CHARS} are allowed`
      )
    }
    if (parameters.some(p => p.name === name)) {
      throw new InputError(Inputs.Parameters, `${where} names ${name} a second time`)
    }
    parameters.push({ name, value })
  }
  return parameters
}

function sourceRef(env: Env, name: Inputs): string | undefined {
  const raw = readInput(env, name)
  if (raw === '') return undefined
  if (!SOURCE_REF.test(raw)) {
    throw new InputError(
      name,
      `must be one git name of up to 256 characters without spaces, got ${quote(raw)}`
    )
  }
  return raw
}

/** The inputs that only a started build uses; checked so that none is silently ignored. */
const START_ONLY = [Inputs.Parameters, Inputs.Branch, Inputs.Tag, Inputs.Commit] as const

/** Refuses start-only inputs on a step that does not start a build. */
export function refuseStartOnlyInputs(env: Env): void {
  const given = START_ONLY.find(name => readInput(env, name) !== '')
  if (given !== undefined) {
    throw new InputError(
      given,
      `is only used with ${Inputs.StartBuild}: true, which this step does not set`
    )
  }
}

/** Reads what to start for `job-id` with `start-build: true`: parameters, branch, tag or commit. */
export function parseBuildRequest(env: Env, jobId: string): BuildRequest {
  const parameters = parseParameters(readInput(env, Inputs.Parameters))
  const branch = sourceRef(env, Inputs.Branch)
  const tag = sourceRef(env, Inputs.Tag)
  const commit = sourceRef(env, Inputs.Commit)
  if (branch !== undefined && parameters.some(p => p.name === BRANCH_PARAMETER)) {
    throw new InputError(
      Inputs.Branch,
      `and the parameter ${BRANCH_PARAMETER} in ${Inputs.Parameters} were both given: the branch is sent as ${BRANCH_PARAMETER}, so give one of them`
    )
  }
  if (tag !== undefined && commit !== undefined) {
    throw new InputError(
      Inputs.Tag,
      `and ${Inputs.Commit} were both given: build a tag or a commit, not both`
    )
  }
  return { jobId, parameters, branch, tag, commit }
}
