/**
 * Validates action.yml, every workflow in .github/workflows and every ```yaml block of README.md,
 * CONTRIBUTING.md and the pages of docs/ with GitHub's own validator, @actions/languageservice (the one behind the VS Code GitHub
 * Actions extension; its action schema knows node24), offline. Also checks what the schema
 * leaves loose, and that the README's inputs and outputs tables match action.yml.
 */
import { describe, expect, it } from '@jest/globals'
import { validate, type ActionsMetadataProvider } from '@actions/languageservice'
import { getActionSchema } from '@actions/workflow-parser/actions/action-schema'
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { TextDocument } from 'vscode-languageserver-textdocument'
import { parse as parseYaml } from 'yaml'
import { MAX_BUILD_NUMBER } from '../src/constants.js'
import { getInputs } from '../src/inputs/action-inputs.js'
import { INPUT_TABLE, type InputSpec } from '../src/inputs/table.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const WORKFLOWS_DIR = path.join(ROOT, '.github', 'workflows')
// The README calls the action by its repository name; any owner and ref stand for this action.
const ACTION_REPO_NAME = 'codearts-build-logs'
// The keys the runner reads from an input definition; the schema accepts any key there, so a
// typo such as `requried: true` would silently leave an input optional.
const INPUT_KEYS = ['description', 'required', 'default', 'deprecationMessage']
// A wrapped README block starts this many lines into the workflow it is wrapped in.
const WRAPPER_LINES = 5

interface InputDefinition {
  description?: string
  required?: boolean
  default?: unknown
  [key: string]: unknown
}

interface ActionMetadata {
  name: string
  description: string
  inputs?: Record<string, InputDefinition>
  outputs?: Record<string, { description?: string }>
  runs?: { using?: string; main?: string }
  branding?: { icon?: string; color?: string }
}

/** One diagnostic, with its line counted from 1 in the file it was found in. */
interface Finding {
  severity: 'error' | 'warning'
  line: number
  message: string
}

const actionText = readFileSync(path.join(ROOT, 'action.yml'), 'utf8')
const action = parseYaml(actionText) as ActionMetadata
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8')
// Every page a user or contributor reads, by its path from the repository root.
const PAGES = [
  'README.md',
  'CONTRIBUTING.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter(name => name.endsWith('.md'))
    .map(name => `docs/${name}`)
]
const workflowFiles = existsSync(WORKFLOWS_DIR)
  ? readdirSync(WORKFLOWS_DIR).filter(name => /\.ya?ml$/.test(name))
  : []

type ProviderMetadata = NonNullable<
  Awaited<ReturnType<ActionsMetadataProvider['fetchActionMetadata']>>
>

/** Answers the validator's questions about actions: this one from action.yml, others unknown. */
const metadataProvider: ActionsMetadataProvider = {
  fetchActionMetadata: async reference => {
    // No inputs means "not checked": other actions' metadata is not available offline.
    if (reference.name !== ACTION_REPO_NAME || reference.path) {
      return { name: reference.name, description: '' }
    }
    const inputs: NonNullable<ProviderMetadata['inputs']> = {}
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      inputs[name] = {
        description: input.description ?? '',
        required: input.required === true,
        default: input.default === undefined ? undefined : String(input.default)
      }
    }
    return { name: action.name, description: action.description, inputs }
  }
}

let documents = 0

/** Runs GitHub's validator on a workflow or an action.yml given as text. */
async function validateYaml(kind: 'workflow' | 'action', text: string): Promise<Finding[]> {
  // The validator caches by URI and tells the two kinds apart by path, so each text gets its own.
  documents++
  const uri =
    kind === 'action'
      ? `file:///validate/${documents}/action.yml`
      : `file:///validate/${documents}/.github/workflows/check.yml`
  const diagnostics = await validate(TextDocument.create(uri, 'yaml', 1, text), {
    actionsMetadataProvider: metadataProvider
  })
  // Schema errors come without a severity, which LSP clients show as errors.
  return diagnostics.map(d => ({
    severity: d.severity === undefined || d.severity === 1 ? 'error' : 'warning',
    line: d.range.start.line + 1,
    message: typeof d.message === 'string' ? d.message : d.message.value
  }))
}

