// Small HTTP helpers: JSON answers, errors with a reason, bounded bodies.
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Largest request body accepted, bytes. */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const data = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(data), 'cache-control': 'no-store' });
  res.end(data);
}

/** An error answer: `{ error: reason }` with the status. */
export function sendError(res: ServerResponse, status: number, reason: string): void {
  sendJson(res, status, { error: reason });
}

/** Thrown by handlers to answer with a status and reason. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** Reads a JSON body of at most `limit` bytes, or throws HttpError 400/413. */
export async function readJsonBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `body larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new HttpError(400, `body is not valid JSON: ${(e as Error).message}`);
  }
}
