import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import * as fs from 'node:fs/promises'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startCodeArts, type CodeArtsEmulator } from '../__fixtures__/codearts-server.js'
import { startConnectProxy, type ConnectProxy } from '../__fixtures__/connect-proxy.js'
import { cancelMidDownload, expectExitCode, runAction } from '../__fixtures__/run-action.js'
import { RECORD_ID, SAMPLE_LOGS, TOKEN } from '../__fixtures__/sample.js'

const TLS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '__fixtures__', 'tls')
const CA = path.join(TLS_DIR, 'test-cert.pem')
// A name that resolves nowhere: only the proxy can reach it, so a success proves the proxy was used.
const ENDPOINT = 'https://cloudbuild-ext.test'

let api: CodeArtsEmulator
let proxy: ConnectProxy

beforeAll(async () => {
  api = await startCodeArts({
    token: TOKEN,
    logs: { [RECORD_ID]: SAMPLE_LOGS },
    // stage2 sends its headers and one byte, then nothing: a download to cancel.
    intercept: (_req, res, url) => {
      if (url.searchParams.get('task_name') !== 'stage2') return false
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' })
      res.write('[')
      return true
    },
    tls: {
      key: await fs.readFile(path.join(TLS_DIR, 'test-key.pem')),
      cert: await fs.readFile(CA)
    }
  })
  proxy = await startConnectProxy(api.port)
})
afterAll(async () => {
  await proxy.close()
  await api.close()
})

const inputs = { 'record-id': RECORD_ID, 'task-names': 'stage1', token: TOKEN, endpoint: ENDPOINT }

describe('proxies and TLS', () => {
  it('reaches an https endpoint through https_proxy, verifying its certificate', async () => {
    const run = await runAction({
      inputs,
      env: { https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: CA, no_proxy: 'example.org' }
    })
    expectExitCode(run, 0)
    expect(proxy.tunnels).toContain('cloudbuild-ext.test:443')
    expect(await fs.readFile(JSON.parse(run.outputs.files)[0], 'utf8')).toBe(SAMPLE_LOGS.stage1)
  })

  it('stops a download through the proxy on SIGTERM and removes its temporary file', async () => {
    const run = await runAction({
      inputs: { ...inputs, 'task-names': 'stage1 stage2' },
      env: { https_proxy: proxy.url, NODE_EXTRA_CA_CERTS: CA },
      during: cancelMidDownload(RECORD_ID)
    })
    expectExitCode(run, 1)
    const dir = path.join(run.runnerTemp, 'codearts-build-logs', RECORD_ID)
    expect(await fs.readdir(dir)).toEqual(['stage1.log'])
    expect(run.annotations).toEqual([expect.objectContaining({ title: 'Cancelled' })])
  })

  it('refuses a certificate it cannot verify', async () => {
    const run = await runAction({
      inputs: { ...inputs, 'max-attempts': '1' },
      env: { HTTPS_PROXY: proxy.url }
    })
    expectExitCode(run, 1)
    expect(run.annotations[0].message).toMatch(/self[- ]signed certificate/i)
  })
})
