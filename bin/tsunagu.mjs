#!/usr/bin/env node
// The operator CLI. The sources are TypeScript, run through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const args = process.argv.slice(2);
// The public side starts without loading the CLI, whose commands import the
// staff modules: its process never holds code that reaches case data.
if (args[0] === 'serve' && roleOf(args) === 'public' && !args.some((a) => a === '--help' || a === '-h')) {
  const rest = args.slice(1).filter((a, i, all) => !(a === '--role' || a === '--role=public' || (all[i - 1] === '--role' && a === 'public')));
  if (rest.length) console.error(`serve --role public takes no other options; ignored: ${rest.join(' ')}`);
  await import('../src/modules/public/main.ts');
} else {
  await import('../src/cli.ts');
}

function roleOf(argv) {
  const i = argv.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (i < 0) return undefined;
  return argv[i].startsWith('--role=') ? argv[i].slice('--role='.length) : argv[i + 1];
}
