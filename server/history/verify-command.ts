// `twinspace verify-bundle <bundle> [--json]`: checks an exported incident
// bundle against its manifest (src/core/bundle.ts). Exit 0 when every part
// matches, 1 with every problem on stderr (or in the JSON) otherwise; a file
// that cannot be read or is not JSON is bad input too.
import { verifyBundle } from '../../src/core/bundle.ts';
import { InputError, readTextFile, type Io } from '../shared.ts';

type Values = Record<string, string | boolean | undefined>;

/** Runs the command; returns the exit code. */
export function verifyBundleCommand(values: Values, [file]: string[], io: Io): number {
  const asJson = values['json'] === true;
  let problems: string[];
  let summary = '';
  try {
    const text = readTextFile(file!);
    let doc: unknown;
    try {
      doc = JSON.parse(text.replace(/^\uFEFF/, ''));
    } catch (e) {
      throw new InputError(`${file!}: not JSON: ${(e as Error).message}`);
    }
    const v = verifyBundle(doc);
    problems = v.problems;
    summary = `ok: ${v.parts} parts verified (alarm ${v.alarm ?? '?'}, exported by ${v.exportedBy ?? '?'} at ${v.exportedAt ?? '?'})`;
  } catch (e) {
    if (!(e instanceof InputError) || !asJson) throw e;
    problems = [e.message];
  }
  if (asJson) io.out(JSON.stringify({ ok: problems.length === 0, problems }));
  if (problems.length === 0) {
    if (!asJson) io.out(summary);
    return 0;
  }
  for (const p of problems) io.err(p);
  return 1;
}
