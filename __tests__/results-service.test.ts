import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { makeRuntimeToken } from '../__fixtures__/jwt.js'
import { startResultsService, type ResultsService } from '../__fixtures__/results-service.js'
import { readZip } from '../__fixtures__/zip.js'

const RUN_ID = 'ce7f54c7-61c7-4aae-887f-30da475f5f1a'
const JOB_ID = 'ca395085-040a-526b-2ce8-bdc85f692774'
const DAY_MS = 24 * 60 * 60 * 1000
// Variables that change how @actions/artifact behaves and so must not leak in from the host.
const ISOLATED_ENV = [
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_RESULTS_URL',
  'GITHUB_WORKSPACE',
  'GITHUB_SERVER_URL',
  'GITHUB_RETENTION_DAYS',
  'ACTIONS_ARTIFACT_UPLOAD_CONCURRENCY',
  'ACTIONS_ARTIFACT_UPLOAD_TIMEOUT_MS'
]

let service: ResultsService | undefined
let workDir: string
let savedEnv: Map<string, string | undefined>

beforeEach(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'results-service-'))
  savedEnv = new Map(ISOLATED_ENV.map(key => [key, process.env[key]]))
  for (const key of ISOLATED_ENV) delete process.env[key]
  // @actions/core writes progress and workflow commands to stdout, which would drown jest's report.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(async () => {
  jest.restoreAllMocks()
  for (const [key, value] of savedEnv) {
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  }
  await service?.close()
  service = undefined
  await rm(workDir, { recursive: true, force: true })
})

async function startAndPointClientAt(
  options?: Parameters<typeof startResultsService>[0]
): Promise<ResultsService> {
  service = await startResultsService(options)
  process.env.ACTIONS_RESULTS_URL = service.url
  process.env.ACTIONS_RUNTIME_TOKEN = makeRuntimeToken(RUN_ID, JOB_ID)
  process.env.GITHUB_WORKSPACE = workDir
  return service
}

async function writeFiles(files: Record<string, Buffer>): Promise<string[]> {
  const paths: string[] = []
  for (const [name, content] of Object.entries(files)) {
    const file = path.join(workDir, name)
    await writeFile(file, content)
    paths.push(file)
  }
  return paths
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function stagedBlockCount(svc: ResultsService): number {
  return svc.requests.filter(r => r.method === 'PUT' && /[?&]comp=block(&|$)/.test(r.path)).length
}

describe('results service emulator', () => {
  it('stores what the real @actions/artifact client uploads', async () => {
    const svc = await startAndPointClientAt()
    const files = {
      'small.txt': Buffer.from('hello from the emulator\n'),
      'large.bin': randomBytes(1536 * 1024)
    }
    const paths = await writeFiles(files)
    const { DefaultArtifactClient } = await import('@actions/artifact')

    const before = Date.now()
    const result = await new DefaultArtifactClient().uploadArtifact('logs', paths, workDir, {
      retentionDays: 3
    })

    expect(svc.artifacts).toHaveLength(1)
    const [artifact] = svc.artifacts
    expect(artifact).toMatchObject({
      id: result.id,
      name: 'logs',
      workflowRunBackendId: RUN_ID,
      workflowJobRunBackendId: JOB_ID,
      mimeType: 'application/zip',
      size: artifact.bytes.length
    })
    expect(result.size).toBe(artifact.bytes.length)
    expect(result.digest).toBe(sha256(artifact.bytes))
    expect(artifact.hash).toBe(`sha256:${result.digest}`)

    const entries = readZip(artifact.bytes)
    expect([...entries.keys()].sort()).toEqual(Object.keys(files).sort())
    for (const [name, content] of Object.entries(files)) {
      expect(entries.get(name)?.equals(content)).toBe(true)
    }

    // setDate() works in local time, so a DST change can shift the result by an hour.
    const expiresIn = Date.parse(artifact.expiresAt ?? '') - before
    expect(Math.abs(expiresIn - 3 * DAY_MS)).toBeLessThan(2 * 60 * 60 * 1000)
    expect(stagedBlockCount(svc)).toBe(1)
  })

  it('assembles a multi-block blob in block-list order', async () => {
    const svc = await startAndPointClientAt()
    // The client cuts 8 MiB blocks and stages them concurrently, so this needs two blocks.
    const files = { 'big.bin': randomBytes(9 * 1024 * 1024) }
    const paths = await writeFiles(files)
    const { DefaultArtifactClient } = await import('@actions/artifact')

    const result = await new DefaultArtifactClient().uploadArtifact('big', paths, workDir)

    expect(stagedBlockCount(svc)).toBe(2)
    const [artifact] = svc.artifacts
    expect(result.digest).toBe(sha256(artifact.bytes))
    expect(readZip(artifact.bytes).get('big.bin')?.equals(files['big.bin'])).toBe(true)
  })

  it('reads stored (uncompressed) entries', async () => {
    const svc = await startAndPointClientAt()
    const files = { 'raw.bin': randomBytes(64 * 1024) }
    const paths = await writeFiles(files)
    const { DefaultArtifactClient } = await import('@actions/artifact')

    await new DefaultArtifactClient().uploadArtifact('raw', paths, workDir, {
      compressionLevel: 0
    })

    const [artifact] = svc.artifacts
    // Random bytes only show up verbatim in the archive if the entry was stored, not deflated.
    expect(artifact.bytes.includes(files['raw.bin'])).toBe(true)
    expect(readZip(artifact.bytes).get('raw.bin')?.equals(files['raw.bin'])).toBe(true)
  })

  it('answers 409 Conflict for a name that already exists in the run', async () => {
    const svc = await startAndPointClientAt({ existingArtifactNames: ['logs'] })
    const paths = await writeFiles({ 'small.txt': Buffer.from('x') })
    const { DefaultArtifactClient } = await import('@actions/artifact')

    await expect(
      new DefaultArtifactClient().uploadArtifact('logs', paths, workDir)
    ).rejects.toThrow(/\(409\) Conflict: an artifact with this name already exists/)
    expect(svc.artifacts).toHaveLength(0)
    expect(svc.requests.filter(r => r.method === 'PUT')).toHaveLength(0)
  })

  it('answers 409 to a second CreateArtifact with the same name in the same run', async () => {
    const svc = await startAndPointClientAt()
    const paths = await writeFiles({ 'small.txt': Buffer.from('x') })
    const { DefaultArtifactClient } = await import('@actions/artifact')
    const client = new DefaultArtifactClient()

    await client.uploadArtifact('logs', paths, workDir)
    await expect(client.uploadArtifact('logs', paths, workDir)).rejects.toThrow(/409/)
    expect(svc.artifacts).toHaveLength(1)
  })

  it('lets a test dictate the CreateArtifact failure', async () => {
    await startAndPointClientAt({
      failCreateWith: { status: 400, body: { code: 'invalid_argument', msg: 'nope' } }
    })
    const paths = await writeFiles({ 'small.txt': Buffer.from('x') })
    const { DefaultArtifactClient } = await import('@actions/artifact')

    await expect(
      new DefaultArtifactClient().uploadArtifact('logs', paths, workDir)
    ).rejects.toThrow(/\(400\) Bad Request: nope/)
  })

  it('rejects twirp calls without a bearer token', async () => {
    const svc = await startAndPointClientAt()
    const response = await fetch(
      new URL('twirp/github.actions.results.api.v1.ArtifactService/CreateArtifact', svc.url),
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ workflow_run_backend_id: RUN_ID, name: 'logs' })
      }
    )

    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ code: 'unauthenticated' })
  })
})
