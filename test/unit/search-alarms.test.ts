// Alarms in the find palette: ids parsed by metrics.md §3, named by kind and door, newest first.
import { describe, expect, it } from 'vitest';
import { buildAlarmItems, parseAlarmId } from '../../src/app/searchIndex.ts';
import { TINY_IX } from '../fixtures/tiny-scenario.ts';

describe('alarm search items', () => {
  it('parses <kind>:<door>:<onset ms>, door ids with colons too, and refuses the rest', () => {
    expect(parseAlarmId('door-forced:D-1:1793613600000')).toEqual({ kind: 'door-forced', door: 'D-1', onset: 1793613600000 });
    expect(parseAlarmId('door-held:B:2:D-9:5')).toEqual({ kind: 'door-held', door: 'B:2:D-9', onset: 5 });
    for (const bad of ['', 'D-1', 'door-forced:D-1', 'fire:D-1:5', 'door-forced:D-1:soon', 'door-forced:D-1:1.5']) expect(parseAlarmId(bad), bad).toBeNull();
  });

  it('names each by kind and door, with the onset, newest first; unknown doors and duplicates left out', () => {
    const a = 'door-forced:D-1:1793613600000', b = 'denied-burst:D-1:1793617200000';
    const items = buildAlarmItems(TINY_IX, [a, b, a, 'door-held:D-404:1', 'nonsense']);
    expect(items).toEqual([
      { id: b, name: 'Denied burst · Clean room door', kind: 'alarm', detail: '2026-11-02 11:00:00 UTC · D-1' },
      { id: a, name: 'Door forced · Clean room door', kind: 'alarm', detail: '2026-11-02 10:00:00 UTC · D-1' },
    ]);
  });
});
