// The checks every API call and socket handshake passes: a known token with
// enough role, an allowed Origin, and a rate limit per token.
import type { IncomingMessage } from 'node:http';
import { roleAtLeast, type Role } from '../../src/core/protocol.ts';
import { HttpError } from '../http/respond.ts';
import type { Authenticator, Principal } from './tokens.ts';
import type { RateLimiter } from './rate.ts';

/** Loopback host names and addresses: the only ones `--no-auth` may bind to. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::ffff:127.0.0.1';
}

/**
 * Whether a request's Origin may call: no Origin (not a browser, or
 * same-origin GET), the server's own origin, or one on the allow-list.
 * NOTE: bearer tokens are not sent by browsers on their own, so this guards
 * against other sites' pages using a token they somehow hold, not CSRF.
 */
export function originAllowed(req: IncomingMessage, allowList: readonly string[] | null): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (allowList?.includes(origin)) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false; // "null" and other opaque origins
  }
}

/** Authenticates an HTTP request and checks its role; throws HttpError 401 (no or unknown token) or 403 (role too low). */
export async function requireRole(auth: Authenticator, req: IncomingMessage, role: Role): Promise<Principal> {
  const p = await auth.fromRequest(req);
  if (!p) throw new HttpError(401, req.headers.authorization ? 'unknown token' : 'missing "Authorization: Bearer <token>"');
  if (!roleAtLeast(p.role, role)) throw new HttpError(403, `needs the ${role} role; this token has ${p.role}`);
  return p;
}

/** Spends `cost` units of a principal's budget or throws HttpError 429. */
export function spend(limiter: RateLimiter, p: Principal, cost = 1): void {
  if (!limiter.take(p.key, cost)) {
    throw new HttpError(429, `rate limit: at most ${limiter.spec.perSecond}/s (burst ${limiter.spec.burst}); retry in ${limiter.retryAfterS(p.key, cost)} s`);
  }
}
