// Repro: the ingest pipeline stopped committing for good when its batch
// timer fired after a running drain had already emptied the queue. drain()
// then ran with nothing to do, its `finally` cleared `draining` before the
// call returned, and the already-settled promise was stored as the drain in
// progress: every later drain() returned it, nothing was committed again and
// every sender waited forever (seen under load: 1,000 clients, 5,000
// readings/s, the queue growing by 5,000 a second).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { indexFacility } from '../../src/core/facility/model.ts';
import { loadFacility } from '../../src/core/facility/validate.ts';
import { Pipeline } from '../../server/ingest/pipeline.ts';
import { SqliteStore } from '../../server/store/sqlite.ts';
import type { Store } from '../../server/store/types.ts';

const loaded = loadFacility(JSON.parse(readFileSync(new URL('../fixtures/tiny-facility.json', import.meta.url), 'utf8')));
if (!loaded.ok) throw new Error('fixture invalid');
const ix = indexFacility(loaded.facility);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('pipeline drain', () => {
  it('keeps committing after its batch timer fires on an empty queue', async () => {
    const store = new SqliteStore(':memory:');
    let gate: Promise<void> | null = null;
    const gated = new Proxy(store, {
      get(target, prop, receiver) {
        if (prop === 'append') return async (...args: Parameters<Store['append']>) => { if (gate) await gate; return target.append(...args); };
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const pipeline = new Pipeline({ store: gated, index: ix, batchMs: 30, snapshotEveryMs: 0 });
    await pipeline.ready;
    try {
      const reading = (value: number) => [{ ts: Date.now(), sensor: 'T-CR1-1', value }];
      let open: () => void = () => {};
      gate = new Promise((r) => { open = r; });
      const first = pipeline.submit(reading(1)); // its timer starts a drain that waits at the gate
      await sleep(60);
      const second = pipeline.submit(reading(2)); // queued, with a timer of its own
      gate = null;
      open(); // the running drain commits both, before that timer fires
      await Promise.all([first, second]);
      await sleep(60); // the timer fires on an empty queue
      const third = pipeline.submit(reading(3));
      const outcome = await Promise.race([third, sleep(2000).then(() => 'stalled' as const)]);
      expect(outcome).toEqual([{ ok: true, isNew: true, late: false }]);
    } finally {
      await pipeline.close();
      await store.close();
    }
  });
});
