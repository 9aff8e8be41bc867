import { ConfigError, loadConfig } from '../../config.ts';
import { DataDirLockedError } from '../../db/lock.ts';
import { startPublicServer } from './server.ts';

// `npx tsunagu serve --role public` lands here straight from bin/tsunagu.mjs,
// without loading the operator CLI and the staff modules it imports.
try {
  await startPublicServer(loadConfig(process.env, { demo: false }));
} catch (err) {
  if (err instanceof ConfigError || err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
