// `twinspace import <facility.json> <file> [--db URL] [--lenient] [--json]`:
// loads a telemetry or event file into a store. Good records are stored even
// when others are refused; every refused line goes to stderr as
// `file:line: reason`, and the exit code is 1 unless --lenient.
import { basename } from 'node:path';
import type { FacilityIndex } from '../../src/core/facility/model.ts';
import { indexFacility } from '../../src/core/facility/model.ts';
import { detectFormat, parseRecordsText, type Rejection } from '../../src/core/parse.ts';
import type { TwinRecord } from '../../src/core/records.ts';
import { reduce } from '../../src/core/reducer.ts';
import { InputError, readFacilityFile, readTextFile, type Io } from '../shared.ts';
import { DEFAULT_DB_URL, openStore } from '../store/index.ts';
import { stateAt } from '../store/replay.ts';
import { iterateRecords, type Store } from '../store/types.ts';

/** Records per transaction when importing. */
const IMPORT_BATCH = 10_000;

/**
 * Acknowledgements and resolutions must name an alarm raised by then
 * (metrics.md §3): fold the stored records of the file's period together
 * with the file's through the reducer, starting from the state just before
 * it, and refuse the file's alarm actions the reducer refuses.
 */
async function checkAlarmActions(store: Store, ix: FacilityIndex, records: readonly TwinRecord[], lines: readonly number[]): Promise<{ keep: boolean[]; rejected: Rejection[] }> {
  const keep = records.map(() => true);
  const rejected: Rejection[] = [];
  const isAction = (r: TwinRecord) => 'type' in r && (r.type === 'alarm.acknowledged' || r.type === 'alarm.resolved');
  if (!records.some(isAction)) return { keep, rejected };
  const from = records[0]!.ts, to = records[records.length - 1]!.ts;
  const { state } = await stateAt(store, ix, from - 1);
  const stored: TwinRecord[] = [];
  for await (const page of iterateRecords(store, { from, to })) for (const p of page) stored.push(p.record);
  // Merge by ts; at equal ts the stored records (there first) go first.
  let i = 0, j = 0;
  while (i < records.length) {
    if (j < stored.length && stored[j]!.ts <= records[i]!.ts) { reduce(state, stored[j++]!, ix); continue; }
    const r = records[i]!;
    const out = reduce(state, r, ix);
    if (!out.ok && isAction(r)) { keep[i] = false; rejected.push({ line: lines[i]!, reason: out.reason }); }
    i++;
  }
  return { keep, rejected };
}

/** Runs the import command; returns the exit code. */
export async function importCommand(values: Record<string, string | boolean | undefined>, [facilityPath, file]: string[], io: Io): Promise<number> {
  const ix = indexFacility(readFacilityFile(facilityPath!));
  const format = detectFormat(file!);
  if (!format) throw new InputError(`${file}: unknown record file type; name it *.csv (ts,sensor,value) or *.jsonl / *.ndjson`);
  const parsed = parseRecordsText(readTextFile(file!), format, ix);
  const store = await openStore(typeof values['db'] === 'string' ? values['db'] : DEFAULT_DB_URL);
  let inserted = 0, stored: number;
  let rejected = parsed.rejected;
  try {
    const check = await checkAlarmActions(store, ix, parsed.records, parsed.lines);
    rejected = [...rejected, ...check.rejected].sort((a, b) => a.line - b.line);
    const good = parsed.records.filter((_, k) => check.keep[k]);
    for (let k = 0; k < good.length; k += IMPORT_BATCH) {
      const r = await store.append(good.slice(k, k + IMPORT_BATCH));
      inserted += r.inserted;
    }
    stored = good.length;
  } finally {
    await store.close();
  }
  for (const r of rejected) io.err(`${file}:${r.line}: ${r.reason}`);
  const summary = { file: basename(file!), records: stored, new: inserted, duplicates: stored - inserted, rejected: rejected.length };
  if (values['json']) io.out(JSON.stringify(summary));
  else io.out(`${file}: imported ${stored} records (${inserted} new, ${stored - inserted} already stored), ${rejected.length} line(s) rejected`);
  return rejected.length > 0 && !values['lenient'] ? 1 : 0;
}
