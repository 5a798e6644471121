// ESLint (flat config). Type-aware rules for every TypeScript file, through the tsconfig that
// owns it (the root one for functions, scripts, tests; miniprogram/tsconfig.json for the app).
// The layering rules (domain -> ports -> app -> adapters) stay in tests/architecture.test.ts,
// not here. Formatting is Prettier's (eslint-config-prettier switches off what it owns).
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import noUnsanitized from 'eslint-plugin-no-unsanitized'
import react from 'eslint-plugin-react'
import reactHooks from 'eslint-plugin-react-hooks'
import security from 'eslint-plugin-security'
import globals from 'globals'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'miniprogram/dist/',
      'miniprogram/dist-h5/',
      'miniprogram/.cache/',
      'cloudfunctions/*/index.js',
      'cloudfunctions/*/fonts/',
      '.data/',
      '.backups/',
      '.cache/',
      '.swc/',
      'coverage/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // A cloud function's container may be frozen as soon as the handler answers: every promise
      // must be awaited, returned, or explicitly handed off with `void`.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'off', // async handlers of a fixed signature need not await
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }], // `x == null` is the one idiom for null or undefined
      'no-console': 'error',
    },
  },
  {
    // Tests, benchmarks and fakes read untyped JSON answers (`any`) on purpose.
    files: ['tests/**', 'bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-require-imports': 'off',
      '@typescript-eslint/unbound-method': 'off',
      'no-console': 'off',
    },
  },
  {
    // Plain JavaScript (configs, jest helpers): no type information.
    files: ['**/*.{js,cjs,mjs}'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { ...globals.node },
    },
    rules: { ...tseslint.configs.disableTypeChecked.rules, '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { sourceType: 'module' },
  },
  {
    // The mini-program: React and its hooks, and Taro's conventions (JSX in .tsx, single quotes in
    // JSX, pages as default exports); browser globals.
    files: ['miniprogram/**/*.{ts,tsx}'],
    plugins: { react, 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    settings: { react: { version: '18.3' } },
    rules: {
      ...react.configs.recommended.rules,
      ...react.configs['jsx-runtime'].rules,
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'react/prop-types': 'off',
      'react/jsx-key': 'error',
      'react/no-danger': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[object.name='wx']", message: 'Use Taro APIs (Taro.*), not the wx global: one code path for weapp and H5.' },
      ],
    },
  },
  {
    // Code that builds HTML, mail bodies or file paths from data: unsafe DOM sinks and the
    // injection-prone patterns of eslint-plugin-security.
    files: [
      'scripts/local-cloud/**/*.ts',
      'cloudfunctions/_core/app/invoice-mail.ts',
      'cloudfunctions/_core/app/notify.service.ts',
      'cloudfunctions/_core/adapters/mail/**/*.ts',
      'cloudfunctions/_core/adapters/local/fs.storage.ts',
      'cloudfunctions/_core/adapters/documents/**/*.ts',
      'miniprogram/src/**/*.{ts,tsx}',
    ],
    plugins: { 'no-unsanitized': noUnsanitized, security },
    rules: {
      'no-unsanitized/method': 'error',
      'no-unsanitized/property': 'error',
      'security/detect-eval-with-expression': 'error',
      'security/detect-new-buffer': 'error',
      'security/detect-non-literal-require': 'error',
      'security/detect-non-literal-regexp': 'error',
      'security/detect-unsafe-regex': 'error',
      'security/detect-child-process': 'error',
      'security/detect-buffer-noassert': 'error',
      'security/detect-pseudoRandomBytes': 'error',
      'security/detect-disable-mustache-escape': 'error',
      'security/detect-bidi-characters': 'error',
    },
  },
  prettier,
)
