// The keyboard shortcuts, from the one table the handler uses.
import { useTwin } from '../state/store.ts';
import { useRenderCount } from '../app/debug.ts';
import { SHORTCUTS, type Shortcut } from '../app/shortcuts.ts';

const GROUPS: Array<Shortcut['group']> = ['Find and select', 'View', 'Floors', 'Timeline', 'Layers'];

export function HelpOverlay() {
  useRenderCount('HelpOverlay');
  const open = useTwin((s) => s.helpOpen);
  const setOpen = useTwin((s) => s.setHelpOpen);
  if (!open) return null;
  return (
    <div className="overlay" role="presentation" onMouseDown={(e) => { if (e.target === e.currentTarget) setOpen(false); }}>
      <div className="dialog help" role="dialog" aria-modal="true" aria-label="Keyboard shortcuts">
        <header className="dialog-head">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="close" onClick={() => setOpen(false)} aria-label="Close help">×</button>
        </header>
        <div className="help-grid">
          {GROUPS.map((g) => (
            <section key={g}>
              <h3>{g}</h3>
              <dl>
                {SHORTCUTS.filter((s) => s.group === g).map((s) => (
                  <div key={s.label}>
                    <dt>{s.keys.map((k, i) => <span key={k}>{i > 0 && ' or '}<kbd>{k === 'Ctrl+k' ? 'Ctrl K' : k}</kbd></span>)}</dt>
                    <dd>{s.label}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <section>
            <h3>Mouse</h3>
            <dl>
              <div><dt><kbd>Left drag</kbd></dt><dd>Orbit (3D) or pan (plan)</dd></div>
              <div><dt><kbd>Right drag</kbd></dt><dd>Pan</dd></div>
              <div><dt><kbd>Wheel</kbd></dt><dd>Zoom toward the pointer</dd></div>
              <div><dt><kbd>Click</kbd></dt><dd>Select (only visible layers)</dd></div>
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}
