// Runs the real `twinspace` bin in a child process, as users do.
import { spawn } from 'node:child_process';

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

