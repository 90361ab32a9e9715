// How the figures are printed: one formatter per kind of quantity, so the
// KPI tiles, the drill-downs, the ROI panel, the CSV export and the tests
// agree on every digit. A missing figure prints as an em dash.

/** What a missing figure prints as. */
export const DASH = '—';

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** Grouped number with at most `digits` decimals (fixed when `fixed`): 12,345.6. */
export function fmtNumber(v: number | null | undefined, digits = 0, fixed = false): string {
  if (!isNum(v)) return DASH;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: fixed ? digits : 0 });
}

/** A fraction in [0, 1] as a percentage with `digits` decimals: 0.9573 → "95.7 %". */
export function fmtPercent(f: number | null | undefined, digits = 1): string {
  if (!isNum(f)) return DASH;
  return `${(f * 100).toFixed(digits)} %`;
}

/** Minutes: one decimal below 100, whole minutes above, grouped: "12.5 min", "1,234 min". */
export function fmtMinutes(min: number | null | undefined): string {
  if (!isNum(min)) return DASH;
  return `${fmtNumber(min, Math.abs(min) < 100 ? 1 : 0)} min`;
}

/** Seconds: one decimal below 100 s, else minutes and seconds: "45.1 s", "5 min 21 s". */
export function fmtSeconds(s: number | null | undefined): string {
  if (!isNum(s)) return DASH;
  if (Math.abs(s) < 100) return `${s.toFixed(1)} s`;
  const whole = Math.round(s);
  const m = Math.trunc(whole / 60), r = Math.abs(whole % 60);
  if (Math.abs(m) >= 120) return `${fmtNumber(whole / 3600, 1)} h`;
  return `${m} min ${r} s`;
}

/** Milliseconds: "85 ms", "1.25 s". */
export function fmtMillis(ms: number | null | undefined): string {
  if (!isNum(ms)) return DASH;
  return ms < 1000 ? `${ms.toFixed(ms < 10 ? 1 : 0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

/** Money in the inputs' currency, whole units; an unknown currency code is printed after the number. */
export function fmtMoney(v: number | null | undefined, currency: string): string {
  if (!isNum(v)) return DASH;
  try {
    return v.toLocaleString('en-US', { style: 'currency', currency, maximumFractionDigits: 0, minimumFractionDigits: 0 });
  } catch {
    // NOTE: the ROI inputs accept any non-empty currency string, not only ISO 4217 codes.
    return `${fmtNumber(v, 0)} ${currency}`;
  }
}

/** Months with one decimal: "2.8 months". */
export function fmtMonths(m: number | null | undefined): string {
  return isNum(m) ? `${m.toFixed(1)} months` : DASH;
}

/** Square metres with one decimal: "12.5 m²". */
export function fmtArea(m2: number | null | undefined): string {
  return isNum(m2) ? `${fmtNumber(m2, 1)} m²` : DASH;
}

/** °C with two decimals. */
export function fmtCelsius(c: number | null | undefined): string {
  return isNum(c) ? `${c.toFixed(2)} °C` : DASH;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local date and time to the minute: "2026-11-23 06:44". */
export function fmtDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Local time to the second: "06:44:12" (with the date when `withDate`). */
export function fmtTime(ms: number, withDate = false): string {
  const d = new Date(ms);
  const t = `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
  return withDate ? `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${t}` : t;
}

/** A period `[from, to)` in local time, with its length: "2026-11-23 06:44 → 2026-11-24 06:44 (24 h)". */
export function fmtPeriod(fromMs: number, toMs: number): string {
  return `${fmtDateTime(fromMs)} → ${fmtDateTime(toMs)} (${fmtDuration(toMs - fromMs)})`;
}

/** A duration in the largest whole unit that reads well: "90 min", "24 h", "7 d", "2.5 d". */
export function fmtDuration(ms: number): string {
  const min = ms / 60_000;
  if (min < 120) return `${fmtNumber(min, 1)} min`;
  const h = min / 60;
  if (h <= 48) return `${fmtNumber(h, 1)} h`;
  return `${fmtNumber(h / 24, 1)} d`;
}

/** `<input type="datetime-local">` value of epoch ms (local time). */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Epoch ms of a `datetime-local` value (local time), or null when unreadable. */
export function fromLocalInput(v: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(v);
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0));
  return Number.isNaN(d.getTime()) ? null : d.getTime();
}
