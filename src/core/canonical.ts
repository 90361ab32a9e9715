// Canonical JSON: one text per value, so a hash of it identifies the value
// whatever the key order or whitespace it was written with. Object keys are
// sorted by UTF-16 code units, there is no whitespace, strings and numbers
// are written as JSON.stringify writes them (shortest round-trip numbers,
// `-0` as `0`). For the JSON the twin produces this is RFC 8785 (JCS).
// Pure: shared by the server (export) and the command line (verify).

/** Thrown for a value JSON cannot carry exactly: a non-finite number, a bigint, a function, a symbol, `undefined` in an array, a cycle. */
export class CanonicalJsonError extends Error {}

/**
 * The canonical JSON text of a JSON-safe value: keys sorted, no whitespace.
 * An object property whose value is `undefined` is left out (as
 * JSON.stringify does); anything else JSON cannot carry throws
 * CanonicalJsonError naming where it is (`$.parts.events[3].ts`).
 */
export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, '$', out, new Set());
  return out.join('');
}

function write(v: unknown, path: string, out: string[], open: Set<object>): void {
  switch (typeof v) {
    case 'string':
      out.push(JSON.stringify(v));
      return;
    case 'number':
      if (!Number.isFinite(v)) throw new CanonicalJsonError(`Twinspace: canonical JSON: ${path} is ${v}, which JSON cannot carry`);
      out.push(JSON.stringify(v));
      return;
    case 'boolean':
      out.push(v ? 'true' : 'false');
      return;
    case 'object':
      break;
    default:
      throw new CanonicalJsonError(`Twinspace: canonical JSON: ${path} is ${typeof v}, which JSON cannot carry`);
  }
  if (v === null) { out.push('null'); return; }
  if (open.has(v)) throw new CanonicalJsonError(`Twinspace: canonical JSON: ${path} refers back to itself`);
  // NOTE: toJSON is not honoured (a Date would otherwise hash as its ISO text): parts are plain data.
  open.add(v);
  if (Array.isArray(v)) {
    out.push('[');
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(',');
      const item: unknown = v[i];
      if (item === undefined) throw new CanonicalJsonError(`Twinspace: canonical JSON: ${path}[${i}] is undefined, which JSON cannot carry`);
      write(item, `${path}[${i}]`, out, open);
    }
    out.push(']');
  } else {
    const rec = v as Record<string, unknown>;
    // Default sort compares UTF-16 code units, as RFC 8785 asks.
    const keys = Object.keys(rec).sort();
    out.push('{');
    let first = true;
    for (const k of keys) {
      const item = rec[k];
      if (item === undefined) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(k), ':');
      write(item, `${path}.${k}`, out, open);
    }
    out.push('}');
  }
  open.delete(v);
}
