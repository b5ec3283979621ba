import { randomUUID } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** An artifact that went through CreateArtifact, the blob upload and FinalizeArtifact. */
export interface StoredArtifact {
  id: number
  name: string
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  expiresAt?: string
  mimeType?: string
  /** The size the client reported in FinalizeArtifact, not necessarily `bytes.length`. */
  size: number
  /** The hash the client reported in FinalizeArtifact, e.g. `sha256:<hex>`. */
  hash?: string
  /** The committed blob: the concatenation of the committed blocks in block-list order. */
  bytes: Buffer
}

export interface RecordedRequest {
  method: string
  /** Path plus query string, exactly as received. */
  path: string
}

export interface ResultsServiceOptions {
  /** Names that already exist in every workflow run, so CreateArtifact answers 409 for them. */
  existingArtifactNames?: string[]
  /**
   * Makes every CreateArtifact answer with this status and JSON body. Statuses 429, 500, 502,
   * 503 and 504 make the client retry with multi-second backoffs, so prefer a 4xx in tests.
   */
  failCreateWith?: { status: number; body: object }
}

export interface ResultsService {
  /** Base URL to pass as ACTIONS_RESULTS_URL. */
  url: string
  artifacts: StoredArtifact[]
  requests: RecordedRequest[]
  close(): Promise<void>
}

const TWIRP_PREFIX = '/twirp/github.actions.results.api.v1.ArtifactService/'
const ACCOUNT = 'devstoreaccount1'
const CONTAINER = 'actions-results'
// Far above anything a test uploads, but keeps a runaway client from exhausting memory.
const MAX_BODY_BYTES = 256 * 1024 * 1024
// Azure allows at most 50,000 blocks per blob.
const MAX_BLOCKS = 50_000
// Text of the real service's duplicate-name answer, as seen in upload-artifact error reports.
const ALREADY_EXISTS_MSG = 'an artifact with this name already exists on the workflow run'

interface PendingArtifact {
  name: string
  workflowRunBackendId: string
  workflowJobRunBackendId: string
  expiresAt?: string
  mimeType?: string
  blobPath: string
  finalized: boolean
}

interface Blob {
  staged: Map<string, Buffer>
  committed?: Buffer
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string
  ) {
    super(message)
  }
}

/** Starts an emulator of the Actions results service and its blob storage on 127.0.0.1. */
export async function startResultsService(
  options: ResultsServiceOptions = {}
): Promise<ResultsService> {
  const artifacts: StoredArtifact[] = []
  const requests: RecordedRequest[] = []
  const existing = new Set(options.existingArtifactNames ?? [])
  // Keyed by `${runId}/${name}` because artifact names are unique per workflow run.
  const created = new Map<string, PendingArtifact>()
  const blobs = new Map<string, Blob>()
  let nextId = 1
  let baseUrl = ''

  async function handleTwirp(req: IncomingMessage, res: ServerResponse, method: string) {
    if (req.method !== 'POST') {
      return twirpError(res, 404, 'bad_route', `unsupported method ${req.method}`)
    }
    if (!/^Bearer \S+$/.test(req.headers.authorization ?? '')) {
      return twirpError(res, 401, 'unauthenticated', 'missing or malformed bearer token')
    }
    const raw = (await readBody(req)).toString('utf8')
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw) as Record<string, unknown>
    } catch {
      return twirpError(res, 400, 'malformed', 'request body is not valid JSON')
    }
    const runId = stringField(body, 'workflow_run_backend_id')
    const jobId = stringField(body, 'workflow_job_run_backend_id')
    const name = stringField(body, 'name')
    if (!runId || !jobId || !name) {
      return twirpError(res, 400, 'invalid_argument', 'workflow run, job and name are required')
    }
    const key = `${runId}/${name}`

    if (method === 'CreateArtifact') {
      if (options.failCreateWith) {
        return sendJson(res, options.failCreateWith.status, options.failCreateWith.body)
      }
      if (existing.has(name) || created.has(key)) {
        return twirpError(res, 409, 'already_exists', ALREADY_EXISTS_MSG)
      }
      const blobPath = `/${ACCOUNT}/${CONTAINER}/${encodeURIComponent(runId)}/${encodeURIComponent(`${name}.zip`)}`
      created.set(key, {
        name,
        workflowRunBackendId: runId,
        workflowJobRunBackendId: jobId,
        expiresAt: stringField(body, 'expires_at'),
        mimeType: stringField(body, 'mime_type'),
        blobPath,
        finalized: false
      })
      blobs.set(blobPath, { staged: new Map() })
      // Path-style on an IP host is what makes the Azure SDK treat the first segment as the account.
      const signedUploadUrl = new URL(`${blobPath.slice(1)}?sig=x`, baseUrl).href
      return sendJson(res, 200, { ok: true, signed_upload_url: signedUploadUrl })
    }

    if (method === 'FinalizeArtifact') {
      const pending = created.get(key)
      if (!pending || pending.finalized) {
        return twirpError(res, 404, 'not_found', `no artifact ${name} awaiting finalization`)
      }
      const bytes = blobs.get(pending.blobPath)?.committed
      if (!bytes) {
        return twirpError(res, 412, 'failed_precondition', `artifact ${name} has no uploaded blob`)
      }
      pending.finalized = true
      const id = nextId++
      artifacts.push({
        id,
        name,
        workflowRunBackendId: runId,
        workflowJobRunBackendId: jobId,
        expiresAt: pending.expiresAt,
        mimeType: pending.mimeType,
        size: Number(body.size ?? 0),
        hash: stringField(body, 'hash'),
        bytes
      })
      return sendJson(res, 200, { ok: true, artifact_id: String(id) })
    }

    return twirpError(res, 404, 'bad_route', `unknown method ${method}`)
  }

  async function handleBlob(req: IncomingMessage, res: ServerResponse, url: URL) {
    const blob = blobs.get(url.pathname)
    if (!url.searchParams.get('sig') || !blob) {
      // Azure answers 403 to anything that is not covered by a valid SAS.
      return blobError(req, res, 403, 'AuthenticationFailed', 'no signed URL covers this blob')
    }
    if (req.method !== 'PUT') {
      return blobError(req, res, 405, 'UnsupportedHttpVerb', `${req.method} is not emulated`)
    }
    const body = await readBody(req)
    const comp = url.searchParams.get('comp')

    if (comp === 'block') {
      const blockId = url.searchParams.get('blockid')
      if (!blockId) return blobError(req, res, 400, 'InvalidQueryParameterValue', 'no blockid')
      if (!blob.staged.has(blockId) && blob.staged.size >= MAX_BLOCKS) {
        return blobError(req, res, 409, 'BlockCountExceedsLimit', 'too many uncommitted blocks')
      }
      blob.staged.set(blockId, body)
      return blobCreated(req, res, {})
    }

    if (comp === 'blocklist') {
      const ids = parseBlockList(body.toString('utf8'))
      if (ids === undefined) return blobError(req, res, 400, 'InvalidXmlDocument', 'bad block list')
      const parts: Buffer[] = []
      for (const id of ids) {
        const part = blob.staged.get(id)
        if (!part) return blobError(req, res, 400, 'InvalidBlockList', `unknown block ${id}`)
        parts.push(part)
      }
      blob.committed = Buffer.concat(parts)
      // Committing discards every uncommitted block, as Azure does.
      blob.staged.clear()
      return blobCreated(req, res, {
        ETag: `"0x${Date.now().toString(16).toUpperCase()}"`,
        'Last-Modified': new Date().toUTCString()
      })
    }

    if (comp === null && req.headers['x-ms-blob-type'] === 'BlockBlob') {
      // Single-shot Put Blob, which the SDK uses for small buffers instead of staged blocks.
      blob.committed = body
      blob.staged.clear()
      return blobCreated(req, res, {
        ETag: `"0x${Date.now().toString(16).toUpperCase()}"`,
        'Last-Modified': new Date().toUTCString()
      })
    }

    return blobError(req, res, 400, 'InvalidQueryParameterValue', `comp=${comp} is not emulated`)
  }

  const server = createServer((req, res) => {
    const target = req.url ?? '/'
    requests.push({ method: req.method ?? '', path: target })
    const url = new URL(target, baseUrl)
    const work = url.pathname.startsWith(TWIRP_PREFIX)
      ? handleTwirp(req, res, url.pathname.slice(TWIRP_PREFIX.length))
      : url.pathname.startsWith(`/${ACCOUNT}/`)
        ? handleBlob(req, res, url)
        : Promise.resolve(
            sendJson(res, 404, { code: 'bad_route', msg: `no route ${url.pathname}` })
          )
    work.catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500
      if (!res.headersSent) sendJson(res, status, { code: 'internal', msg: String(error) })
      else res.destroy()
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  baseUrl = `http://127.0.0.1:${port}/`

  return {
    url: baseUrl,
    artifacts,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()))
        // The Azure SDK keeps connections alive, which would otherwise hold close() open.
        server.closeAllConnections()
      })
  }
}

