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

/**
 * Strips one part of an answer. `checked` says an enclosing explanation was
 * already found to name no sensitive tag, so the explanations inside it (a
 * part of its text) need no second look.
 */
type Plan = (value: unknown, v: Vocabulary, checked: boolean) => unknown;
const keep: Plan = (value) => value;

/**
 * Plans are made once per schema object, as fast-json-stringify makes its
 * serialisers: each visits only the parts whose schema marks something and
 * copies an object only when a part of it changes.
 */
function planner(refs: Map<string, Schema>) {
  const hasMarks = new WeakMap<Schema, boolean>();
  const plans = new WeakMap<Schema, Plan>();
  const marked = (s: Schema) => {
    let m = hasMarks.get(s);
    if (m === undefined) hasMarks.set(s, (m = marks(s, refs)));
    return m;
  };
  const planOf = (schema: Schema | undefined): Plan => {
    if (!schema || !marked(schema)) return keep;
    let plan = plans.get(schema);
    if (!plan) {
      // a schema can refer to itself: it is compiled at its plan's first use
      let made: Plan | undefined;
      plan = (x, v, c) => (made ??= compile(schema))(x, v, c);
      plans.set(schema, plan);
    }
    return plan;
  };

  const compile = (schema: Schema): Plan => {
    const inner = structure(schema);
    const mark = schema[SENSITIVE] as SensitiveMark | undefined;
    const own: Plan | undefined =
      mark === true ? () => REMOVE
        : mark === 'codes' ? (x, v) => (Array.isArray(x) ? x.filter((c) => !v.codes.has(c as string)) : typeof x === 'string' && v.codes.has(x) ? null : x)
        : mark === 'explanations' ? (x, v, checked) => (Array.isArray(x) && !checked ? inner(x.filter((e) => !mentions(e, v.words)), v, true) : inner(x, v, checked))
        : mark && typeof mark === 'object' ? (x, v, c) => inner(isRecord(x) ? Object.fromEntries(Object.entries(x).filter(([k]) => !mark.keys.includes(k))) : x, v, c)
        : undefined;
    const plan = own ?? inner;
    return (x, v, c) => (x === null || x === undefined || x instanceof Date ? x : plan(x, v, c));
  };

  /** What lies inside the value: a $ref, a choice of schemas, array items, object properties. */
  const structure = (schema: Schema): Plan => {
    if (typeof schema.$ref === 'string') return planOf(refs.get(schema.$ref));
    const variants = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
    if (variants) {
      const array = planOf(variants.find((s) => s.type === 'array'));
      const object = planOf(variants.find((s) => s.type === 'object' || s.properties || s.$ref));
      return (x, v, c) => (Array.isArray(x) ? array(x, v, c) : typeof x === 'object' ? object(x, v, c) : x);
    }
    const items = planOf(schema.items as Schema | undefined);
    const props = Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([k, s]) => [k, planOf(s)] as const).filter(([, p]) => p !== keep);
    const rest = planOf((schema.additionalProperties && typeof schema.additionalProperties === 'object' ? schema.additionalProperties
      : schema.patternProperties ? Object.values(schema.patternProperties as Record<string, Schema>)[0] : undefined) as Schema | undefined);
    const named = new Set(Object.keys((schema.properties ?? {}) as object));
    return (x, v, c) => {
      if (Array.isArray(x)) {
        if (items === keep) return x;
        return x.map((e) => items(e, v, c)).filter((e) => e !== REMOVE);
      }
      if (!isRecord(x)) return x;
      let out: Record<string, unknown> | undefined;
      const visit = (k: string, p: Plan) => {
        const before = x[k];
        const after = p(before, v, c);
        if (after === before) return;
        out ??= { ...x };
        if (after === REMOVE) delete out[k];
        else out[k] = after;
      };
      for (const [k, p] of props) if (k in x) visit(k, p);
      if (rest !== keep) for (const k of Object.keys(x)) if (!named.has(k)) visit(k, rest);
      return out ?? x;
    };
  };

  return { marked, planOf };
}

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Registers the hook that keeps 要配慮 fields from users without the grant. */
export function registerSensitiveFilter(app: FastifyInstance, db: Db): void {
  let plans: ReturnType<typeof planner> | undefined;
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
    plans ??= planner(new Map(Object.entries(app.getSchemas() as Record<string, Schema>)));
    if (!plans.marked(schema)) return payload;
    const stripped = plans.planOf(schema)(payload, await vocabularyOf(session.municipalityId, session.networkRevision), false);
    return stripped === REMOVE ? null : stripped;
  });
}
