// How the figures print (src/hud/figures/format.ts): table tests of
// hand-checked cases, and the datetime-local round trip.
import { describe, expect, it } from 'vitest';
import {
  DASH, fmtArea, fmtDateTime, fmtDuration, fmtMillis, fmtMinutes, fmtMoney, fmtMonths, fmtNumber, fmtPercent, fmtPeriod, fmtSeconds,
  fromLocalInput, toLocalInput,
} from '../../src/hud/figures/format.ts';

describe('figure formatting', () => {
  it.each([
    [0.9573121954766926, 1, '95.7 %'], [1, 1, '100.0 %'], [0, 0, '0 %'], [0.99905, 2, '99.91 %'], [null, 1, DASH], [Number.NaN, 1, DASH],
  ] as const)('percent %s (%s decimals) → %s', (v, d, out) => expect(fmtPercent(v, d)).toBe(out));

  it.each([
    [19, '19 min'], [19.25, '19.3 min'], [99.94, '99.9 min'], [100, '100 min'], [1234.4, '1,234 min'], [null, DASH],
  ] as const)('minutes %s → %s', (v, out) => expect(fmtMinutes(v)).toBe(out));

  it.each([
    [45.14, '45.1 s'], [0, '0.0 s'], [99.94, '99.9 s'], [100, '1 min 40 s'], [321.501, '5 min 22 s'], [7199, '119 min 59 s'], [7200, '2 h'], [9000, '2.5 h'], [null, DASH],
  ] as const)('seconds %s → %s', (v, out) => expect(fmtSeconds(v)).toBe(out));

  it('money in the currency, whole units; an unknown code after the number', () => {
    expect(fmtMoney(836277.69, 'EUR')).toBe('€836,278');
    expect(fmtMoney(-1500, 'USD')).toBe('-$1,500');
    expect(fmtMoney(1234.5, 'credits')).toBe('1,235 credits');
    expect(fmtMoney(null, 'EUR')).toBe(DASH);
  });

  it('numbers, months, areas, milliseconds', () => {
    expect(fmtNumber(12345.678, 1)).toBe('12,345.7');
    expect(fmtNumber(2, 2, true)).toBe('2.00');
    expect(fmtMonths(2.794992265144163)).toBe('2.8 months');
    expect(fmtMonths(null)).toBe(DASH);
    expect(fmtArea(72)).toBe('72 m²');
    expect(fmtMillis(4.25)).toBe('4.3 ms');
    expect(fmtMillis(85)).toBe('85 ms');
    expect(fmtMillis(1250)).toBe('1.25 s');
  });

  it('periods in local time with their length', () => {
    const a = new Date(2026, 10, 23, 6, 44).getTime(), b = new Date(2026, 10, 24, 6, 44).getTime();
    expect(fmtDateTime(a)).toBe('2026-11-23 06:44');
    expect(fmtPeriod(a, b)).toBe('2026-11-23 06:44 → 2026-11-24 06:44 (24 h)');
    expect(fmtDuration(90 * 60_000)).toBe('90 min');
    expect(fmtDuration(7 * 86_400_000)).toBe('7 d');
    expect(fmtDuration(60 * 86_400_000)).toBe('60 d');
  });

  it('datetime-local values round-trip to the minute', () => {
    const t = new Date(2026, 0, 5, 9, 7).getTime();
    expect(toLocalInput(t)).toBe('2026-01-05T09:07');
    expect(fromLocalInput(toLocalInput(t))).toBe(t);
    expect(fromLocalInput('2026-01-05T09:07:30')).toBe(t + 30_000);
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('yesterday')).toBeNull();
  });
});
