// HTTP calls to the twin's API. Every call carries the session's bearer
// token when there is one (interfaces.md: the app takes `?token=` from its
// URL on first load, keeps it for the session, removes it from the bar).
import { loadFacility, formatProblems } from '../core/facility/validate.ts';
import type { Facility } from '../core/facility/schema.ts';

/** sessionStorage key of the bearer token. */
export const TOKEN_KEY = 'twinspace.token';

/** A failed call: HTTP status (0 when the network or the answer failed) and the reason. */
export class ApiError extends Error {
  constructor(readonly status: number, readonly reason: string) {
    super(`Twinspace API: ${status ? `HTTP ${status}: ` : ''}${reason}`);
  }
}

/**
 * Moves `?token=` from the address bar into sessionStorage (replacing the
 * history entry so the token is neither shown nor kept in history).
 */
export function captureTokenFromUrl(loc: Location = window.location, storage: Storage = window.sessionStorage): void {
  const url = new URL(loc.href);
  const token = url.searchParams.get('token');
  if (token === null) return;
  if (token) storage.setItem(TOKEN_KEY, token);
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
}

/** Request headers with the session's token, if any. */
export function authHeaders(storage: Storage = window.sessionStorage): Record<string, string> {
  const token = storage.getItem(TOKEN_KEY);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** A JSON call with the session's token: the body, or ApiError with the server's reason. */
export async function apiJson<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method: init.method ?? 'GET',
      headers: { Accept: 'application/json', ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...authHeaders() },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (e) {
    if (init.signal?.aborted) throw e; // a cancelled request is not an unreachable server
    throw new ApiError(0, `cannot reach the server (${(e as Error).message})`);
  }
  const text = await res.text();
  let body: unknown = null;
  try { body = text ? JSON.parse(text) : null; } catch { /* reported below */ }
  if (!res.ok) {
    const reason = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : res.statusText || 'request failed';
    throw new ApiError(res.status, reason);
  }
  if (body === null) throw new ApiError(res.status, `${path} answered with no JSON body`);
  return body as T;
}

function getJson(path: string, signal?: AbortSignal): Promise<unknown> {
  return apiJson<unknown>(path, signal ? { signal } : {});
}

/** GET /api/facility, validated with the shared schema (nothing half-loaded reaches the scene). */
export async function fetchFacility(signal?: AbortSignal): Promise<Facility> {
  const doc = await getJson('/api/facility', signal);
  const loaded = loadFacility(doc);
  if (!loaded.ok) throw new ApiError(200, `the facility model is invalid:\n${formatProblems(loaded.problems)}`);
  return loaded.facility;
}
