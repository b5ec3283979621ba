/**
 * A run's context built in-process the way main.ts builds it (the inputs parsed from the
 * runner's environment, one client, the canceller), against an emulator, with a virtual clock;
 * for tests of the steps that wait, which a bundle test could only time on the wall clock.
 */
import { jest } from '@jest/globals'
import { createAuthenticator } from '../src/codearts/authenticator.js'
import { CodeArtsClient } from '../src/codearts/client.js'
import { getInputs } from '../src/inputs/action-inputs.js'
import { Limiter } from '../src/http/limiter.js'
import { Cancellation } from '../src/run/cancellation.js'
import { retryPolicy, waitFrom, type RunContext, type Wait } from '../src/run/context.js'
import type { CodeArtsEmulator } from './codearts-server.js'
import { TOKEN } from './sample.js'
import type { VirtualClock } from './virtual-clock.js'

export interface InProcessRun {
  ctx: RunContext
  /** The wait the inputs ask for, on the virtual clock. */
  wait: Wait
  /** What the run printed so far: the job log, workflow commands included. */
  stdout(): string
  /** Closes the client and the canceller, and lets stdout through again. */
  close(): void
}

/** A run against `api` with these inputs (a token and the emulator's endpoint are added). */
export function inProcessRun(
  api: CodeArtsEmulator,
  clock: VirtualClock,
  given: Record<string, string>
): InProcessRun {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries({ token: TOKEN, endpoint: api.url, ...given })) {
    env[`INPUT_${name.toUpperCase()}`] = value
  }
  const inputs = getInputs(env)
  const wait = waitFrom(inputs, clock)
  if (!wait) throw new Error('inProcessRun needs wait-minutes above 0')
  const client = new CodeArtsClient({
    endpoint: inputs.endpoint,
    authenticator: createAuthenticator({ method: 'token', token: TOKEN }),
    timeoutMs: inputs.timeoutMs
  })
  const retry = retryPolicy(inputs)
  const cancellation = new Cancellation({ stopOnCancel: false, retry, onRetry: () => undefined })
  cancellation.signedIn(client)
  let printed = ''
  const write = jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    printed += String(chunk)
    return true
  })
  return {
    ctx: { inputs, client, limiter: new Limiter(inputs.concurrency), cancellation, retry, env },
    wait,
    stdout: () => printed,
    close: () => {
      write.mockRestore()
      cancellation.close()
      client.dispose()
    }
  }
}
