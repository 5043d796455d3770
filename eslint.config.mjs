// ESLint (pinned in package.json) over the page's JavaScript; bash test.sh runs it
// (tests/test_lint.py). Correctness rules from @eslint/js, plus one style for what the code
// base wrote several ways: quotes, arrow-function parentheses, semicolons.
import js from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';

export default [
  {ignores: ['site/vendor/**', 'node_modules/**', 'dist/**']},
  js.configs.recommended,
  {
    files: ['site/js/**/*.{js,mjs}', 'tests/e2e/fixtures/**/*.js', 'tools/**/*.mjs'],
    languageOptions: {
      ecmaVersion: 2024,
      sourceType: 'module',
      globals: {...globals.browser, ...globals.worker},
    },
    plugins: {'@stylistic': stylistic},
    rules: {
      'no-unused-vars': ['error', {args: 'none', caughtErrors: 'none'}],
      'prefer-const': ['error', {destructuring: 'all'}],
      eqeqeq: ['error', 'always', {null: 'ignore'}],
      '@stylistic/quotes': ['error', 'single', {avoidEscape: true, allowTemplateLiterals: 'always'}],
      '@stylistic/semi': ['error', 'always'],
      '@stylistic/arrow-parens': ['error', 'as-needed'],
    },
  },
  {files: ['tools/**/*.mjs'], languageOptions: {globals: globals.node}},
];
