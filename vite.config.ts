import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

const webRoot = fileURLToPath(new URL('./web', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/web', import.meta.url));

/**
 * Vite only strips types; this makes `vite build` fail on a type error in the
 * web app, so a broken UI never reaches dist/web.
 */
function typecheck(): Plugin {
  return {
    name: 'tsunagu:typecheck',
    apply: 'build',
    buildStart() {
      const tsc = fileURLToPath(new URL('./node_modules/.bin/tsc', import.meta.url));
      const result = spawnSync(tsc, ['--noEmit', '-p', `${webRoot}/tsconfig.json`], { encoding: 'utf8' });
      if (result.status !== 0) {
        this.error(`TypeScript errors in web/:\n${result.stdout}${result.stderr}`);
      }
    },
  };
}

export default defineConfig({
  root: webRoot,
  plugins: [react(), typecheck()],
  build: {
    outDir,
    emptyOutDir: true,
  },
  server: {
    // `npx vite` for UI work against a running server (`npm start`).
    proxy: { '/api': process.env.TSUNAGU_API_URL ?? 'http://localhost:3000' },
  },
});
