import { describe, expect, it } from '@jest/globals'
import { artifactUrl, describeUploadError, noArtifactUrlReason } from '../src/artifact/upload.js'

describe('artifact upload helpers', () => {
  it('links the artifact the way actions/upload-artifact does', () => {
    expect(
      artifactUrl(
        {
          GITHUB_SERVER_URL: 'https://ghe.example.com',
          GITHUB_REPOSITORY: 'o/r',
          GITHUB_RUN_ID: '9'
        },
        12
      )
    ).toBe('https://ghe.example.com/o/r/actions/runs/9/artifacts/12')
    expect(artifactUrl({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' }, 1)).toBe(
      'https://github.com/o/r/actions/runs/9/artifacts/1'
    )
  })

  it('builds no link from a missing repository or run ID, and says which is missing', () => {
    expect(artifactUrl({ GITHUB_REPOSITORY: 'o/r' }, 1)).toBe('')
    expect(artifactUrl({ GITHUB_RUN_ID: '9', GITHUB_REPOSITORY: '' }, 1)).toBe('')
    expect(noArtifactUrlReason({ GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '9' })).toBeUndefined()
    expect(noArtifactUrlReason({ GITHUB_REPOSITORY: 'o/r' })).toBe(
      'no link to the artifact: GITHUB_RUN_ID is not set, so the workflow run is unknown'
    )
    expect(noArtifactUrlReason({})).toBe(
      'no link to the artifact: GITHUB_REPOSITORY and GITHUB_RUN_ID are not set, so the workflow run is unknown'
    )
  })

  it('suggests artifact-name only when the name is taken', () => {
    const taken = describeUploadError(
      'logs',
      new Error(
        'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run'
      )
    )
    expect(taken).toContain('give each job a unique artifact-name')
    expect(taken).toContain('The logs are still on the runner.')
    const other = describeUploadError(
      'logs',
      new Error('Failed request: (500) Internal Server Error')
    )
    expect(other).not.toContain('artifact-name')
    expect(other).toMatch(/^failed to upload the logs as artifact "logs": Failed request: \(500\)/)
  })
})
