#!/usr/bin/env node
// Builds the web app into dist/web when it is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const out = 'dist/web/index.html';
const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
    const p = join(dir, e.name);
    return Math.max(m, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }, 0);

const sourcesTime = Math.max(newest('web'), statSync('vite.config.ts').mtimeMs);
if (existsSync(out) && statSync(out).mtimeMs >= sourcesTime) process.exit(0);
console.log('Building the web app (vite build)…');
const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
process.exit(r.status ?? 1);
