import { describe, expect, it } from '@jest/globals'
import { scanBlock } from '../src/download/scan-kernel.js'

/** The kernel's contract, byte by byte: newlines, and every '[' followed by W, E, G or U. */
function reference(block: Uint8Array): { lines: number; candidates: number[] } {
  let lines = 0
  const candidates: number[] = []
  for (let i = 0; i < block.length; i++) {
    if (block[i] === 0x0a) lines++
    if (
      block[i] === 0x5b &&
      i + 1 < block.length &&
      'WEGU'.includes(String.fromCharCode(block[i + 1]))
    )
      candidates.push(i)
  }
  return { lines, candidates }
}

function kernel(block: Uint8Array): { lines: number; candidates: number[] } {
  const candidates: number[] = []
  return { lines: scanBlock(block, candidates), candidates }
}

/** Deterministic bytes drawn from the characters that matter to the kernel, and some that do not. */
function noise(length: number, seed: number): Buffer {
  const alphabet = Buffer.from('\n[WEGUw e\r\x00\xd7')
  const out = Buffer.alloc(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0
    out[i] = alphabet[(x >>> 16) % alphabet.length]
  }
  return out
}

describe('scanBlock', () => {
  it('agrees with a byte-by-byte count, for every length around its 16-, 64- and window-byte steps', () => {
    const lengths = [0, 1, 2, 15, 16, 17, 63, 64, 65, 127, 1000]
    const window = 64 * 1024
    lengths.push(window - 1, window, window + 1, 3 * window + 17)
    for (const [i, length] of lengths.entries()) {
      // An odd start, as a subarray of a socket chunk has.
      const block = noise(length + 3, i).subarray(3)
      expect(kernel(block)).toEqual(reference(block))
    }
  })

  it('finds a pair split by a window boundary, and leaves nothing behind from a longer block', () => {
    const window = 64 * 1024
    const block = Buffer.alloc(2 * window, 'x')
    block[window - 1] = 0x5b
    block[window] = 'W'.charCodeAt(0)
    block[2 * window - 1] = 0x0a
    expect(kernel(block)).toEqual({ lines: 1, candidates: [window - 1] })
    // The window's bytes from the block above must not count for this shorter one.
    expect(kernel(Buffer.from('[E\n'))).toEqual({ lines: 1, candidates: [0] })
  })
})
