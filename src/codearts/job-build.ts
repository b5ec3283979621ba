/** A build of a job, by its number. */
export interface JobBuild {
  jobId: string
  buildNumber: number
}
