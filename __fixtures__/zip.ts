import { crc32, inflateRawSync } from 'node:zlib'

const EOCD_SIGNATURE = 0x06054b50
const CENTRAL_SIGNATURE = 0x02014b50
const LOCAL_SIGNATURE = 0x04034b50
const EOCD_MIN_SIZE = 22
// The EOCD record ends with a comment of at most 65535 bytes, so it must start within this window.
const EOCD_SEARCH_WINDOW = EOCD_MIN_SIZE + 0xffff
const ZIP64_MARKER_32 = 0xffffffff
const ZIP64_MARKER_16 = 0xffff

/** Reads a zip archive into a map from entry name to uncompressed bytes (directory entries are skipped). */
export function readZip(buf: Buffer): Map<string, Buffer> {
  const eocd = findEndOfCentralDirectory(buf)
  const entryCount = buf.readUInt16LE(eocd + 10)
  const cdSize = buf.readUInt32LE(eocd + 12)
  const cdOffset = buf.readUInt32LE(eocd + 16)
  if (
    entryCount === ZIP64_MARKER_16 ||
    cdSize === ZIP64_MARKER_32 ||
    cdOffset === ZIP64_MARKER_32
  ) {
    throw new Error('zip64 archives are not supported by this reader')
  }
  if (cdOffset + cdSize > eocd) {
    throw new Error('central directory overlaps the end-of-central-directory record')
  }

  const files = new Map<string, Buffer>()
  let pos = cdOffset
  for (let i = 0; i < entryCount; i++) {
    if (pos + 46 > eocd || buf.readUInt32LE(pos) !== CENTRAL_SIGNATURE) {
      throw new Error(`bad central directory entry #${i} at offset ${pos}`)
    }
    const flags = buf.readUInt16LE(pos + 8)
    const method = buf.readUInt16LE(pos + 10)
    const crc = buf.readUInt32LE(pos + 16)
    // Archiver streams entries with data descriptors (flag bit 3), so the local header sizes are
    // zero; the central directory is the only place that holds the real sizes.
    const compressedSize = buf.readUInt32LE(pos + 20)
    const size = buf.readUInt32LE(pos + 24)
    const nameLength = buf.readUInt16LE(pos + 28)
    const extraLength = buf.readUInt16LE(pos + 30)
    const commentLength = buf.readUInt16LE(pos + 32)
    const localOffset = buf.readUInt32LE(pos + 42)
    if (
      compressedSize === ZIP64_MARKER_32 ||
      size === ZIP64_MARKER_32 ||
      localOffset === ZIP64_MARKER_32
    ) {
      throw new Error('zip64 entries are not supported by this reader')
    }
    // Bit 11 marks UTF-8 names; without it the name is CP437, which matches latin1 for ASCII.
    const name = buf.toString(flags & 0x800 ? 'utf8' : 'latin1', pos + 46, pos + 46 + nameLength)
    pos += 46 + nameLength + extraLength + commentLength

    if (name.endsWith('/')) continue
    if (files.has(name)) throw new Error(`duplicate zip entry ${name}`)
    const stored = readEntryData(buf, localOffset, compressedSize, name)
    const content = decompress(stored, method, name)
    if (content.length !== size) {
      throw new Error(`${name}: expected ${size} bytes, got ${content.length}`)
    }
    if (crc32(content) !== crc) throw new Error(`${name}: CRC-32 mismatch`)
    files.set(name, content)
  }
  return files
}

function findEndOfCentralDirectory(buf: Buffer): number {
  const lowest = Math.max(0, buf.length - EOCD_SEARCH_WINDOW)
  for (let pos = buf.length - EOCD_MIN_SIZE; pos >= lowest; pos--) {
    if (buf.readUInt32LE(pos) === EOCD_SIGNATURE) return pos
  }
  throw new Error('not a zip archive: end-of-central-directory record not found')
}

function readEntryData(buf: Buffer, localOffset: number, compressedSize: number, name: string) {
  if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) {
    throw new Error(`${name}: bad local file header at offset ${localOffset}`)
  }
  // The local extra field may differ from the central one, so its own lengths locate the data.
  const start =
    localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28)
  const end = start + compressedSize
  if (end > buf.length) throw new Error(`${name}: entry data runs past the end of the archive`)
  return buf.subarray(start, end)
}

function decompress(stored: Buffer, method: number, name: string): Buffer {
  switch (method) {
    case 0:
      return Buffer.from(stored)
    case 8:
      return inflateRawSync(stored)
    default:
      throw new Error(`${name}: unsupported compression method ${method}`)
  }
}
