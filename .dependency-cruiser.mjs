/**
 * The layers of src/, top to bottom: a module may import from its own layer or one below it,
 * never from one above, and no import cycle is allowed. `npm test` runs this (npm run layers).
 */
const LAYERS = [
  { name: 'entry', path: '^src/(index|main)\\.ts$' },
  { name: 'run steps', path: '^src/run/' },
  { name: 'inputs', path: '^src/inputs/' },
  { name: 'report and sign-in', path: '^src/(report|signin)/' },
  {
    name: 'CodeArts client, download, artifact, locate',
    path: '^src/(codearts|download|artifact|locate)/'
  },
  { name: 'transport', path: '^src/http/' },
  {
    name: 'shared helpers',
    path: '^src/(errors|constants|input-reader|server-text|text-cut)\\.ts$|^src/memory/'
  }
]

const upward = LAYERS.slice(1).map((layer, index) => ({
  name: `no-upward-from-${layer.name.replace(/\W+/g, '-')}`,
  comment: `${layer.name} may only import from its own layer or the ones below it`,
  severity: 'error',
  from: { path: layer.path },
  to: {
    path: LAYERS.slice(0, index + 1)
      .map(above => `(${above.path})`)
      .join('|')
  }
}))

export default {
  forbidden: [
    ...upward,
    {
      name: 'no-circular',
      comment: 'an import cycle ties modules together so that neither can change alone',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true }
    },
    {
      name: 'every-module-in-a-layer',
      comment: 'a new folder or file of src/ must be given its place in LAYERS',
      severity: 'error',
      from: {
        path: '^src/',
        pathNot: LAYERS.map(layer => `(${layer.path})`).join('|')
      },
      to: {}
    }
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports bind layers too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' }
  }
}
