import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { I18nProvider } from './i18n/index.tsx';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('#root missing');
createRoot(root).render(
  // No StrictMode: its double effects would join and leave the meeting twice in development.
  <I18nProvider>
    <App />
  </I18nProvider>,
);
