/** File name endings the action saves logs under. */
type LogExtension = '.log' | '.log.gz' | '.zip'

/** Every ending a stage's saved log can have, so an earlier run's file can be replaced. */
export const LOG_EXTENSIONS: readonly LogExtension[] = ['.log', '.log.gz', '.zip']

/** Picks the file ending from a body's first bytes: gzip, zip, or plain text otherwise. */
export function extensionFor(head: Buffer): LogExtension {
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) return '.log.gz'
  if (head.length >= 4 && head.readUInt32BE(0) === 0x504b0304) return '.zip'
  return '.log'
}
