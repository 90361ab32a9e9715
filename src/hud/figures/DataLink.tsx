// Where a figure came from: the API queries behind a drill-down, each with a
// download of its raw JSON (fetched with the session's token: a plain link
// would go without it).
import { useState } from 'react';
import { apiJson } from '../../net/api.ts';

/** Saves `text` as a file through a temporary link. */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** A file name for a query: `metrics-2026-11-23T06-44-00Z.json`. */
function fileName(query: string): string {
  const path = query.split('?')[0]!.replace(/^\/api\//, '').replace(/\//g, '-');
  const from = /from=([^&]+)/.exec(query)?.[1];
  return `${path}${from ? `-${decodeURIComponent(from).replace(/[:.]/g, '-')}` : ''}.json`;
}

function Query({ query }: { query: string }) {
  const [state, setState] = useState<'idle' | 'busy' | 'error'>('idle');
  const download = () => {
    setState('busy');
    apiJson<unknown>(query).then(
      (body) => { downloadText(fileName(query), JSON.stringify(body, null, 2), 'application/json'); setState('idle'); },
      () => setState('error'),
    );
  };
  return (
    <li>
      <code className="query" data-query={query}>GET {query}</code>
      <button type="button" className="data-link" onClick={download} disabled={state === 'busy'}>{state === 'error' ? 'failed, retry' : 'raw JSON'}</button>
    </li>
  );
}

/** The queries a view was computed from. */
export function DataSources({ queries, note }: { queries: readonly string[]; note?: string }) {
  return (
    <div className="data-sources">
      <span className="muted small">Data:</span>
      <ul>{queries.map((q) => <Query key={q} query={q} />)}</ul>
      {note && <p className="note">{note}</p>}
    </div>
  );
}
