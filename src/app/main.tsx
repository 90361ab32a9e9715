// Entry: take the session token from the URL, then mount the app — or the
// control-room tour for `?mode=tour` and `/tour` (loaded on its own).
import { createRoot } from 'react-dom/client';
import { captureTokenFromUrl } from '../net/api.ts';
import { App } from './App.tsx';
import { isTourLocation } from './tour/tourFile.ts';
import './styles.css';

captureTokenFromUrl();
const root = document.getElementById('root');
if (!root) throw new Error('Twinspace: #root element missing from index.html');
if (isTourLocation(window.location)) {
  void import('./tour/TourApp.tsx').then(({ TourApp }) => createRoot(root).render(<TourApp />));
} else {
  createRoot(root).render(<App />);
}
