// A minimal method + path router with `:param` segments. Handlers may throw
// HttpError; anything else is answered 500 and logged, never crashing the server.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, sendError } from './respond.ts';

/** What a route handler receives. */
export interface RouteContext {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  params: Record<string, string>;
}

export type RouteHandler = (ctx: RouteContext) => unknown;

interface Route { method: string; parts: string[]; handler: RouteHandler }

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, path: string, handler: RouteHandler): this {
    this.routes.push({ method, parts: path.split('/').filter(Boolean), handler });
    return this;
  }
  get(path: string, handler: RouteHandler): this { return this.add('GET', path, handler); }
  post(path: string, handler: RouteHandler): this { return this.add('POST', path, handler); }

  /** Answers the request when a route matches; false when none does. */
  async handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
    const parts = url.pathname.split('/').filter(Boolean);
    let pathMatched = false;
    for (const route of this.routes) {
      const params = match(route.parts, parts);
      if (!params) continue;
      pathMatched = true;
      if (route.method !== req.method && !(route.method === 'GET' && req.method === 'HEAD')) continue;
      try {
        await route.handler({ req, res, url, params });
      } catch (e) {
        if (res.headersSent) { res.destroy(); return true; }
        if (e instanceof HttpError) sendError(res, e.status, e.message);
        else {
          console.error(`Twinspace: ${req.method} ${url.pathname} failed:`, e);
          sendError(res, 500, 'internal error');
        }
      }
      return true;
    }
    if (pathMatched) { sendError(res, 405, `method ${req.method ?? ''} not allowed on ${url.pathname}`); return true; }
    return false;
  }
}

function match(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i]!, v = parts[i]!;
    if (p.startsWith(':')) {
      try { params[p.slice(1)] = decodeURIComponent(v); } catch { return null; }
    } else if (p !== v) return null;
  }
  return params;
}
