import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/** The server the dev front end talks to (`npm run dev`); TWINSPACE_API overrides. */
const API_TARGET = process.env['TWINSPACE_API'] ?? 'http://127.0.0.1:8080';

export default defineConfig({
  // NOTE: the page lives in src/ because the top level of the repo is fixed.
  root: 'src',
  publicDir: '../public',
  plugins: [react()],
  build: { outDir: '../dist', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 2000 },
  server: {
    proxy: {
      '/api': API_TARGET,
      '/healthz': API_TARGET,
      '/socket.io': { target: API_TARGET, ws: true },
    },
  },
  test: {
    root: '.',
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts', 'test/repro/**/*.test.ts'], environment: 'node' } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'], environment: 'node', testTimeout: 30_000, hookTimeout: 60_000 } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], environment: 'node', testTimeout: 90_000, hookTimeout: 120_000, fileParallelism: false } },
    ],
  },
});
