/** A build record ID of the documented shape. */
export const RECORD_ID = '2cc26382-b2cb-4234-8eb0-b37d362f4d4c'

/** The IAM token the CodeArts emulator accepts in tests. */
export const TOKEN = 'MIIEtest-token.0123456789abcdefABCDEF'

/** CodeArts-style logs for a three-action build whose second action failed to compile. */
export const SAMPLE_LOGS: Record<string, string> = {
  stage1: [
    '[2025/06/26 14:23:32.169 GMT+08:00] [INFO] [code checkout:external_pre_checkout] : start checkout',
    '[2025/06/26 14:23:33.402 GMT+08:00] [INFO] [code checkout:external_pre_checkout] : checkout done',
    ''
  ].join('\n'),
  stage2: [
    '[2025/06/26 14:23:40.001 GMT+08:00] [INFO] [build with maven] : mvn package -B',
    '[2025/06/26 14:24:02.719 GMT+08:00] [ERROR] [build with maven] : App.java:[12,8] cannot find symbol',
    '[2025/06/26 14:24:02.720 GMT+08:00] [WARN] [build with maven] : BUILD FAILURE',
    ''
  ].join('\n'),
  stage3: `${'[2025/06/26 14:24:10.000 GMT+08:00] [INFO] [upload] : chunk\n'.repeat(5000)}`
}

/**
 * A chatty build's output, about 900 KiB: numbered lines, so a text that is its exact beginning
 * holds each line once.
 */
export const CHATTY_LOG = Array.from(
  { length: 12_000 },
  (_, i) => `[INFO] line ${String(i).padStart(6, '0')} of a chatty build, written fast ✓\n`
).join('')

/**
 * The error annotation the compile error of SAMPLE_LOGS' stage2 raises when no file list of the
 * repository is at hand (no checkout, no github-token): no file, line or column. `label` names
 * the stage as annotations do: `stage2`, or `stage2 (Build)` when the record gives its name.
 */
export function sampleCompileError(label: string): {
  level: string
  title: string
  message: string
} {
  return { level: 'error', title: `Compile error in ${label}`, message: 'cannot find symbol' }
}