/**
 * Findings that fail a test: errors, and warnings except "Context access might be invalid",
 * which the validator gives for anything it cannot see statically (values a step appends to
 * $GITHUB_ENV, steps outside a README excerpt) and says itself only "might" be wrong.
 */
function failures(findings: Finding[], where: string, lineOffset = 0): string[] {
  return findings
    .filter(f => f.severity === 'error' || !f.message.startsWith('Context access might be invalid'))
    .map(f => `${where}:${f.line + lineOffset}: ${f.severity}: ${f.message}`)
}

interface Step {
  uses?: string
  with?: Record<string, unknown>
}

/**
 * Checks `uses: ./` steps against action.yml, which the validator skips because it only
 * resolves `owner/repo@ref` references.
 */
function localActionProblems(workflowText: string, metadata: ActionMetadata): string[] {
  const workflow = parseYaml(workflowText) as { jobs?: Record<string, { steps?: Step[] }> }
  const inputs = metadata.inputs ?? {}
  const problems: string[] = []
  for (const [jobId, job] of Object.entries(workflow.jobs ?? {})) {
    for (const [index, step] of (job.steps ?? []).entries()) {
      if (step.uses !== './') continue
      const given = Object.keys(step.with ?? {})
      for (const name of given) {
        if (!(name in inputs)) problems.push(`${jobId} step ${index + 1}: unknown input ${name}`)
      }
      for (const [name, input] of Object.entries(inputs)) {
        if (input.required === true && input.default === undefined && !given.includes(name)) {
          problems.push(`${jobId} step ${index + 1}: missing required input ${name}`)
        }
      }
    }
  }
  return problems
}

/** A fenced ```yaml block of a markdown file and the line its first line of YAML is on. */
interface YamlBlock {
  line: number
  text: string
}

