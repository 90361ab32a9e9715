// Loading and load-failure panels: a failure says the HTTP status and why.
import type { LoadError } from '../state/store.ts';

export function LoadingPanel() {
  return <div className="status-panel" role="status"><span className="spinner" aria-hidden="true" />Loading the facility model…</div>;
}

export function ErrorPanel({ error, onRetry }: { error: LoadError; onRetry: () => void }) {
  return (
    <div className="status-panel error" role="alert">
      <h2>The facility could not be loaded</h2>
      <p className="status-line">{error.status ? `HTTP ${error.status}` : 'No answer from the server'}</p>
      <pre className="reason">{error.reason}</pre>
      {error.status === 401 || error.status === 403 ? <p>Open the link you were given with its <code>?token=…</code>, or ask an administrator for a token.</p> : null}
      <button type="button" onClick={onRetry}>Try again</button>
    </div>
  );
}
