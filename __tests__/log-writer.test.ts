import { describe, expect, it } from '@jest/globals'
import { randomBytes } from 'node:crypto'
import * as fs from 'node:fs/promises'
import * as os from 'node:os'
import * as path from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { finished } from 'node:stream/promises'
import { DiskFullError, LogWriter, isDiskFull } from '../src/download/log-writer.js'

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
      expect(writer.written).toBe(Buffer.concat(chunks).length)
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

  it('fails with ENOSPC on a full device, having saved nothing', async () => {
    // /dev/full takes no byte: every write fails with ENOSPC, as on a full disk.
    const handle = await fs.open('/dev/full', 'w')
    try {
      const body = new PassThrough()
      const ended = finished(body)
      const writer = new LogWriter(handle.fd, body)
      writer.write(Buffer.alloc(300 * 1024, 'x'))
      const failure = await writer.done().catch((error: unknown) => error)
      expect(isDiskFull(failure)).toBe(true)
      await expect(ended).rejects.toBe(failure)
      expect(writer.written).toBe(0)
    } finally {
      await handle.close()
    }
  })
})

describe('DiskFullError', () => {
  const where = { dir: '/runner/temp/logs', saved: 65_536, received: 481_063 }
  const cause = Object.assign(new Error('ENOSPC: no space left on device, write'), {
    code: 'ENOSPC'
  })

  it('says the disk is full, how much of the log was saved and what helps', () => {
    const error = new DiskFullError({ ...where, compressed: false }, { cause })
    expect(error.title).toBe("The runner's disk is full")
    expect(error.message).toBe(
      'the disk that holds /runner/temp/logs is full: 65536 of the 481063 bytes received of this log were saved before it filled, and that part was removed. ' +
        'Free space on the runner before this step (remove what earlier steps left there), or set compress: true to download the logs compressed.'
    )
    expect(error.cause).toBe(cause)
    expect(isDiskFull(cause)).toBe(true)
  })

  it('does not advise compress: true when the logs are compressed already', () => {
    const error = new DiskFullError({ ...where, compressed: true }, { cause })
    expect(error.message).toMatch(
      /Free space on the runner before this step \(remove what earlier steps left there\); the logs are already compressed\.$/
    )
    expect(error.message).not.toContain('set compress')
  })
})
