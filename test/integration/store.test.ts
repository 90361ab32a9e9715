// The SQLite store: the shared contract, plus what only a file can show.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import { openStore } from '../../server/store/index.ts';
import { storeContract } from './store-contract.ts';

const loaded = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')));
if (!loaded.ok) throw new Error('fixture invalid');
const facility = loaded.facility;
const dir = mkdtempSync(join(tmpdir(), 'twinspace-store-'));
let n = 0;

storeContract('sqlite file', async () => new SqliteStore(join(dir, `contract-${n++}.db`)), facility);
storeContract('sqlite :memory:', async () => openStore('sqlite::memory:'), facility);

describe('SQLite store file', () => {
  it('creates its directory and keeps records across reopening', async () => {
    const path = join(dir, 'nested', 'deeper', 'twin.db');
    const a = await openStore(`sqlite:${path}`);
    await a.append([{ ts: 1000, sensor: 'T-CR1-1', value: 20 }, { ts: 1000, type: 'door.opened', door: 'D-1' }]);
    await a.close();
    const b = await openStore(`sqlite:${path}`);
    expect((await b.records({})).map((r) => r.record)).toEqual([{ ts: 1000, sensor: 'T-CR1-1', value: 20 }, { ts: 1000, type: 'door.opened', door: 'D-1' }]);
    const next = await b.append([{ ts: 1001, sensor: 'T-CR1-1', value: 21 }]);
    expect(next.inserted).toBe(1);
    const seqs = (await b.records({})).map((r) => r.seq);
    expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
    expect(new Set(seqs).size).toBe(3);
    await b.close();
  });

  it('lets two writers share one file without losing or renumbering records', async () => {
    const path = join(dir, 'shared.db');
    const a = new SqliteStore(path), b = new SqliteStore(path);
    for (let i = 0; i < 50; i++) {
      await a.append([{ ts: i, sensor: 'T-CR1-1', value: i }]);
      await b.append([{ ts: i, sensor: 'T-CR1-2', value: i }, { ts: i, type: 'access.rex', door: 'D-1' }]);
    }
    const all = await a.records({ limit: 1000 });
    expect(all).toHaveLength(150);
    expect(new Set(all.map((r) => r.seq)).size).toBe(150);
    expect(all.filter((r) => 'sensor' in r.record && r.record.sensor === 'T-CR1-2')).toHaveLength(50);
    await a.close();
    await b.close();
  });

  it('refuses URLs it cannot open', async () => {
    await expect(openStore('sqlite:')).rejects.toThrow(/needs a path/);
    await expect(openStore('mysql://x')).rejects.toThrow(/--db must be/);
  });
});
