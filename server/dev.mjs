#!/usr/bin/env node
// `npm run dev`: the server on PORT (default 8080) plus Vite with hot reload,
// which proxies /api and /socket.io to it (vite.config.ts). Ctrl-C stops both.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = process.env.PORT ?? '8080';
const env = { ...process.env, TWINSPACE_API: `http://127.0.0.1:${port}` };
const children = [
  spawn(process.execPath, ['server/twinspace.mjs', 'serve', '--port', port, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env }),
  spawn(process.execPath, ['node_modules/vite/bin/vite.js'], { cwd: root, stdio: 'inherit', env }),
];
const stop = () => { for (const c of children) c.kill('SIGTERM'); };
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', (code) => { stop(); process.exitCode = code ?? 0; });
