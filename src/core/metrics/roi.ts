// Resilience ROI, exactly as ../shared/spec/metrics.md §4: the inputs
// document `twinspace.roi/1` (zod, every problem listed with its path) and
// the arithmetic over the measured figures.
import { z } from 'zod';
import { formatPath, type Problem } from '../facility/validate.ts';
import { YEAR_MS } from './period.ts';

/** The format string of ROI input documents. */
export const ROI_FORMAT = 'twinspace.roi/1';

/** `required`, or what was expected and what came. */
const typeError = (expected: string) => (issue: { input?: unknown }): string => {
  const v = issue.input;
  if (v === undefined) return 'required';
  if (typeof v === 'number' && expected === 'a number') return `must be a finite number, got ${v}`;
  return `expected ${expected}, got ${v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v}`;
};
const finite = z.number({ error: typeError('a number') });
const nonNegative = finite.refine((v) => v >= 0, 'must be ≥ 0');
const fraction = finite.refine((v) => v >= 0 && v <= 1, 'must be in [0, 1]');
const object = <T extends z.ZodRawShape>(shape: T) => z.object(shape, { error: typeError('an object') });

/** The `twinspace.roi/1` inputs: money in `currency`, durations as named; defaults horizonYears 5, discountRate 0.08; `targets90d` optional. */
export const roiInputsSchema = object({
  format: z.literal(ROI_FORMAT, { error: `must be "${ROI_FORMAT}"` }).optional(),
  currency: z.string({ error: typeError('a string') }).min(1, 'must be a non-empty string'),
  investment: object({ upfront: nonNegative, annual: nonNegative }),
  horizonYears: finite.refine((v) => Number.isInteger(v) && v >= 1, 'must be a whole number of years ≥ 1').default(5),
  discountRate: finite.refine((v) => v > -1, 'must be > -1').default(0.08),
  baseline: object({ excursionMinutesPerYear: nonNegative, ttaMeanS: nonNegative, coverageFraction: fraction }),
  costs: object({ perExcursionMinute: nonNegative, perResponseMinute: nonNegative, perUnrecordedIncident: nonNegative }),
  incidentsPerYear: nonNegative,
  /**
   * Optional: the figures promised within 90 days of going live, per metric
   * (any may be left out): excursion minutes per year, mean time to
   * acknowledge in seconds, reliability-weighted critical coverage in [0, 1].
   * They take no part in the ROI arithmetic; the ROI panel measures progress
   * toward them from the baseline.
   */
  targets90d: object({ excursionMinutesPerYear: nonNegative.optional(), ttaMeanS: nonNegative.optional(), coverageFraction: fraction.optional() }).optional(),
});

/** Validated ROI inputs with defaults filled in. */
export type RoiInputs = z.output<typeof roiInputsSchema>;

/** Checked inputs, or every problem with its JSON path. */
export type RoiInputsResult = { ok: true; inputs: RoiInputs } | { ok: false; problems: Problem[] };

/** Checks a parsed `twinspace.roi/1` document; each problem as `path: reason` (e.g. `costs.perResponseMinute: must be ≥ 0`). */
export function loadRoiInputs(doc: unknown): RoiInputsResult {
  const r = roiInputsSchema.safeParse(doc);
  if (r.success) return { ok: true, inputs: r.data };
  return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), reason: i.message })) };
}

/** Parses and checks ROI input JSON text; a syntax error is a problem at the document. */
export function loadRoiInputsText(text: string): RoiInputsResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, problems: [{ path: '(document)', reason: `not valid JSON: ${(e as Error).message}` }] };
  }
  return loadRoiInputs(doc);
}

/** Figures measured over one period; a null figure makes its benefit line count 0. */
export interface RoiMeasured {
  /** Length of the period, ms. */
  periodMs: number;
  /** Counted excursion minutes summed over critical zones (§1), over the period. */
  excursionMinutes: number | null;
  /** Mean time to acknowledge, seconds (§3), null when no alarm was acknowledged. */
  ttaMeanS: number | null;
  /** Alarms raised in the period (§3). */
  alarmsRaised: number;
  /** Reliability-weighted coverage: area-weighted mean of `reliability` over critical zones (§2), in [0, 1]. */
  reliabilityCoverage: number | null;
}

/** The `roi --json` document (interfaces.md): money per year in `currency`, `roi` a ratio, payback in months. */
export interface RoiReport {
  currency: string;
  annualBenefit: number;
  lines: { temperature: number; response: number; coverage: number };
  roi: number | null;
  paybackMonths: number | null;
  npv: number;
}

/**
 * The ROI of metrics.md §4. Measured figures are annualised by
 * 365 days ÷ periodMs (no figure can be when the period is empty, so every
 * line then counts 0); `roi` is null when the total cost is 0.
 */
export function computeRoi(inputs: RoiInputs, measured: RoiMeasured): RoiReport {
  const perYear = measured.periodMs > 0 ? YEAR_MS / measured.periodMs : null;
  const { baseline, costs, investment } = inputs;
  const temperature = perYear === null || measured.excursionMinutes === null ? 0
    : (baseline.excursionMinutesPerYear - measured.excursionMinutes * perYear) * costs.perExcursionMinute;
  const response = perYear === null || measured.ttaMeanS === null ? 0
    : ((baseline.ttaMeanS - measured.ttaMeanS) / 60) * (measured.alarmsRaised * perYear) * costs.perResponseMinute;
  const coverage = measured.reliabilityCoverage === null ? 0
    : (measured.reliabilityCoverage - baseline.coverageFraction) * inputs.incidentsPerYear * costs.perUnrecordedIncident;
  const annualBenefit = temperature + response + coverage;
  const n = inputs.horizonYears;
  const cost = investment.upfront + investment.annual * n;
  const net = annualBenefit - investment.annual;
  let npv = -investment.upfront;
  for (let t = 1; t <= n; t++) npv += net / (1 + inputs.discountRate) ** t;
  return {
    currency: inputs.currency,
    annualBenefit,
    lines: { temperature, response, coverage },
    roi: cost > 0 ? (annualBenefit * n - cost) / cost : null,
    paybackMonths: annualBenefit > investment.annual ? investment.upfront / (net / 12) : null,
    npv,
  };
}
