import { loadConfig, ConfigError } from './config.ts';
import { startServer } from './server.ts';

try {
  await startServer(loadConfig(process.env, { demo: process.argv.includes('--demo') || undefined }));
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(`Configuration error: ${err.message}`);
    process.exit(2);
  }
  throw err;
}
