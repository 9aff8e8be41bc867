import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { languageReady } from './i18n/index.ts';
import './styles.css';
import { App } from './App.tsx';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
void languageReady.then(() => createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
));
