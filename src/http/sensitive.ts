import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/index.ts';
import { ISSUE_TAGS } from '../modules/network/vocabulary.ts';

/**
 * 要配慮個人情報 in responses. Response schemas mark sensitive parts with the
 * `x-sensitive` keyword (it also shows in the OpenAPI document); for a user
 * whose membership lacks the 要配慮 grant, one hook removes them from every
 * response before it is serialised, whatever the route — detail, list, search,
 * export. A property test checks every route against records full of markers.
 *
 * - `true`: the property is left out (it must be optional in the schema).
 * - `'codes'`: an array of issue-tag codes loses the sensitive ones; a single code becomes null.
 * - `'explanations'`: routing explanations that name a sensitive tag are left out.
 * - `{ keys }`: an object or record loses these keys (assessment life areas).
 */
export const SENSITIVE = 'x-sensitive';
export type SensitiveMark = true | 'codes' | 'explanations' | { keys: readonly string[] };
export const sensitive = (mark: SensitiveMark = true) => ({ [SENSITIVE]: mark });

interface Vocabulary {
  codes: Set<string>;
  /** Labels and codes, to find them in explanation texts. */
  words: string[];
}

const NATIONAL = ISSUE_TAGS.filter((t) => t.sensitive);

async function sensitiveVocabulary(db: Db, municipalityId: string): Promise<Vocabulary> {
  const { rows } = await db.query<{ code: string; label_ja: string; label_en: string }>(
    'SELECT code, label_ja, label_en FROM issue_tag WHERE municipality_id = $1 AND sensitive',
    [municipalityId],
  );
  const terms = [...NATIONAL.map((t) => ({ code: t.code, label_ja: t.ja, label_en: t.en })), ...rows];
  return { codes: new Set(terms.map((t) => t.code)), words: terms.flatMap((t) => [t.code, t.label_ja, t.label_en]) };
}

type Schema = Record<string, unknown>;
const REMOVE = Symbol('remove');

/** Whether a schema (following $refs) marks anything sensitive. */
function marks(schema: unknown, refs: Map<string, Schema>, seen = new Set<unknown>()): boolean {
  if (!schema || typeof schema !== 'object' || seen.has(schema)) return false;
  seen.add(schema);
  const s = schema as Schema;
  if (SENSITIVE in s) return true;
  if (typeof s.$ref === 'string' && marks(refs.get(s.$ref), refs, seen)) return true;
  return Object.values(s).some((v) => (Array.isArray(v) ? v.some((x) => marks(x, refs, seen)) : marks(v, refs, seen)));
}

function mentions(value: unknown, words: string[]): boolean {
  const text = JSON.stringify(value);
  return words.some((w) => text.includes(w));
}

/** The shared schemas, and whether each schema object marks anything (worked out once per object). */
interface Schemas {
  refs: Map<string, Schema>;
  marked(schema: Schema): boolean;
}

/** The value without what `schema` marks; parts whose schema marks nothing are passed on as they are. */
function strip(value: unknown, schema: Schema | undefined, schemas: Schemas, v: Vocabulary): unknown {
  if (!schema || value === null || value === undefined || value instanceof Date || !schemas.marked(schema)) return value;
  if (typeof schema.$ref === 'string') return strip(value, schemas.refs.get(schema.$ref), schemas, v);
  const mark = schema[SENSITIVE] as SensitiveMark | undefined;
  if (mark === true) return REMOVE;
  if (mark === 'codes') {
    if (Array.isArray(value)) return value.filter((c) => !v.codes.has(c as string));
    return typeof value === 'string' && v.codes.has(value) ? null : value;
  }
  if (mark === 'explanations' && Array.isArray(value)) value = value.filter((e) => !mentions(e, v.words));
  if (mark && typeof mark === 'object' && value && typeof value === 'object' && !Array.isArray(value))
    value = Object.fromEntries(Object.entries(value).filter(([k]) => !mark.keys.includes(k)));

  const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (variants) {
    const kind = Array.isArray(value) ? 'array' : typeof value === 'object' ? 'object' : null;
    const variant = kind && variants.find((s) => s.type === kind || (kind === 'object' && (s.properties || s.$ref)));
    return variant ? strip(value, variant, schemas, v) : value;
  }
  if (Array.isArray(value)) {
    const items = schema.items as Schema | undefined;
    return value.map((x) => strip(x, items, schemas, v)).filter((x) => x !== REMOVE);
  }
  if (typeof value === 'object') {
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    const rest = (schema.additionalProperties && typeof schema.additionalProperties === 'object' ? schema.additionalProperties
      : schema.patternProperties ? Object.values(schema.patternProperties as Record<string, Schema>)[0] : undefined) as Schema | undefined;
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
      const stripped = strip(x, props[k] ?? rest, schemas, v);
      if (stripped !== REMOVE) out[k] = stripped;
    }
    return out;
  }
  return value;
}

/** Registers the hook that keeps 要配慮 fields from users without the grant. */
export function registerSensitiveFilter(app: FastifyInstance, db: Db): void {
  const hasMarks = new WeakMap<Schema, boolean>();
  let schemas: Schemas | undefined;
  // Issue tags change only by a profile import, which adds a revision.
  const vocabularies = new Map<string, { revision: number; vocabulary: Vocabulary }>();
  const vocabularyOf = async (municipalityId: string, revision: number | undefined) => {
    const hit = vocabularies.get(municipalityId);
    if (revision !== undefined && hit?.revision === revision) return hit.vocabulary;
    const vocabulary = await sensitiveVocabulary(db, municipalityId);
    if (revision !== undefined) vocabularies.set(municipalityId, { revision, vocabulary });
    return vocabulary;
  };
  app.addHook('preSerialization', async (req: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const session = req.session;
    if (!session || session.sensitiveAccess || !payload || typeof payload !== 'object') return payload;
    const schema = (req.routeOptions.schema?.response as Record<string, Schema> | undefined)?.[reply.statusCode];
    if (!schema) return payload;
    if (!schemas) {
      const refs = new Map(Object.entries(app.getSchemas() as Record<string, Schema>));
      const marked = (s: Schema) => {
        let m = hasMarks.get(s);
        if (m === undefined) hasMarks.set(s, (m = marks(s, refs)));
        return m;
      };
      schemas = { refs, marked };
    }
    if (!schemas.marked(schema)) return payload;
    return strip(payload, schema, schemas, await vocabularyOf(session.municipalityId, session.networkRevision));
  });
}
