// Bearer tokens (interfaces.md): 32 random bytes, base64url; the store keeps
// only their SHA-256, so a leaked database leaks no usable token.
import { createHash, randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Role } from '../../src/core/protocol.ts';
import type { Store, TokenRow } from '../store/types.ts';

/** A fresh token: 32 random bytes as base64url (43 characters). */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Hex SHA-256 of a token, the form it is stored and looked up in. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Mints a token with `role`, stores its hash (audited as `token.create` by `actor`) and returns the token; it is never shown again. */
export async function createToken(store: Store, opts: { role: Role; label?: string; actor: string; now?: number }): Promise<{ token: string; row: TokenRow }> {
  const token = generateToken();
  const hash = hashToken(token);
  const created = opts.now ?? Date.now();
  const row: TokenRow = { hash, role: opts.role, created, label: opts.label ?? `${opts.role}-${hash.slice(0, 8)}` };
  await store.addToken(row);
  await store.appendAudit([{ ts: created, actor: opts.actor, action: 'token.create', detail: { role: row.role, label: row.label, hash: hash.slice(0, 12) } }]);
  return { token, row };
}

/** Who made a call: the role and label of their token (label `anonymous` without auth). */
export interface Principal {
  role: Role;
  label: string;
  /** Rate limits are kept per principal. */
  key: string;
}

/** The principal of every call when auth is off (loopback only): full rights. */
export const ANONYMOUS: Principal = { role: 'admin', label: 'anonymous', key: 'anonymous' };

/** Longest token accepted before hashing; real ones are 43 characters. */
const MAX_TOKEN_LENGTH = 256;

/** Resolves tokens to principals, caching the ones found (tokens are few; a revoked one is dropped from the cache by `forget`). */
export class Authenticator {
  private readonly cache = new Map<string, Principal>();

  constructor(private readonly store: Store, readonly enabled: boolean) {}

  /** The principal of a token; null when auth is on and the token is missing or unknown. */
  async authenticate(token: unknown): Promise<Principal | null> {
    if (!this.enabled) return ANONYMOUS;
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_TOKEN_LENGTH) return null;
    const hash = hashToken(token);
    const hit = this.cache.get(hash);
    if (hit) return hit;
    const row = await this.store.findToken(hash);
    if (!row) return null;
    const p: Principal = { role: row.role, label: row.label, key: hash };
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, p);
    return p;
  }

  /** The principal of an HTTP request's `Authorization: Bearer <token>`. */
  async fromRequest(req: IncomingMessage): Promise<Principal | null> {
    return this.authenticate(bearerToken(req));
  }

  /** Drops a revoked token from the cache. */
  forget(hash: string): void {
    this.cache.delete(hash);
  }
}

/** The token of `Authorization: Bearer <token>`, or undefined. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(h);
  return m?.[1];
}
