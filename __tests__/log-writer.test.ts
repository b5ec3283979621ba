import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { LogWriter } from '../src/download/log-writer.js'

async function withTempFile(use: (file: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'log-writer-'))
  try {
    await use(path.join(dir, 'log'))
  } finally {
    await fs.rm(dir, { recursive: true, force: true })
  }
}

describe('LogWriter', () => {
  it('puts every chunk at its offset, whatever order the writes finish in', async () => {
    await withTempFile(async file => {
      const chunks = Array.from({ length: 200 }, (_, i) => randomBytes(1 + ((i * 7919) % 70_000)))
      const body = Readable.from(chunks)
      const handle = await fs.open(file, 'w')
      const writer = new LogWriter(handle.fd, body)
      let paused = 0
      body.on('pause', () => paused++)
      body.on('data', (chunk: Buffer) => writer.write(chunk))
      await finished(body)
      await writer.done()
      await handle.close()
      expect((await fs.readFile(file)).equals(Buffer.concat(chunks))).toBe(true)
      // Readable.from pushes faster than the disk takes it: the writer must have held it back.
      expect(paused).toBeGreaterThan(0)
    })
  })

  it('fails the body and reports the error when a write fails', async () => {
    await withTempFile(async file => {
      await fs.writeFile(file, '')
      const handle = await fs.open(file, 'r')
      const body = new PassThrough()
      const ended = finished(body)
      const writer = new LogWriter(handle.fd, body)
      writer.write(Buffer.from('x'))
      await expect(writer.done()).rejects.toMatchObject({ code: 'EBADF' })
      await expect(ended).rejects.toMatchObject({ code: 'EBADF' })
      await handle.close()
    })
  })
})
