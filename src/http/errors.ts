import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { AppError, type FieldError } from '../errors.ts';
import { toJapanese } from '../i18n/messages.ts';
import { errorField, errorMessage, type Lang } from '../lib/ajv.ts';

export const requestLang = (req: FastifyRequest): Lang =>
  /^ja\b/i.test(String(req.headers['accept-language'] ?? '')) ? 'ja' : 'en';

const CONNECTION_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001', '08003']);

function isDatabaseUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  return (
    (e.code !== undefined && CONNECTION_ERRORS.has(e.code)) ||
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(e.message ?? '')
  );
}

/**
 * Drops what only restates another error: the anyOf wrapper of a nullable
 * field, and its "must be null" branch when the value was not null.
 */
function usefulErrors(errors: ErrorObject[]): ErrorObject[] {
  const kept = errors.filter((e) => e.keyword !== 'anyOf');
  return kept.filter((e) => {
    const isNullBranch = e.keyword === 'type' && e.params.type === 'null';
    return !isNullBranch || !kept.some((o) => o !== e && o.instancePath === e.instancePath);
  });
}

/** Turns every error into `{ error, code, fields }`; only bugs become 500s, logged with the request id. */
export function errorHandler(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const lang = requestLang(req);
  if (err.validation) {
    const fields: FieldError[] = usefulErrors(err.validation as ErrorObject[]).map((e) => ({
      field: errorField(e) || String(err.validationContext ?? 'body'),
      message: errorMessage(e, lang),
    }));
    return reply.status(400).send({
      error: lang === 'ja' ? '入力内容を確認してください。' : 'Some fields are not valid. Correct them and send again.',
      code: 'bad_request',
      fields,
    });
  }
  const say = (m: string) => (lang === 'ja' ? toJapanese(m) : m);
  if (err instanceof AppError) {
    return reply.status(err.status).headers(err.headers)
      .send({ error: say(err.message), code: err.code, fields: err.fields.map((f) => ({ field: f.field, message: say(f.message) })) });
  }
  if (isDatabaseUnavailable(err)) {
    req.log.warn({ err: { code: (err as { code?: string }).code, message: err.message } }, 'database unavailable');
    return reply.status(503).header('retry-after', '5').send({ error: say('The database is unavailable for a moment. Try again shortly.'), code: 'unavailable', fields: [] });
  }
  if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
    // Fastify's own client errors: bad JSON, wrong content type, body too large, rate limit
    return reply.status(err.statusCode).send({ error: say(err.message), code: err.code ?? 'bad_request', fields: [] });
  }
  req.log.error({ err }, 'unhandled error');
  return reply.status(500).send({ error: say(`Something went wrong on our side. Quote reference ${req.id} to your administrator.`), code: 'internal', fields: [] });
}
