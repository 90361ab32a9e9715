// The resilience ROI (metrics.md §4) as a modal: the inputs (editable by
// admins, saved with PUT /api/roi and refused per field with the server's
// reasons; read-only for everyone else), the benefit lines, ROI, payback and
// NPV over the measured figures, progress toward the 90-day targets as
// bullet bars, and export as CSV or a printable page.
import { useEffect, useMemo, useState } from 'react';
import { createPortal } from 'react-dom';
import type { FacilityIndex } from '../../core/facility/model.ts';
import { computeRoi, type RoiInputs, type RoiReport } from '../../core/metrics/roi.ts';
import { useTwin } from '../../state/store.ts';
import { DAY_MS, cachedGet, metricsQuery, selectRoiAccess, type MetricsResponse } from '../../state/metrics.ts';
import { BulletBar, fmtTargetValue } from './BulletBar.tsx';
import { DataSources, downloadText } from './DataLink.tsx';
import { fmtDateTime, fmtMoney, fmtMonths, fmtPercent, fmtPeriod } from './format.ts';
import {
  ROI_FIELDS, checkDraft, documentOf, draftOf, measuredOf, problemsByPath, roiCsv, targetProgress, type RoiDraft, type RoiField, type TargetProgress,
} from './roiModel.ts';

/** Length of the "last 90 days" measurement, ms. */
const NINETY_DAYS_MS = 90 * DAY_MS;

type Source = 'period' | '90d';

const GROUPS = [...new Set(ROI_FIELDS.map((f) => f.group))];

function unitText(f: RoiField, currency: string): string {
  switch (f.unit) {
    case 'money': return currency || 'money';
    case 'money/min': return `${currency || 'money'}/min`;
    case 'fraction': return '0–1';
    case 'ratio': return 'e.g. 0.08';
    case 'text': return 'e.g. EUR';
    default: return f.unit;
  }
}

function Lines({ r }: { r: RoiReport }) {
  const c = r.currency;
  return (
    <dl className="facts roi-figures">
      <div><dt>Temperature line</dt><dd data-roi-line="temperature">{fmtMoney(r.lines.temperature, c)}/yr</dd></div>
      <div><dt>Response line</dt><dd data-roi-line="response">{fmtMoney(r.lines.response, c)}/yr</dd></div>
      <div><dt>Coverage line</dt><dd data-roi-line="coverage">{fmtMoney(r.lines.coverage, c)}/yr</dd></div>
      <div className="total"><dt>Annual benefit</dt><dd data-roi-figure="annualBenefit">{fmtMoney(r.annualBenefit, c)}</dd></div>
      <div><dt>ROI over the horizon</dt><dd data-roi-figure="roi">{fmtPercent(r.roi)}</dd></div>
      <div><dt>Payback</dt><dd data-roi-figure="paybackMonths">{fmtMonths(r.paybackMonths)}</dd></div>
      <div><dt>NPV</dt><dd data-roi-figure="npv">{fmtMoney(r.npv, c)}</dd></div>
    </dl>
  );
}

/** The printable page: white, the figures, the inputs, the period and when it was made. */
function PrintSheet({ ix, inputs, report, progress, fromMs, toMs, generated }: {
  ix: FacilityIndex; inputs: RoiInputs; report: RoiReport; progress: readonly TargetProgress[]; fromMs: number; toMs: number; generated: number;
}) {
  return createPortal(
    <div className="roi-print-sheet">
      <h1>Resilience ROI — {ix.facility.name}</h1>
      <p>Measured over {fmtPeriod(fromMs, toMs)} · generated {fmtDateTime(generated)} · definitions: Twinspace metrics §1–§4</p>
      <h2>Figures</h2>
      <Lines r={report} />
      <h2>Progress toward the 90-day targets</h2>
      <table><thead><tr><th>Metric</th><th>Baseline</th><th>Target</th><th>Measured</th><th>Progress</th></tr></thead>
        <tbody>{progress.map((p) => (
          <tr key={p.metric.key}><td>{p.metric.label}</td><td>{fmtTargetValue(p.metric.unit, p.baseline)}</td><td>{fmtTargetValue(p.metric.unit, p.target)}</td><td>{fmtTargetValue(p.metric.unit, p.measured)}</td><td>{p.bullet.status}{p.bullet.progress !== null ? ` (${fmtPercent(p.bullet.progress, 0)})` : ''}</td></tr>
        ))}</tbody>
      </table>
      <h2>Inputs</h2>
      <table><tbody>{ROI_FIELDS.map((f) => {
        const v = f.path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), inputs);
        return v === undefined ? null : <tr key={f.path}><td>{f.group}</td><td>{f.label}</td><td>{String(v)} {unitText(f, inputs.currency)}</td></tr>;
      })}</tbody></table>
    </div>,
    document.body,
  );
}