function stringField(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field]
  return typeof value === 'string' ? value : undefined
}

/** Block IDs from a Put Block List body, in order, or undefined if it is not a block list. */
function parseBlockList(xml: string): string[] | undefined {
  if (!/<BlockList>[\s\S]*<\/BlockList>/.test(xml)) return undefined
  // Every ID is looked up among the staged blocks: the uploads these tests see never commit in
  // several steps, so Committed and Uncommitted can be treated like Latest.
  const ids: string[] = []
  for (const match of xml.matchAll(/<(Latest|Committed|Uncommitted)>([^<]*)<\/\1>/g)) {
    if (ids.length >= MAX_BLOCKS) return undefined
    ids.push(match[2].trim())
  }
  return ids
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let total = 0
  for await (const chunk of req) {
    const buf = chunk as Buffer
    total += buf.length
    if (total > MAX_BODY_BYTES) {
      req.destroy()
      throw new HttpError(413, 'request body too large')
    }
    chunks.push(buf)
  }
  return Buffer.concat(chunks)
}

function sendJson(res: ServerResponse, status: number, body: object): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text)
  })
  res.end(text)
}

function twirpError(res: ServerResponse, status: number, code: string, msg: string): void {
  sendJson(res, status, { code, msg })
}

function storageHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {
    'x-ms-request-id': randomUUID(),
    'x-ms-version': String(req.headers['x-ms-version'] ?? '2025-11-05'),
    Date: new Date().toUTCString()
  }
  const clientRequestId = req.headers['x-ms-client-request-id']
  if (typeof clientRequestId === 'string') headers['x-ms-client-request-id'] = clientRequestId
  return headers
}

function blobCreated(req: IncomingMessage, res: ServerResponse, extra: Record<string, string>) {
  res.writeHead(201, {
    ...storageHeaders(req),
    'x-ms-request-server-encrypted': 'true',
    ...extra,
    'Content-Length': '0'
  })
  res.end()
}

function blobError(
  req: IncomingMessage,
  res: ServerResponse,
  status: number,
  code: string,
  message: string
): void {
  const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}</Message></Error>`
  res.writeHead(status, {
    ...storageHeaders(req),
    'x-ms-error-code': code,
    'Content-Type': 'application/xml',
    'Content-Length': Buffer.byteLength(xml)
  })
  res.end(xml)
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, c => `&#${c.charCodeAt(0)};`)
}
