import type { FastifyInstance } from 'fastify';
import { isAbsolute } from 'node:path';
import { Type } from 'typebox';
import { badRequest } from '../../errors.ts';
import type { Deps } from '../../lib/context.ts';
import { systemActor } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import { backup, BackupError, requireBackupKey } from './backup.ts';

/**
 * Operator commands a running server takes from this machine's CLI. On PGlite
 * only the server may open the data directory, so `npx tsunagu backup` asks it.
 */
export function controlRoutes(app: FastifyInstance, deps: Deps) {
  app.post('/api/internal/backup', {
    config: { access: { kind: 'control' } },
    schema: {
      hide: true,
      body: Type.Object({ file: Type.String({ minLength: 1, maxLength: 4096 }) }, { additionalProperties: false }),
    },
  }, async (req) => {
    const { file } = req.body as { file: string };
    if (!isAbsolute(file)) throw badRequest('Give an absolute path.', [{ field: 'file', message: 'Give an absolute path.' }]);
    let header;
    try {
      header = await backup(deps.db, deps.clock, file, requireBackupKey());
    } catch (err) {
      if (err instanceof BackupError || (err as NodeJS.ErrnoException).code?.startsWith('E')) throw badRequest((err as Error).message);
      throw err;
    }
    await recordAudit(deps.db, deps.clock, systemActor('backup'), { action: 'backup.create', reason: 'operator backup', details: { file, tables: header.tables.length } });
    return header;
  });
}
