// What commands share: where the shipped files are, reading a facility file,
// and the two error kinds that map to exit codes 1 and 2.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFacilityText, formatProblems } from '../src/core/facility/validate.ts';
import type { Facility } from '../src/core/facility/schema.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
/** The demo plant shipped with the server. */
export const DEMO_PLANT = join(HERE, 'demo', 'plant.json');
/** The demo plant's ROI inputs (`twinspace.roi/1`). */
export const DEMO_ROI = join(HERE, 'demo', 'roi.json');
/** The built front end. */
export const DIST_DIR = resolve(HERE, '..', 'dist');

/** Thrown for bad input: exit 1 with the message. */
export class InputError extends Error {}
/** Thrown for wrong usage: exit 2 with the message and the command's usage. */
export class UsageError extends Error {}


/** Where a command writes; tests pass their own to capture output. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
}

/** Standard output and error, one line per call. */
export const processIo: Io = {
  out: (s) => process.stdout.write(s.endsWith('\n') ? s : `${s}\n`),
  err: (s) => process.stderr.write(s.endsWith('\n') ? s : `${s}\n`),
};

/** Reads a file as UTF-8 or throws InputError naming it. */
export function readTextFile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`${path}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Reads a facility file or throws InputError listing every problem as `file: path: reason`. */
export function readFacilityFile(path: string): Facility {
  const loaded = loadFacilityText(readTextFile(path));
  if (!loaded.ok) throw new InputError(formatProblems(loaded.problems).split('\n').map((l) => `${path}: ${l}`).join('\n'));
  return loaded.facility;
}