/** Every ```yaml or ```yml fenced block, in order; blocks in other languages are skipped whole. */
function yamlBlocks(markdown: string): YamlBlock[] {
  const blocks: YamlBlock[] = []
  let open: { line: number; fence: string; yaml: boolean; body: string[] } | undefined
  for (const [index, line] of markdown.split('\n').entries()) {
    if (open) {
      if (line.trim() !== open.fence) {
        open.body.push(line)
        continue
      }
      if (open.yaml) blocks.push({ line: open.line, text: `${open.body.join('\n')}\n` })
      open = undefined
      continue
    }
    const fence = /^\s*(`{3,}|~{3,})\s*(\w*)/.exec(line)
    if (fence) {
      const yaml = fence[2] === 'yaml' || fence[2] === 'yml'
      open = { line: index + 2, fence: fence[1], yaml, body: [] }
    }
  }
  return blocks
}

/** What a README YAML block is, and the workflow or action text to validate it as. */
function asValidatable(block: string): {
  kind: 'workflow' | 'action'
  text: string
  offset: number
} {
  const parsed: unknown = parseYaml(block)
  const wrap = (steps: string) => ({
    kind: 'workflow' as const,
    text: `on: push\njobs:\n  j:\n    runs-on: ubuntu-latest\n    steps:\n${steps
      .split('\n')
      .map(line => (line ? `      ${line}` : line))
      .join('\n')}`,
    offset: -WRAPPER_LINES
  })
  if (Array.isArray(parsed)) return wrap(block)
  if (parsed && typeof parsed === 'object') {
    if ('jobs' in parsed) return { kind: 'workflow', text: block, offset: 0 }
    if ('runs' in parsed) return { kind: 'action', text: block, offset: 0 }
    if ('uses' in parsed || 'run' in parsed) {
      // A single step: make it the only item of a list of steps.
      return wrap(
        block
          .split('\n')
          .map((line, i) => (i === 0 ? `- ${line}` : line ? `  ${line}` : line))
          .join('\n')
      )
    }
  }
  throw new Error('not a workflow, a list of steps, a step or an action.yml')
}

/** What GitHub's validator and the `uses: ./` check find in one block of a page, by its line there. */
async function blockProblems(block: YamlBlock, page = 'README.md'): Promise<string[]> {
  const { kind, text, offset } = asValidatable(block.text)
  return [
    ...failures(await validateYaml(kind, text), page, block.line - 1 + offset),
    ...(kind === 'workflow' ? localActionProblems(text, action) : [])
  ]
}

/** A markdown table: its header cells and body rows, and the line of its header. */
interface Table {
  line: number
  header: string[]
  rows: string[][]
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split(/(?<!\\)\|/)
    .map(cell => cell.trim().replace(/\\\|/g, '|'))
}

/** Every pipe table of a markdown file. */
function markdownTables(markdown: string): Table[] {
  const lines = markdown.split('\n')
  const tables: Table[] = []
  for (let i = 0; i + 1 < lines.length; i++) {
    if (!lines[i].trim().startsWith('|') || !/^\s*\|?\s*:?-{3,}/.test(lines[i + 1])) continue
    const table: Table = {
      line: i + 1,
      header: cells(lines[i]).map(h => h.toLowerCase()),
      rows: []
    }
    let j = i + 2
    for (; j < lines.length && lines[j].trim().startsWith('|'); j++)
      table.rows.push(cells(lines[j]))
    tables.push(table)
    i = j - 1
  }
  return tables
}

function codeSpans(cell: string): string[] {
  return [...cell.matchAll(/`([^`]*)`/g)].map(match => match[1])
}

/**
 * Compares the README tables whose first header is `kind` (input or output) with action.yml:
 * the same names, and for inputs the same default and required flag where action.yml sets them.
 */
function tableProblems(
  markdown: string,
  metadata: ActionMetadata,
  kind: 'input' | 'output'
): string[] {
  const defined = (kind === 'input' ? metadata.inputs : metadata.outputs) ?? {}
  const tables = markdownTables(markdown).filter(table => table.header[0] === kind)
  if (tables.length === 0) return [`README has no table whose first column is "${kind}"`]
  const problems: string[] = []
  const listed = new Set<string>()
  for (const table of tables) {
    const defaultColumn = table.header.indexOf('default')
    const requiredColumn = table.header.indexOf('required')
    for (const [index, row] of table.rows.entries()) {
      const where = `README.md:${table.line + 2 + index}`
      const name = /^`([^`]+)`$/.exec(row[0] ?? '')?.[1]
      if (!name) {
        problems.push(`${where}: first cell "${row[0]}" is not a ${kind} name in backticks`)
        continue
      }
      if (listed.has(name)) problems.push(`${where}: ${kind} ${name} is listed twice`)
      listed.add(name)
      const definition = (defined as Record<string, InputDefinition>)[name]
      if (!definition) {
        problems.push(`${where}: ${kind} ${name} is not in action.yml`)
        continue
      }
      if (kind !== 'input') continue
      const cell = row[defaultColumn] ?? ''
      if (defaultColumn >= 0 && definition.default !== undefined) {
        const expected = String(definition.default)
        if (cell !== expected && !codeSpans(cell).includes(expected)) {
          problems.push(`${where}: ${name} default is "${cell}" but action.yml says "${expected}"`)
        }
      }
      const required = (row[requiredColumn] ?? '').toLowerCase()
      if (requiredColumn >= 0) {
        const readmeRequired = ['yes', 'true'].includes(required)
        if (!readmeRequired && !['no', 'false'].includes(required)) {
          problems.push(`${where}: ${name} required is "${required}", not yes or no`)
        } else if (readmeRequired !== (definition.required === true)) {
          problems.push(
            `${where}: ${name} required is "${required}" but action.yml has required: ${definition.required === true}`
          )
        }
      }
    }
  }
  for (const name of Object.keys(defined)) {
    if (!listed.has(name))
      problems.push(`README ${kind}s table lacks ${kind} ${name} of action.yml`)
  }
  return problems
}

/** Scalar values a schema definition allows, e.g. the icons of `branding-icon`. */
function allowedValues(definitionName: string): string[] {
  const schema = getActionSchema()
  return schema
    .getScalarDefinitions(schema.getDefinition(definitionName))
    .map(definition => (definition as { constant?: string }).constant)
    .filter((value): value is string => typeof value === 'string')
}

describe('action.yml', () => {
  it("passes GitHub's action.yml schema", async () => {
    expect(failures(await validateYaml('action', actionText), 'action.yml')).toEqual([])
  })

  it('runs dist/index.js on node24, and the bundle is there', () => {
    expect(action.runs?.using).toBe('node24')
    expect(action.runs?.main).toBe('dist/index.js')
    expect(existsSync(path.join(ROOT, 'dist', 'index.js'))).toBe(true)
  })

  it('describes every input and output, with no key the runner does not read', () => {
    const problems: string[] = []
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      if (!input?.description?.trim()) problems.push(`input ${name} has no description`)
      for (const key of Object.keys(input ?? {})) {
        if (!INPUT_KEYS.includes(key)) problems.push(`input ${name} has unknown key ${key}`)
      }
    }
    for (const [name, output] of Object.entries(action.outputs ?? {})) {
      if (!output?.description?.trim()) problems.push(`output ${name} has no description`)
    }
    expect(problems).toEqual([])
  })

  it("has a branding icon and color from GitHub's allowed lists", () => {
    const icons = allowedValues('branding-icon')
    const colors = allowedValues('branding-color')
    // Guards against reading the lists wrongly, which would make the checks below vacuous.
    expect(icons.length).toBeGreaterThan(200)
    expect(colors).toContain('gray-dark')
    expect(icons).toContain(action.branding?.icon)
    expect(colors).toContain(action.branding?.color)
  })

  it.each([
    ['an unknown runtime', (t: string) => t.replace('using: node24', 'using: node99'), 'node99'],
    ['no description', (t: string) => t.replace(/^description: .*\n/m, ''), 'description'],
    [
      'an icon outside the list',
      (t: string) => t.replace(/icon: .*/, 'icon: rocket-ship'),
      'rocket-ship'
    ],
    [
      'a misspelt main',
      (t: string) => t.replace('main: dist/index.js', 'mian: dist/index.js'),
      'main'
    ],
    [
      'required that is not a boolean',
      (t: string) => t.replace('required: false', 'required: yes please'),
      'yes please'
    ]
  ])('rejects a copy of action.yml with %s', async (_what, mutate, mentioned) => {
    const broken = mutate(actionText)
    expect(broken).not.toBe(actionText)
    const found = failures(await validateYaml('action', broken), 'action.yml')
    expect(found.length).toBeGreaterThan(0)
    expect(found.join('\n')).toContain(mentioned)
  })
})

describe('workflows', () => {
  it('.github/workflows holds at least one workflow', () => {
    expect(workflowFiles.length).toBeGreaterThan(0)
  })

  it.each(workflowFiles)(
    "%s passes GitHub's workflow schema and action.yml's inputs",
    async name => {
      const text = readFileSync(path.join(WORKFLOWS_DIR, name), 'utf8')
      const where = `.github/workflows/${name}`
      expect([
        ...failures(await validateYaml('workflow', text), where),
        ...localActionProblems(text, action)
      ]).toEqual([])
    }
  )

  it('rejects a workflow with a misspelt key and an unknown input', async () => {
    const workflow = [
      'on: push',
      'jobs:',
      '  j:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      `      - uses: someone/${ACTION_REPO_NAME}@v1`,
      '        with:',
      '          record-idd: 2cc26382-b2cb-4234-8eb0-b37d362f4d4c',
      '          task-names: stage1',
      '      - uses: ./',
      '        with:',
      '          task-name: stage1',
      '      - run: echo hi',
      '        iff: always()',
      ''
    ].join('\n')
    const found = failures(await validateYaml('workflow', workflow), 'w.yml').join('\n')
    expect(found).toContain("Invalid action input 'record-idd'")
    expect(found).toContain("Unexpected value 'iff'")
    // No input is required: record-id or job-id + build-number is checked by the action itself.
    expect(localActionProblems(workflow, action)).toEqual(['j step 2: unknown input task-name'])
  })
})

describe('the YAML examples of README.md, CONTRIBUTING.md and docs/', () => {
  const blocks = PAGES.flatMap(page =>
    yamlBlocks(readFileSync(path.join(ROOT, page), 'utf8')).map(block => ({ page, block }))
  )

  it('are there: the README, signing in and running builds show workflows', () => {
    const pagesWithBlocks = new Set(blocks.map(({ page }) => page))
    for (const page of ['README.md', 'docs/signing-in.md', 'docs/running-builds.md']) {
      expect(pagesWithBlocks).toContain(page)
    }
  })

  it.each(blocks.map(({ page, block }) => [page, block.line, block] as const))(
    '%s: the yaml block at line %i is valid for GitHub',
    async (page, _line, block) => {
      expect(await blockProblems(block, page)).toEqual([])
    }
  )
})

describe('README.md', () => {
  it('reports a broken README block at its line in README.md', async () => {
    const markdown = [
      '# Usage',
      '',
      '```sh',
      'echo "not yaml: [" ',
      '```',
      '',
      '```yaml',
      `- uses: someone/${ACTION_REPO_NAME}@v1`,
      '  with:',
      '    record-idd: 2cc26382-b2cb-4234-8eb0-b37d362f4d4c',
      '    task-names: stage1',
      '```',
      ''
    ].join('\n')
    const found = yamlBlocks(markdown)
    expect(found.map(block => block.line)).toEqual([8])
    expect(await blockProblems(found[0])).toEqual([
      "README.md:10: error: Invalid action input 'record-idd'"
    ])
  })

  it('lists exactly the inputs of action.yml, with the same defaults and required flags', () => {
    expect(tableProblems(readme, action, 'input')).toEqual([])
  })

  it('lists exactly the outputs of action.yml', () => {
    expect(tableProblems(readme, action, 'output')).toEqual([])
  })

  it('catches a table that lacks an input, adds one and gets a default wrong', () => {
    const metadata: ActionMetadata = {
      name: 'n',
      description: 'd',
      inputs: {
        'record-id': { description: 'd', required: true },
        'log-level': { description: 'd', default: 'INFO' },
        region: { description: 'd' },
        upload: { description: 'd', default: 'true' }
      }
    }
    const table = [
      '| input | required | default | meaning |',
      '| --- | --- | --- | --- |',
      '| `record-id` | yes | | the record |',
      '| `log-level` | no | `DEBUG` | level |',
      '| `region` | no | `HUAWEI_CLOUD_REGION`, else `cn-north-4` | region |',
      '| `colour` | no | | not an input |',
      ''
    ].join('\n')
    expect(tableProblems(table, metadata, 'input')).toEqual([
      'README.md:4: log-level default is "`DEBUG`" but action.yml says "INFO"',
      'README.md:6: input colour is not in action.yml',
      'README inputs table lacks input upload of action.yml'
    ])
  })
})

