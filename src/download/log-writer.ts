import { write } from 'node:fs'
import type { Readable } from 'node:stream'
import { TransferError } from '../errors.js'

/** Writes allowed at once; the body is paused while this many are outstanding. */
const MAX_WRITES = 4

/**
 * Writes a body's chunks to a file as they arrive, each at its own offset on the thread pool and
 * several at once. A piped write stream queues the chunks and writes one at a time, so at 64 KiB
 * chunks it paused and resumed the socket for nearly every chunk: about 0.6 s of CPU per GiB
 * more than this in the bench. Nothing keeps a chunk after its write, so memory stays flat.
 */
export class LogWriter {
  private position = 0
  private inFlight = 0
  private failure?: Error
  private idle?: () => void

  constructor(
    private readonly fd: number,
    private readonly body: Readable
  ) {}

  /** Starts writing the next chunk after the ones before it. */
  write(chunk: Buffer): void {
    this.inFlight++
    this.writeAt(chunk, this.position)
    this.position += chunk.length
    if (this.inFlight === MAX_WRITES) this.body.pause()
  }

  /** Resolves once every write has landed; rejects with the first that failed. */
  async done(): Promise<void> {
    if (this.inFlight > 0) await new Promise<void>(resolve => (this.idle = resolve))
    if (this.failure) throw this.failure
  }

  private writeAt(chunk: Buffer, at: number): void {
    write(this.fd, chunk, 0, chunk.length, at, (error, written) => {
      // A file may take part of a chunk; one that takes nothing will not take it on a retry.
      if (!error && written === 0) error = new TransferError('the log file accepted no more bytes')
      if (!error && written < chunk.length) {
        this.writeAt(chunk.subarray(written), at + written)
        return
      }
      this.inFlight--
      if (error) {
        this.failure ??= error
        this.body.destroy(error)
      } else if (this.inFlight === MAX_WRITES - 1) {
        this.body.resume()
      }
      if (this.inFlight === 0) this.idle?.()
    })
  }
}
