import * as core from '@actions/core'
import { stopBuild } from '../codearts/build-api.js'
import type { CodeArtsClient } from '../codearts/client.js'
import type { RetryPolicy } from '../codearts/retry.js'
import { CANCEL_GRACE_MS, EXIT_FAILURE, STOP_TIMEOUT_MS } from '../constants.js'
import { errorMessage } from '../errors.js'
import { logRetry } from './context.js'

/** The run was cancelled; the message says what was kept. */
export class RunCancelled extends Error {
  constructor(readonly kept: string) {
    super(`cancelled: ${kept}`)
    this.name = 'RunCancelled'
  }
}

/** A build this step started, which it may stop. */
interface StartedBuild {
  jobId: string
  buildNumber: number
}

/** How the run is cancelled, and whether a build it started is stopped with it. */
export interface CancellationOptions {
  client: CodeArtsClient
  stopOnCancel: boolean
  retry: RetryPolicy
}

/**
 * Turns SIGINT and SIGTERM (a cancelled workflow) into an aborted signal and, for a build this
 * step started and that has not ended, one stop request. The runner sends SIGINT, SIGTERM about
 * 7.5 s later, then kills the process, so the stop has STOP_TIMEOUT_MS and the process exits
 * CANCEL_GRACE_MS after the first signal.
 */
export class Cancellation {
  private readonly controller = new AbortController()
  private pendingStart?: string
  private build?: StartedBuild
  private stopping?: Promise<string>
  private readonly onSignal = (signal: NodeJS.Signals): void => this.cancel(signal)

  constructor(private readonly options: CancellationOptions) {
    // `on`, not `once`: the runner's SIGTERM after its SIGINT must not kill the stop in flight.
    process.on('SIGTERM', this.onSignal)
    process.on('SIGINT', this.onSignal)
  }

  /** Aborted once the run is cancelled. */
  get signal(): AbortSignal {
    return this.controller.signal
  }

  /** A start request for `jobId` is about to be sent. */
  starting(jobId: string): void {
    this.pendingStart = jobId
  }

  /** This step started the build: stop it if the run is cancelled before it ends. */
  started(build: StartedBuild): void {
    this.pendingStart = undefined
    this.build = build
  }

  /** The build ended (or is known to go on alone): nothing to stop any more. */
  ended(): void {
    this.build = undefined
  }

  /** What became of the build this step started, once the stop (if any) has settled. */
  async outcome(): Promise<string> {
    if (this.stopping) return this.stopping
    if (this.pendingStart !== undefined) {
      return `The start request for job ${this.pendingStart} had been sent, so a build may have started: check the job's build history in the CodeArts console.`
    }
    if (this.build && !this.options.stopOnCancel) {
      return `Build ${this.build.buildNumber} of job ${this.build.jobId} goes on running (stop-on-cancel: false).`
    }
    return ''
  }

  /** Stops listening for signals. */
  close(): void {
    process.off('SIGTERM', this.onSignal)
    process.off('SIGINT', this.onSignal)
  }

  private cancel(signal: NodeJS.Signals): void {
    if (this.controller.signal.aborted) {
      core.info(`Received ${signal} again: still stopping`)
      return
    }
    core.info(`Received ${signal}: stopping; complete logs stay where they were saved`)
    this.controller.abort(new Error(`cancelled by ${signal}`))
    const { client } = this.options
    if (this.build && this.options.stopOnCancel) {
      // The client stays open for the stop; it is closed once the stop has settled.
      this.stopping = this.stop(this.build).finally(() => client.dispose())
    } else {
      // The signal ends streams in flight (they remove their temporary files); dispose() also
      // closes kept-alive sockets, which http-client's proxy tunnels are not among.
      client.dispose()
    }
    setTimeout(() => process.exit(EXIT_FAILURE), CANCEL_GRACE_MS).unref()
  }

  private async stop({ jobId, buildNumber }: StartedBuild): Promise<string> {
    const build = `build ${buildNumber} of job ${jobId}`
    core.info(`Stopping ${build} (stop-on-cancel)`)
    try {
      const answer = await stopBuild(this.options.client, jobId, buildNumber, {
        retry: this.options.retry,
        signal: AbortSignal.timeout(STOP_TIMEOUT_MS),
        onRetry: n => logRetry('build stop', n)
      })
      const said = answer.result ? ` (${answer.result})` : ''
      const outcome = answer.accepted
        ? `CodeArts accepted the stop of ${build}${said}.`
        : `CodeArts did not accept the stop of ${build}${said}: it may go on running; stop it in the console.`
      core.info(outcome)
      return outcome
    } catch (error) {
      const outcome = `The stop request for ${build} failed: ${errorMessage(error)} It may go on running; stop it in the console.`
      core.info(outcome)
      return outcome
    }
  }
}
