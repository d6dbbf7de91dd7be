// @ts-check
const tseslint = require('typescript-eslint');

/** The rules that catch what type checking does not: promises nobody awaits, switches that miss a case. */
module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', '*.js'] },
  {
    files: ['src/**/*.ts', 'emulators/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './tsconfig.json', tsconfigRootDir: __dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // The client package, type-checked with its own stricter tsconfig (node16 modules, exact optional types).
    files: ['client/**/*.ts'],
    ignores: ['client/dist/**'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { project: './client/tsconfig.json', tsconfigRootDir: __dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/await-thenable': 'error',
      // Published on its own: it imports its own files and its dependencies, nothing of the service.
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '^\\.\\./', message: 'client/ is published on its own: import files of the same folder, or the package by its name in examples/.' }] },
      ],
    },
  },
);
