// History over HTTP for the timeline and the incident view (interfaces.md):
// GET /api/state?at=T, GET /api/events, GET /api/incidents/<id> and its
// bundle download. Every call carries the session's token.
import type { IncidentParts } from '../core/bundle.ts';
import type { StateJson } from '../core/protocol.ts';
import { apiJson, ApiError, authHeaders } from './api.ts';

function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiJson<T>(path, signal ? { signal } : {});
}

/** One recorded event as `/api/events` lists it (ts ISO UTC). */
export type HistoryEvent = { ts: string; type: string } & Record<string, unknown>;

/** GET /api/state?at=T (the exact replayed state), or the current state when `atMs` is null. */
export function fetchStateAt(atMs: number | null, signal?: AbortSignal): Promise<StateJson> {
  return getJson<StateJson>(atMs === null ? '/api/state' : `/api/state?at=${encodeURIComponent(new Date(atMs).toISOString())}`, signal);
}

/** GET /api/events over [from, to] (epoch ms). */
export function fetchEvents(from: number, to: number, signal?: AbortSignal): Promise<{ count: number; truncated: boolean; events: HistoryEvent[] }> {
  const q = new URLSearchParams({ from: new Date(from).toISOString(), to: new Date(to).toISOString() });
  return getJson(`/api/events?${q.toString()}`, signal);
}

/** The incident as GET /api/incidents/<alarmId> answers it. */
export type IncidentJson = IncidentParts & { buildMs: number };

/** GET /api/incidents/<alarmId>. */
export function fetchIncident(alarmId: string, signal?: AbortSignal): Promise<IncidentJson> {
  return getJson<IncidentJson>(`/api/incidents/${encodeURIComponent(alarmId)}`, signal);
}

/** Downloads GET /api/incidents/<alarmId>/bundle as a file (fetched with the token, saved from a Blob). Returns the file name. */
export async function downloadBundle(alarmId: string): Promise<string> {
  const res = await fetch(`/api/incidents/${encodeURIComponent(alarmId)}/bundle`, { headers: authHeaders() });
  if (!res.ok) throw new ApiError(res.status, res.statusText || 'bundle export failed');
  const blob = await res.blob();
  const m = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '');
  const name = m?.[1] ?? 'incident.json';
  const href = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = href; a.download = name; a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10_000);
  return name;
}
