// Runs the real `twinspace` bin in a child process, as users do: a command to
// completion, or `serve` until it prints its URL; and a free port for a server
// that must come back on the same one.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

const BIN = new URL('../../server/twinspace.mjs', import.meta.url).pathname;

interface Run { code: number | null; stdout: string; stderr: string }

/** Runs `twinspace ...args` to completion. */
export function twinspace(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}


/** A `twinspace serve` child process once it has printed the URL to open; `log()` is all it printed so far. */
export interface ServeProcess { child: ChildProcess; base: string; log: () => string }

/** Starts `twinspace serve ...args` (with `env` added); resolves with its URL, rejects with its output if it exits first. */
export function startServe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /open (http:\/\/127\.0\.0\.1:\d+)\//.exec(out);
      if (m) resolve({ child, base: m[1]!, log: () => out });
    });
    child.once('exit', (code) => reject(new Error(`twinspace serve ${args.join(' ')} exited ${String(code)}:\n${out}`)));
  });
}

/** A TCP port free on 127.0.0.1 just now (for a server that must come back on the same port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}
