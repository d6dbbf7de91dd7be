/** @type {import('jest').Config} */
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/test/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts', '<rootDir>/emulators/**/*.spec.ts'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
    // content-disposition@3 (used by @fastify/static for the docs page) and cockatiel@4 ship only as ES
    // modules, which Node 24 loads natively but Jest's CommonJS runtime cannot: they are compiled to CommonJS
    // for the tests. So is the OTLP exporters' transport, which loads node:http with a dynamic import().
    'node_modules/(content-disposition|cockatiel|@opentelemetry/otlp-exporter-base)/.+\\.js$': [
      'ts-jest',
      { tsconfig: { allowJs: true, module: 'commonjs', target: 'ES2022' }, diagnostics: false },
    ],
    // PGlite's CommonJS build loads Node built-ins with import(), which Jest's CommonJS runtime refuses without
    // --experimental-vm-modules: its import() calls become require() for the tests (Node runs it as shipped).
    'node_modules/@electric-sql/pglite/dist/.+\\.cjs$': '<rootDir>/test/support/dynamic-import-transform.js',
  },
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition|cockatiel|@opentelemetry/otlp-exporter-base|@electric-sql/pglite)/)'],
  // End-to-end tests boot servers; two workers match the two cores CI has.
  maxWorkers: 2,
  testTimeout: 30000,
};