/**
 * The ranges a description states: "A to B" (a word in brackets may follow A, as in "0 (store)
 * to 9"), and "from A" for the build number, whose upper bound no real build reaches.
 */
function statedRanges(description: string): string[] {
  return [
    ...[...description.matchAll(/\b(\d+)(?: \([^)]*\))? to (\d+)\b/g)].map(
      m => `${m[1]} to ${m[2]}`
    ),
    ...[...description.matchAll(/\bfrom (\d+)\b(?! to)/g)].map(m => `from ${m[1]}`)
  ]
}

/** The range phrase a description must state for an input of the table, if any. */
function tableRanges(spec: InputSpec): string[] {
  if (spec.kind !== 'integer') return []
  return [spec.max === MAX_BUILD_NUMBER ? `from ${spec.min}` : `${spec.min} to ${spec.max}`]
}

/** Where action.yml and the input table disagree: names, defaults, stated ranges and choices. */
function inputTableProblems(
  metadata: ActionMetadata,
  table: Record<string, InputSpec | undefined>
): string[] {
  const defined = metadata.inputs ?? {}
  const problems: string[] = []
  for (const name of new Set([...Object.keys(defined), ...Object.keys(table)])) {
    const input = defined[name]
    const spec = table[name]
    if (!input || !spec) {
      problems.push(`${name} is only in ${input ? 'action.yml' : 'the input table'}`)
      continue
    }
    const yamlDefault = input.default === undefined ? undefined : String(input.default)
    const tableDefault = spec.default === undefined ? undefined : String(spec.default)
    if (yamlDefault !== tableDefault) {
      problems.push(
        `${name} defaults to ${yamlDefault} in action.yml, ${tableDefault} in the table`
      )
    }
    const stated = statedRanges(input.description ?? '')
    const expected = tableRanges(spec)
    if (stated.join() !== expected.join()) {
      problems.push(
        `${name}: action.yml states [${stated.join('; ')}], the table [${expected.join('; ')}]`
      )
    }
    if (spec.kind === 'choice' && !input.description?.includes(spec.values.join(' or '))) {
      problems.push(`${name}: action.yml does not say ${spec.values.join(' or ')}`)
    }
  }
  return problems
}

