import { DEFAULT_MAX_ATTEMPTS, Inputs, MAX_BUILD_NUMBER, SHOWN_WARNINGS } from '../constants.js'
import { InputError } from '../errors.js'
import { quote, readInput, type Env } from '../input-reader.js'

/** Free text, checked (if at all) where it is parsed. */
interface TextSpec {
  kind: 'text'
  default?: string
}

/** A YAML boolean: true or false in any of its three spellings. */
interface BooleanSpec {
  kind: 'boolean'
  default: boolean
}

/** A whole number from `min` to `max`, both included. */
interface IntegerSpec {
  kind: 'integer'
  min: number
  max: number
  default?: number
}

/** One of a few words, in any case. */
interface ChoiceSpec {
  kind: 'choice'
  values: readonly string[]
  default: string
}

export type InputSpec = TextSpec | BooleanSpec | IntegerSpec | ChoiceSpec

/**
 * Every input of the action: its kind, its range and its default. `default` is exactly the
 * `default:` of action.yml (the runner passes it when the workflow gives nothing); a rule for an
 * input left empty that depends on other inputs or the environment (wait-minutes, region, path)
 * is in the parsing, and action.yml's description says it. A test checks this table against
 * action.yml both ways: names, defaults and the ranges the descriptions state. An input outside
 * the enum cannot be read, and the readers below take only the names of their kind.
 */
export const INPUT_TABLE = {
  [Inputs.RecordId]: { kind: 'text' },
  [Inputs.JobId]: { kind: 'text' },
  [Inputs.BuildNumber]: { kind: 'integer', min: 1, max: MAX_BUILD_NUMBER },
  [Inputs.StartBuild]: { kind: 'boolean', default: false },
  [Inputs.Parameters]: { kind: 'text' },
  [Inputs.Branch]: { kind: 'text' },
  [Inputs.Tag]: { kind: 'text' },
  [Inputs.Commit]: { kind: 'text' },
  [Inputs.FailOnBuildFailure]: { kind: 'boolean', default: true },
  [Inputs.StopOnCancel]: { kind: 'boolean', default: true },
  [Inputs.TaskNames]: { kind: 'text', default: 'all' },
  [Inputs.WholeLog]: { kind: 'boolean', default: false },
  [Inputs.FollowLog]: { kind: 'boolean', default: true },
  // GitHub ends a job on a hosted runner after 6 hours anyway.
  [Inputs.WaitMinutes]: { kind: 'integer', min: 0, max: 360 },
  [Inputs.PollSeconds]: { kind: 'integer', min: 1, max: 300, default: 15 },
  [Inputs.LogLevel]: { kind: 'choice', values: ['INFO', 'DEBUG'], default: 'INFO' },
  [Inputs.Compress]: { kind: 'boolean', default: false },
  [Inputs.Region]: { kind: 'text' },
  [Inputs.Endpoint]: { kind: 'text' },
  [Inputs.Token]: { kind: 'text' },
  [Inputs.AccessKeyId]: { kind: 'text' },
  [Inputs.SecretAccessKey]: { kind: 'text' },
  [Inputs.SecurityToken]: { kind: 'text' },
  [Inputs.ProjectId]: { kind: 'text' },
  [Inputs.IdentityProvider]: { kind: 'text' },
  [Inputs.Audience]: { kind: 'text', default: 'iam.myhuaweicloud.com' },
  [Inputs.IamEndpoint]: { kind: 'text' },
  [Inputs.Path]: { kind: 'text' },
  [Inputs.Upload]: { kind: 'boolean', default: true },
  [Inputs.ArtifactName]: { kind: 'text' },
  [Inputs.RetentionDays]: { kind: 'integer', min: 1, max: 90 },
  [Inputs.FailOnError]: { kind: 'boolean', default: true },
  // The API is a shared gateway: never more than 8 requests at once.
  [Inputs.Concurrency]: { kind: 'integer', min: 1, max: 8, default: 6 },
  // As actions/upload-artifact defaults it.
  [Inputs.CompressionLevel]: { kind: 'integer', min: 0, max: 9, default: 6 },
  [Inputs.MaxAttempts]: { kind: 'integer', min: 1, max: 10, default: DEFAULT_MAX_ATTEMPTS },
  [Inputs.Summary]: { kind: 'boolean', default: true },
  [Inputs.BuildErrorAnnotations]: { kind: 'integer', min: 0, max: SHOWN_WARNINGS, default: 5 },
  [Inputs.TimeoutSeconds]: { kind: 'integer', min: 1, max: 3600, default: 300 },
  // An expression the runner evaluates: empty (as under @github/local-action) means no token.
  [Inputs.GithubToken]: { kind: 'text', default: '${{ github.token }}' }
} as const satisfies Record<Inputs, InputSpec>

type Table = typeof INPUT_TABLE

type InputsOf<Kind extends InputSpec['kind']> = {
  [Name in Inputs]: Table[Name]['kind'] extends Kind ? Name : never
}[Inputs]

export type BooleanInput = InputsOf<'boolean'>
export type IntegerInput = InputsOf<'integer'>
export type ChoiceInput = InputsOf<'choice'>

const TRUE_VALUES = ['true', 'True', 'TRUE']
const FALSE_VALUES = ['false', 'False', 'FALSE']

/** Reads a boolean input; empty is its default. */
export function readBoolean(env: Env, name: BooleanInput): boolean {
  const raw = readInput(env, name)
  if (raw === '') return INPUT_TABLE[name].default
  if (TRUE_VALUES.includes(raw)) return true
  if (FALSE_VALUES.includes(raw)) return false
  throw new InputError(name, `must be a YAML boolean (true or false), got ${quote(raw)}`)
}

/** Checks a given value of a whole-number input against its range, or throws naming the input. */
export function checkInteger(name: IntegerInput, raw: string): number {
  const { min, max }: IntegerSpec = INPUT_TABLE[name]
  const value = /^[0-9]+$/.test(raw) ? Number(raw) : NaN
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InputError(name, `must be a whole number from ${min} to ${max}, got ${quote(raw)}`)
  }
  return value
}

/** Reads a whole-number input; empty is its default, or undefined for one without. */
export function readInteger<Name extends IntegerInput>(
  env: Env,
  name: Name
): Table[Name] extends { default: number } ? number : number | undefined {
  const raw = readInput(env, name)
  const { default: fallback }: IntegerSpec = INPUT_TABLE[name]
  return (raw === '' ? fallback : checkInteger(name, raw)) as Table[Name] extends {
    default: number
  }
    ? number
    : number | undefined
}

/** Reads a choice input, given in any case; empty is its default. */
export function readChoice<Name extends ChoiceInput>(
  env: Env,
  name: Name
): Table[Name]['values'][number] {
  const raw = readInput(env, name)
  const { values, default: fallback }: ChoiceSpec = INPUT_TABLE[name]
  const value = raw.toUpperCase() || fallback
  if (!values.includes(value)) {
    throw new InputError(name, `must be ${values.join(' or ')}, got ${quote(raw)}`)
  }
  return value as Table[Name]['values'][number]
}
