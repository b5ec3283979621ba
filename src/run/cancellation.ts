import * as core from '@actions/core'
import { stopBuild } from '../codearts/build-api.js'
import type { CodeArtsClient } from '../codearts/client.js'
import type { RetryPolicy } from '../codearts/retry.js'
import { CANCEL_GRACE_MS, EXIT_FAILURE, START_ANSWER_MS, STOP_TIMEOUT_MS } from '../constants.js'
import { errorMessage } from '../errors.js'
import { logRetry } from './context.js'

/** The run was cancelled; `detail` completes "The step was cancelled…" with what was kept. */
export class RunCancelled extends Error {
  constructor(readonly detail: string) {
    super(`The step was cancelled${detail}`)
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
 * 7.5 s later, then kills the process, so everything after the signal (the answer of a start in
 * flight, then the stop) has STOP_TIMEOUT_MS, and the process exits CANCEL_GRACE_MS after it.
 */
export class Cancellation {
  private readonly controller = new AbortController()
  // A start in flight is not cut by the cancel: its answer names the build to stop.
  private readonly startController = new AbortController()
  private pendingStart?: { jobId: string; answer: Promise<number> }
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

  /** The signal of a start request: aborted only START_ANSWER_MS after a cancel. */
  get startSignal(): AbortSignal {
    return this.startController.signal
  }

  /** A start request for `jobId` was sent; `answer` settles with the build number. */
  starting(jobId: string, answer: Promise<number>): void {
    this.pendingStart = { jobId, answer }
  }

  /** This step started the build: stop it if the run is cancelled before it ends. */
  started(build: StartedBuild): void {
    this.pendingStart = undefined
    this.build = build
  }

  /** The build ended, or goes on alone (a wait ran out, or a detached start): nothing to stop. */
  ended(): void {
    this.pendingStart = undefined
    this.build = undefined
  }

  /** What became of the build this step started, once the stop (if any) has settled. */
  async outcome(): Promise<string> {
    return this.stopping ?? ''
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
    const deadline = Date.now() + STOP_TIMEOUT_MS
    this.controller.abort(new Error(`cancelled by ${signal}`))
    setTimeout(
      () => this.startController.abort(new Error(`cancelled by ${signal}`)),
      START_ANSWER_MS
    ).unref()
    this.stopping = this.settle(deadline)
    // The client stays open for the stop; it is closed once that has settled. Closing it ends
    // kept-alive sockets, which http-client's proxy tunnels are not among.
    void this.stopping.finally(() => this.options.client.dispose())
    setTimeout(() => process.exit(EXIT_FAILURE), CANCEL_GRACE_MS).unref()
  }

  /** Stops the build this step started, once a start in flight has named it. */
  private async settle(deadline: number): Promise<string> {
    const pending = this.pendingStart
    let build = this.build
    if (pending && !build) {
      try {
        build = { jobId: pending.jobId, buildNumber: await pending.answer }
      } catch {
        return `The start request for job ${pending.jobId} had been sent, so a build may have started: check the job's build history in the CodeArts console.`
      }
    }
    if (!build) return ''
    if (!this.options.stopOnCancel) {
      return `Build ${build.buildNumber} of job ${build.jobId} goes on running (stop-on-cancel: false).`
    }
    return this.stop(build, deadline)
  }

  private async stop({ jobId, buildNumber }: StartedBuild, deadline: number): Promise<string> {
    const build = `build ${buildNumber} of job ${jobId}`
    core.info(`Stopping ${build} (stop-on-cancel)`)
    try {
      const answer = await stopBuild(this.options.client, jobId, buildNumber, {
        retry: this.options.retry,
        signal: AbortSignal.timeout(Math.max(0, deadline - Date.now())),
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