describe('action.yml and the input table of src/inputs/table.ts', () => {
  it('hold the same inputs, with the same defaults and ranges', () => {
    expect(inputTableProblems(action, INPUT_TABLE)).toEqual([])
  })

  it('catches an input on one side only, a wrong default, range or choice', () => {
    const metadata: ActionMetadata = {
      name: 'n',
      description: 'd',
      inputs: {
        'poll-seconds': { description: 'Seconds between polls (1 to 30).', default: '15' },
        'build-number': { description: 'A whole number from 0.' },
        'compression-level': { description: 'From 0 (store) to 9.', default: '5' },
        'log-level': { description: 'INFO or TRACE.', default: 'INFO' },
        upload: { description: 'Upload (true or false).', default: 'true' },
        colour: { description: 'Not an input.' }
      }
    }
    const table: Record<string, InputSpec> = {
      'poll-seconds': INPUT_TABLE['poll-seconds'],
      'build-number': INPUT_TABLE['build-number'],
      'compression-level': INPUT_TABLE['compression-level'],
      'log-level': INPUT_TABLE['log-level'],
      upload: INPUT_TABLE.upload,
      summary: INPUT_TABLE.summary
    }
    expect(inputTableProblems(metadata, table)).toEqual([
      'poll-seconds: action.yml states [1 to 30], the table [1 to 300]',
      'build-number: action.yml states [from 0], the table [from 1]',
      'compression-level defaults to 5 in action.yml, 6 in the table',
      'log-level: action.yml does not say INFO or DEBUG',
      'colour is only in action.yml',
      'summary is only in the input table'
    ])
  })
})

