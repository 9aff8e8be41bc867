import { existsSync, readFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../errors.ts';
import { PUBLIC } from './access.ts';

/**
 * Serves the built single-page app: its files, and index.html for every GET
 * that no route answers, so the app routes it itself. `elsewhere` answers the
 * GETs that are not the app's to route (it throws or replies), or returns
 * undefined to hand the path to the app.
 */
export async function serveWebApp(app: FastifyInstance, webDir: string, elsewhere: (path: string, reply: FastifyReply) => FastifyReply | undefined): Promise<void> {
  const indexHtml = join(webDir, 'index.html');
  const assetsDir = join(webDir, 'assets') + sep;
  if (existsSync(indexHtml)) {
    await app.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.config = { ...(route.config as object), access: PUBLIC };
      });
      await scope.register(fastifyStatic, {
        root: webDir, wildcard: false, index: false, schemaHide: true,
        // the build names each file under assets/ by its content's hash, so a browser may keep it for good;
        // a release changes index.html (never cached), which names the new files
        setHeaders: (reply, path) => {
          if (path.startsWith(assetsDir)) reply.header('cache-control', 'public, max-age=31536000, immutable');
        },
      });
    });
  }
  app.setNotFoundHandler({ preHandler: async () => {} }, async (req, reply) => {
    const path = req.url.split('?')[0];
    if (req.method !== 'GET') throw notFound('resource at this path');
    // a file of an earlier release that an open tab still asks for: a 404 it can tell, not the page as a script
    if (path.startsWith('/assets/'))
      return reply.status(404).type('text/plain; charset=utf-8').send('No such file: the app has been updated since this page was loaded. Reload the page.');
    const answered = elsewhere(path, reply);
    if (answered) return answered;
    if (!existsSync(indexHtml))
      return reply.status(503).type('text/plain; charset=utf-8').send('The web app is not built yet. Run `npm run build` (npm start does it for you).');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(readFileSync(indexHtml));
  });
}
