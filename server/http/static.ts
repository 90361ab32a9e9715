// Serves the built front end (dist/) with the index page for app routes.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2',
  '.map': 'application/json', '.ico': 'image/x-icon', '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8',
};

/** A handler for GET/HEAD of files under `root`; unknown paths without an extension get index.html. */
export function staticHandler(root: string): (req: IncomingMessage, res: ServerResponse, pathname: string) => boolean {
  const base = resolve(root);
  return (req, res, pathname) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    let rel: string;
    try { rel = decodeURIComponent(pathname); } catch { return false; }
    let file = normalize(join(base, rel));
    if (file !== base && !file.startsWith(base + sep)) return false;
    if (!existsSync(file) || statSync(file).isDirectory()) {
      if (extname(rel) !== '') return false;
      file = join(base, 'index.html');
      if (!existsSync(file)) return false;
    }
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': statSync(file).size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).pipe(res);
    return true;
  };
}