describe('wait-minutes: one rule in action.yml, the input checks, the README and the CHANGELOG', () => {
  const START = { token: 't0k', 'start-build': 'true', 'job-id': 'a'.repeat(32) }

  /** The step's environment as the runner makes it: action.yml's defaults, then what is given. */
  function runnerEnv(given: Record<string, string>): Record<string, string> {
    const env: Record<string, string> = {}
    for (const [name, input] of Object.entries(action.inputs ?? {})) {
      if (input.default !== undefined) env[`INPUT_${name.toUpperCase()}`] = String(input.default)
    }
    for (const [name, value] of Object.entries(given)) env[`INPUT_${name.toUpperCase()}`] = value
    return env
  }

  it('waits 60 minutes for a started build and none otherwise when left empty; 0 detaches', () => {
    // A default in action.yml would reach the action as if given, and hide the rule below.
    expect(action.inputs?.['wait-minutes']?.default).toBeUndefined()
    expect(getInputs(runnerEnv(START)).waitMinutes).toBe(60)
    expect(getInputs(runnerEnv({ ...START, 'wait-minutes': '0' })).waitMinutes).toBe(0)
    const record = { token: 't0k', 'record-id': '2cc26382-b2cb-4234-8eb0-b37d362f4d4c' }
    expect(getInputs(runnerEnv(record)).waitMinutes).toBe(0)
  })

  it('is said the same way in action.yml, the README table and the CHANGELOG', () => {
    expect(action.inputs?.['wait-minutes']?.description).toContain(
      'Left empty, 60 with start-build (a started build is followed to its end) and 0 otherwise'
    )
    const row = markdownTables(readme)
      .filter(table => table.header[0] === 'input')
      .flatMap(table => table.rows)
      .find(cells => cells[0] === '`wait-minutes`')
    expect(row?.[2]).toBe('`60` with `start-build`, else `0`')
    const changelog = readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8').replace(/\s+/g, ' ')
    expect(changelog).toContain(
      '`wait-minutes` left empty now means 60 with `start-build` (0 otherwise, as before). `wait-minutes: 0` still starts the build and detaches.'
    )
  })
})
