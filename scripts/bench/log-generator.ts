/**
 * Generated logs: a pool of pre-built chunks of log lines, picked by a seeded PRNG, so a 1 GiB
 * body costs no more memory than the pool and serving is cheap enough not to be the bottleneck.
 */
import { createHash, type Hash } from 'node:crypto'
import { KiB } from './context.js'

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

// Rare errors and warnings, as in a real build log: the action scans every line for them.
function level(r: () => number): string {
  const x = r() % 10_000
  return x < 5 ? 'ERROR' : x < 100 ? 'WARN' : x < 1000 ? 'DEBUG' : 'INFO'
}
const STEPS = ['code checkout', 'build with maven', 'npm build', 'docker build', 'unit test']
const MESSAGES: ((r: () => number) => string)[] = [
  r =>
    `Downloaded from central: https://repo.maven.apache.org/maven2/org/example/lib${r() % 500}/${r() % 9}.${r() % 20}.${r() % 10}/lib.jar (${(r() % 900) + 1} kB at ${(r() % 99) / 10} MB/s)`,
  r =>
    `[${r() % 100}%] Building CXX object src/CMakeFiles/core.dir/module_${r().toString(16)}.cpp.o`,
  r => `Step ${r() % 40}/40 : RUN npm ci --prefer-offline --no-audit`,
  r =>
    `Tests run: ${r() % 900}, Failures: ${r() % 3}, Errors: 0, Skipped: ${r() % 20}, Time elapsed: ${(r() % 100_000) / 1000} s`,
  r => `${r().toString(16).padStart(8, '0')}${r().toString(16).padStart(8, '0')}: Pushed`,
  r => `npm warn deprecated pkg-${r() % 3000}@${r() % 7}.${r() % 30}.0: no longer supported`
]
const POOL_CHUNKS = 64
const POOL_CHUNK_BYTES = 64 * KiB

function buildPool(): Buffer[] {
  const r = mulberry32(20250626)
  let ms = Date.UTC(2025, 5, 26, 6, 23, 32)
  return Array.from({ length: POOL_CHUNKS }, () => {
    const lines: string[] = []
    let bytes = 0
    while (bytes < POOL_CHUNK_BYTES) {
      ms += r() % 40
      const stamp = new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').replace(/-/g, '/')
      const line = `[${stamp.slice(0, -1)} GMT+08:00] [${level(r)}] [${STEPS[r() % STEPS.length]}] : ${MESSAGES[r() % MESSAGES.length](r)}\n`
      lines.push(line)
      bytes += line.length
    }
    return Buffer.from(lines.join(''))
  })
}
/** The generated log, in chunks of about 64 KiB that each end with a newline. */
export const POOL = buildPool()

/** What the job summary reports for a log. */
export interface Counts {
  lines: number
  errors: number
  warnings: number
}

/** The summary's counts worked out independently of the action: split into lines, then search. */
function referenceCounts(text: Buffer): Counts {
  const lines = text.toString('latin1').split('\n')
  if (lines[lines.length - 1] === '') lines.pop()
  return {
    lines: lines.length,
    errors: lines.filter(l => l.includes('[ERROR]')).length,
    warnings: lines.filter(l => l.includes('[WARN')).length
  }
}
// Every pool chunk ends with a newline, so a log's counts are the sum over its chunks.
const POOL_COUNTS = POOL.map(referenceCounts)

/** Feeds what is served to the digest and the reference counts. */
export interface Served {
  hash: Hash
  counts: Counts
}

/** `size` bytes of log, the same for the same seed; fed to `served` as they are made. */
export function* logChunks(
  seed: number,
  size: number,
  served: Served | undefined
): Generator<Buffer> {
  const r = mulberry32(seed)
  for (let sent = 0; sent < size;) {
    const index = r() % POOL.length
    const chunk = POOL[index]
    const part = chunk.subarray(0, Math.min(chunk.length, size - sent))
    if (served) {
      served.hash.update(part)
      const add = part.length === chunk.length ? POOL_COUNTS[index] : referenceCounts(part)
      served.counts.lines += add.lines
      served.counts.errors += add.errors
      served.counts.warnings += add.warnings
    }
    sent += part.length
    yield part
  }
}

/** The seed of a stage's log: its body is a pure function of its name. */
export function seedOf(stage: string): number {
  return createHash('sha256').update(stage).digest().readUInt32LE(0)
}
