// The packages whose JSON imports __fixtures__/jest-json-imports.js gives an import attribute.
const JSON_IMPORTERS = '@actions/(?:workflow-parser|languageservice)/dist/'

/**
 * Jest runs the TypeScript sources as ESM through ts-jest. `npm test` starts it with
 * --experimental-vm-modules, which ESM in jest needs, and --disable-warning=ExperimentalWarning,
 * since that flag's only effect on the log is Node's warning that it is experimental.
 */
export default {
  preset: 'ts-jest/presets/default-esm',
  // Node's environment, plus removal of the temporary folders of passing tests.
  testEnvironment: '<rootDir>/__fixtures__/jest-environment.js',
  roots: ['<rootDir>/__tests__'],
  testMatch: ['**/*.test.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.all.json' }],
    [`/node_modules/${JSON_IMPORTERS}.+\\.js$`]: '<rootDir>/__fixtures__/jest-json-imports.js'
  },
  transformIgnorePatterns: [`/node_modules/(?!${JSON_IMPORTERS})`],
  // In the project rather than the system temp folder, which `npm test` leaves as it found it.
  cacheDirectory: '<rootDir>/node_modules/.cache/jest',
  testTimeout: 60000
}
