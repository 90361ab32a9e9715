// Layering (../shared/STYLE.md): src/core is pure and reaches no React, three,
// socket or Node API; the server never imports browser code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

const BROWSER_ONLY = ['react', 'react-dom', 'react-dom/*', 'three', 'three/*', '@react-three/*', 'zustand', 'zustand/*'];
const NODE_ONLY = ['node:*', 'fs', 'path', 'os', 'http', 'crypto', 'better-sqlite3', 'socket.io', 'pg', 'mqtt', 'ioredis', 'redis'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'data/**', 'docs/**', 'tmp/**', '.scratch/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: [...BROWSER_ONLY, ...NODE_ONLY, 'socket.io-client'], message: 'src/core is pure: no React, three, socket or Node imports.' },
          { group: ['**/scene/**', '**/hud/**', '**/state/**', '**/net/**', '**/app/**', '**/server/**'], message: 'src/core may import only src/core.' },
        ],
      }],
    },
  },
  {
    files: ['src/**/*.{ts,tsx}'],
    ignores: ['src/core/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'react-hooks/refs': 'off',
      'react-hooks/immutability': 'off',
      'no-restricted-imports': ['error', {
        patterns: [
          { group: NODE_ONLY, message: 'Browser code may not import Node-only modules.' },
          { group: ['**/server/**'], message: 'Browser code may not import server code; share through src/core.' },
        ],
      }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [
          { group: BROWSER_ONLY, message: 'The server may not import browser libraries.' },
          { group: ['**/src/scene/**', '**/src/hud/**', '**/src/state/**', '**/src/net/**', '**/src/app/**'], message: 'The server shares only src/core.' },
        ],
      }],
    },
  },
);