export function RoiPanel() {
  const ix = useTwin((s) => s.index);
  const stored = useTwin((s) => s.roiInputs);
  const access = useTwin(selectRoiAccess);
  const metrics = useTwin((s) => s.metrics);
  const loadRoi = useTwin((s) => s.loadRoi);
  const saveRoi = useTwin((s) => s.saveRoi);
  const setOpen = useTwin((s) => s.setRoiOpen);
  /** The user's edits; null shows the stored inputs. */
  const [edited, setEdited] = useState<RoiDraft | null>(null);
  const [serverProblems, setServerProblems] = useState<Record<string, string>>({});
  const [saveMsg, setSaveMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [source, setSource] = useState<Source>('period');
  const [ninety, setNinety] = useState<{ data: MetricsResponse | null; error: string | null; from: number; to: number } | null>(null);

  useEffect(() => { loadRoi(); }, [loadRoi]);
  const draft: RoiDraft | null = edited ?? (stored.status === 'ready' ? draftOf(stored.data) : null);
  const measureOver = (next: Source) => {
    setSource(next);
    if (next !== '90d' || ninety) return;
    const to = Math.floor(Date.now() / 60_000) * 60_000, from = to - NINETY_DAYS_MS;
    setNinety({ data: null, error: null, from, to });
    cachedGet<MetricsResponse>(metricsQuery(from, to)).then((data) => setNinety({ data, error: null, from, to }), (e: unknown) => setNinety({ data: null, error: (e as Error).message, from, to }));
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => { if (e.key === 'Escape') { e.stopPropagation(); setOpen(false); } };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [setOpen]);

  const canEdit = access === 'edit';
  const m = source === 'period' ? metrics.data : ninety?.data ?? null;
  const measured = useMemo(() => (ix && m ? measuredOf(ix, m) : null), [ix, m]);
  const check = draft ? checkDraft(draft) : null;
  const storedDoc = JSON.stringify(documentOf(draftOf(stored.data)));
  const dirty = draft !== null && JSON.stringify(documentOf(draft)) !== storedDoc;
  const inputs: RoiInputs | null = check?.ok ? check.inputs : stored.data;
  const report: RoiReport | null = !dirty && source === 'period' && metrics.data?.roi ? metrics.data.roi
    : inputs && measured ? computeRoi(inputs, measured) : null;
  const progress = useMemo(() => targetProgress(inputs, measured), [inputs, measured]);
  const fromMs = m ? Date.parse(m.from) : 0, toMs = m ? Date.parse(m.to) : 0;
  const [generated] = useState(() => Date.now());

  if (!ix) return null;
  const localProblems = check && !check.ok ? check.problems : {};
  const edit = (path: string, v: string) => { setEdited({ ...(draft ?? {}), [path]: v }); setSaveMsg(null); };
  const save = async () => {
    if (!draft) return;
    setSaving(true);
    setSaveMsg(null);
    const err = await saveRoi(documentOf(draft));
    setSaving(false);
    if (err === null) { setServerProblems({}); setEdited(null); setSaveMsg({ ok: true, text: 'Saved.' }); return; }
    const byPath = problemsByPath(err);
    const known = Object.keys(byPath).some((p) => ROI_FIELDS.some((f) => f.path === p || f.path.startsWith(`${p}.`)));
    setServerProblems(known ? byPath : {});
    setSaveMsg({ ok: false, text: known ? 'Not saved: the server refused some inputs (see the fields).' : `Not saved: ${err}` });
  };
  const exportCsv = () => {
    if (!inputs || !report || !measured) return;
    const csv = roiCsv({ facility: ix.facility.id, fromMs, toMs, generatedMs: Date.now(), inputs, measured, report, progress });
    downloadText(`roi-${ix.facility.id}-${new Date(toMs).toISOString().slice(0, 10)}.csv`, csv, 'text/csv');
  };
  const problemFor = (path: string) => serverProblems[path] ?? localProblems[path] ?? (path.includes('.') ? serverProblems[path.split('.')[0]!] : undefined);

  return (
    <div className="overlay roi-overlay" onMouseDown={(e) => { if (e.target === e.currentTarget) setOpen(false); }}>
      <div className="dialog roi-panel" role="dialog" aria-modal="true" aria-label="Resilience ROI" data-access={access} data-dirty={dirty}>
        <header className="dialog-head">
          <h2>Resilience ROI</h2>
          <div className="roi-actions">
            <button type="button" onClick={exportCsv} disabled={!report} data-action="csv">Export CSV</button>
            <button type="button" onClick={() => window.print()} disabled={!report} data-action="print">Print</button>
            <button type="button" className="close" onClick={() => setOpen(false)} aria-label="Close the ROI">×</button>
          </div>
        </header>
        <div className="roi-body">
          <section className="roi-results">
            <div className="segmented small" role="group" aria-label="Measured over">
              <button type="button" aria-pressed={source === 'period'} data-source="period" onClick={() => measureOver('period')}>The chosen period</button>
              <button type="button" aria-pressed={source === '90d'} data-source="90d" onClick={() => measureOver('90d')}>The last 90 days</button>
            </div>
            <p className="muted small">
              {m ? <>Measured over {fmtPeriod(fromMs, toMs)}</> : source === '90d' && ninety?.error ? ninety.error : 'Waiting for the measured figures…'}
              {dirty && ' · preview of unsaved inputs'}
            </p>
            {report ? <Lines r={report} /> : <p className="muted">{stored.status === 'ready' && !stored.data && !dirty ? 'No ROI inputs stored yet.' : '—'}</p>}
            <h3>Progress toward the 90-day targets</h3>
            {progress.map((p) => <BulletBar key={p.metric.key} p={p} />)}
            {m && <DataSources queries={[metricsQuery(fromMs, toMs), '/api/roi']} note="ROI: metrics.md §4; measured figures annualised by 365 d ÷ period." />}
          </section>
          <form className="roi-form" onSubmit={(e) => { e.preventDefault(); void save(); }}>
            {!canEdit && <p className="note" data-read-only>{access === 'unknown' ? 'Checking whether you may change the inputs…' : 'Read-only: only an admin can change the ROI inputs.'}</p>}
            {stored.status === 'error' && <p className="fig-error" role="alert">{stored.error}</p>}
            {GROUPS.map((g) => (
              <fieldset key={g}>
                <legend>{g}</legend>
                {ROI_FIELDS.filter((f) => f.group === g).map((f) => {
                  const problem = problemFor(f.path);
                  return (
                    <label key={f.path} className={problem ? 'field invalid' : 'field'}>
                      <span className="field-label">{f.label}{f.optional ? <span className="muted"> (optional)</span> : null}</span>
                      <input name={f.path} data-field={f.path} value={draft?.[f.path] ?? ''} readOnly={!canEdit} disabled={draft === null}
                        inputMode={f.unit === 'text' ? 'text' : 'decimal'} aria-invalid={Boolean(problem)} onChange={(e) => edit(f.path, e.target.value)} />
                      <span className="field-unit">{unitText(f, draft?.['currency'] ?? '')}</span>
                      {problem && <span className="field-error" data-error-for={f.path}>{problem}</span>}
                    </label>
                  );
                })}
              </fieldset>
            ))}
            {canEdit && (
              <div className="row">
                <button type="submit" disabled={!dirty || saving} data-action="save">{saving ? 'Saving…' : 'Save'}</button>
                <button type="button" disabled={!dirty || saving} onClick={() => { setEdited(null); setServerProblems({}); setSaveMsg(null); }}>Discard</button>
                {saveMsg && <span className={saveMsg.ok ? 'save-ok' : 'field-error'} role="status">{saveMsg.text}</span>}
              </div>
            )}
          </form>
        </div>
      </div>
      {inputs && report && m && <PrintSheet ix={ix} inputs={inputs} report={report} progress={progress} fromMs={fromMs} toMs={toMs} generated={generated} />}
    </div>
  );
}
