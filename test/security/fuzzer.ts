/**
 * Schema-driven fuzzing of the HTTP API: requests generated with fast-check
 * from the OpenAPI document the app serves, sent with app.inject as several
 * roles, each answer checked against the schema declared for its status.
 * Shared by test/security/fuzz.test.ts (a short profile) and bench/fuzz.ts
 * (the long run); not a test file itself.
 */
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import type { ValidateFunction } from 'ajv';
import type { Db } from '../../src/db/index.ts';
import { buildApp, type App } from '../../src/http/app.ts';
import { createAjv } from '../../src/lib/ajv.ts';
import { FakeClock, type Clock } from '../../src/lib/clock.ts';
import type { Role } from '../../src/modules/auth/roles.ts';
import { enqueueMessage } from '../../src/modules/notifications/service.ts';
import { currentCode } from '../../src/modules/auth/mfa.ts';
import { buildUser, importMusashino, importTokyoPrefecture, TOKYO_CODE, meetingSeriesId, MUSASHINO_ID, orgId, programId, signInAs, TEST_PASSWORD, TEST_SHARE_BASIS, TEST_TOTP_SECRET, testConfig } from '../helpers/factories.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Schema = Record<string, any>;

// ---- who sends the requests

/** The users the fuzzer signs in as: each role once, staff of the organisation that holds the data and of others. */
export const FUZZ_USERS: { name: string; org?: string; role?: Role; code?: string }[] = [
  { name: 'hub_coordinator', org: 'welfare-desk', role: 'hub_coordinator' },
  { name: 'org_staff (another organisation)', org: 'crescole', role: 'org_staff' },
  { name: 'org_staff (referral receiver)', org: 'self-reliance-agency', role: 'org_staff' },
  { name: 'auditor', org: 'livelihood-welfare-section', role: 'auditor' },
  { name: 'system_admin', org: 'livelihood-welfare-section', role: 'system_admin' },
  { name: 'privacy_officer', org: 'livelihood-welfare-section', role: 'privacy_officer' },
  { name: 'prefecture_staff (the centre)', org: 'support-net', role: 'prefecture_staff', code: TOKYO_CODE },
  { name: 'anonymous' },
];

// ---- the operations of the OpenAPI document

export interface Operation {
  method: string;
  /** As in the OpenAPI document: /api/cases/{id} */
  path: string;
  params: { name: string; in: 'path' | 'query'; required: boolean; schema: Schema }[];
  body?: Schema;
  /** Declared statuses. */
  statuses: string[];
  /** The fuzz users (indices of FUZZ_USERS) whose role the route admits, when it names roles: half of its requests go as one of them. */
  allowed?: number[];
}

export function operationsOf(doc: Schema): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Schema>)) {
    for (const [method, op] of Object.entries(item)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      ops.push({
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).filter((p: Schema) => p.in === 'path' || p.in === 'query'),
        body: op.requestBody?.content?.['application/json']?.schema,
        statuses: Object.keys(op.responses ?? {}),
      });
    }
  }
  return ops;
}

// ---- values

const JAPANESE = [
  '武蔵野 一郎', 'むさしの いちろう', 'ムサシノ ハナコ', 'ｶﾀｶﾅ ﾊﾝｶｸ', '１２３４５', '𠮷野 髙橋', '〒180-8777 東京都武蔵野市緑町2-2-28',
  '10年ほど家から出ていない。80歳の母の年金で暮らしている。', '①②③ ㈱ ㍻', 'か\u3099ぱ', '　全角空白　', 'ヴァイオリン', '令和7年4月1日',
];
const MARKUP = [
  '<img src=x onerror=window.__xss=1>', '<script>window.__xss=1</script>', '"><svg onload=alert(1)>', "javascript:alert('x')",
  '{{constructor.constructor("alert(1)")()}}', '<a href="javascript:alert(1)">リンク</a>', '&lt;b&gt;&amp;',
];
const INJECTION = [
  "' OR '1'='1", "1; DROP TABLE person;--", "'); SELECT pg_sleep(1);--", '%', '_', '\\', '$1', "''", '" OR ""="', '*/ --', 'ILIKE',
];
const ODD = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '🙂👨‍👩‍👧', '\u202e反転', '\r\n\t', 'null', 'undefined', 'NaN', '0', '-1', 'true', '[]', '{}',
  '../../etc/passwd', '%00', '%2e%2e%2f', 'ＡＢＣ', 'İı', 'ß',
];
const NASTY_STRINGS = [...MARKUP, ...INJECTION, ...ODD, ...JAPANESE.slice(0, 3)];
const NASTY_VALUES: Json[] = [
  null, true, false, 0, -1, 1.5, -0.0001, 2 ** 31, -(2 ** 31) - 1, 2 ** 53, 1e308, '', 'x'.repeat(10_001), [], {}, [null], { a: 1 },
  ...NASTY_STRINGS,
];

/** Values known to the app by property name (codes of its vocabularies, keys of its profile), so some requests go deep. */
export type Hints = Record<string, string[]>;

/** Ids that exist, by what they are the id of. */
export type IdPools = Partial<Record<IdKind, string[]>>;
type IdKind = 'case' | 'person' | 'consultation' | 'referral' | 'consent' | 'organization' | 'program' | 'area' | 'hold' | 'alert' | 'taxonomy' | 'taxonomy_term' | 'service_at_location'
  | 'series' | 'session' | 'agenda_item' | 'action_item' | 'placement' | 'placement_record' | 'event' | 'enrolment' | 'visit' | 'network_visit' | 'proposal' | 'drop_in'
  | 'consultation_day' | 'day_session' | 'day_booking' | 'expert_conference' | 'expert_submission' | 'expert_member' | 'home_visit_application'
  | 'supporter_meeting' | 'meeting_registration' | 'meeting_invitee';

/** What a uuid field or path parameter names, from its name (`caseId`, `toProgramId`, `duplicateId`) or the path segment before `{id}`. */
function idKind(name: string | undefined): IdKind | undefined {
  if (!name) return undefined;
  const n = name.toLowerCase();
  const rules: [RegExp, IdKind][] = [
    // the consultation days' routes name their ids by the segment after /consultation-days/ (see nameOf)
    // the supporters' meetings' routes too (a registration's id under /supporter-meetings/registrations/)
    [/^supporter-meetings\/registrations$/, 'meeting_registration'], [/^prefecture\/supporter-meetings$/, 'supporter_meeting'], [/^inviteeid$/, 'meeting_invitee'],
    [/^consultation-days\/sessions$/, 'day_session'], [/^consultation-days\/bookings$/, 'day_booking'], [/^prefecture\/consultation-days$/, 'consultation_day'],
    // a booking's session (no request of the meetings names a session `sessionId`)
    [/^sessionid$/, 'day_session'],
    [/expert.?conference|conferenceid/, 'expert_conference'], [/expert.?submission/, 'expert_submission'], [/^userid$/, 'expert_member'],
    [/taxonomy_term|parent_id|taxonomy_terms/, 'taxonomy_term'], [/taxonom/, 'taxonomy'], [/service_at_location/, 'service_at_location'],
    [/drop.?in/, 'drop_in'], [/placement.?record|recordid/, 'placement_record'], [/placement/, 'placement'], [/^events?$|eventid/, 'event'], [/enrolment/, 'enrolment'], [/^visits$/, 'network_visit'], [/proposal/, 'proposal'], [/home-visit|^centre$/, 'home_visit_application'], [/visit/, 'visit'],
    [/agenda|itemid/, 'agenda_item'], [/action/, 'action_item'], [/series/, 'series'], [/session/, 'session'],
    [/case/, 'case'], [/person|duplicate/, 'person'], [/consultation/, 'consultation'], [/referral/, 'referral'], [/consent/, 'consent'],
    [/organi[sz]ation|door|lead/, 'organization'], [/program|service/, 'program'], [/area/, 'area'], [/hold/, 'hold'], [/alert/, 'alert'],
  ];
  return rules.find(([re]) => re.test(n))?.[1];
}

interface Ctx {
  resolve: (ref: string) => Schema;
  hints: Hints;
  ids: IdPools;
}

const pad = (s: string, min: number, max: number) => {
  let out = [...s];
  if (out.length > max) out = out.slice(0, max);
  while (out.length < min) out.push('あ');
  return out.join('');
};

const isoDate = (d: Date) => d.toISOString().slice(0, 10);
// the target's clock stands at 2026-06-10: most dates are of the two years before it
const anyDate = fc.oneof(
  { weight: 3, arbitrary: fc.date({ min: new Date('2024-06-10T00:00:00Z'), max: new Date('2026-06-09T00:00:00Z'), noInvalidDate: true }) },
  { weight: 1, arbitrary: fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }) },
);

function stringArb(s: Schema, ctx: Ctx, name?: string): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 10_000;
  const fit = (a: fc.Arbitrary<string>) => a.map((v) => pad(v, min, max));
  if (s.format === 'uuid') {
    const all = Object.values(ctx.ids).flat();
    const kind = ctx.ids[idKind(name)!] ?? [];
    return fc.oneof(
      // mostly an id of the kind the field names, sometimes one of another kind, or one that does not exist
      { weight: kind.length ? 6 : 0, arbitrary: kind.length ? fc.constantFrom(...kind) : fc.uuid() },
      { weight: 2, arbitrary: all.length ? fc.constantFrom(...all) : fc.uuid() },
      { weight: 2, arbitrary: fc.uuid() },
      { weight: 1, arbitrary: fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff') },
    );
  }
  if (s.format === 'date') {
    const hinted = (name && ctx.hints[name]) || [];
    return fc.oneof(
      ...(hinted.length ? [{ weight: 6, arbitrary: fc.constantFrom(...hinted) }] : []),
      { weight: 6, arbitrary: anyDate.map(isoDate) },
      { weight: 1, arbitrary: fc.constantFrom('1900-01-01', '2000-02-29', '1970-01-01', '2099-12-31', '9999-12-31', '0001-01-01') },
    );
  }
  if (s.format === 'date-time') {
    return fc.oneof(
      { weight: 5, arbitrary: anyDate.map((d) => d.toISOString()) },
      { weight: 1, arbitrary: anyDate.map((d) => d.toISOString().replace(/\.\d+Z$/, '+09:00')) },
      { weight: 1, arbitrary: fc.constantFrom('1970-01-01T00:00:00Z', '9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z', '2026-03-31T15:00:00.000Z') },
    );
  }
  if (s.format === 'email') {
    return fc.oneof(
      { weight: 4, arbitrary: fc.emailAddress().filter((e) => e.length <= max) },
      { weight: 1, arbitrary: fc.constantFrom('a@example.jp', 'x+y@example.com', `${'a'.repeat(60)}@example.jp`).filter((e) => e.length <= max) },
    );
  }
  if (s.pattern) {
    const re = new RegExp(s.pattern);
    const hinted = (name && ctx.hints[name]?.filter((h) => re.test(h) && h.length >= min && h.length <= max)) || [];
    const pattern = fc.stringMatching(re).filter((v) => v.length >= min && v.length <= max);
    return hinted.length ? fc.oneof({ weight: 12, arbitrary: fc.constantFrom(...hinted) }, { weight: 1, arbitrary: pattern }) : pattern;
  }
  const choices: fc.WeightedArbitrary<string>[] = [
    { weight: 3, arbitrary: fit(fc.constantFrom(...JAPANESE)) },
    { weight: 2, arbitrary: fit(fc.string({ maxLength: Math.min(max, 40) })) },
    { weight: 2, arbitrary: fit(fc.string({ unit: 'grapheme', maxLength: Math.min(max, 20) })) },
    { weight: 1, arbitrary: fit(fc.constantFrom(...MARKUP, ...INJECTION)) },
    { weight: 1, arbitrary: fit(fc.constantFrom(...ODD)) },
    // the longest string allowed, in characters outside the BMP and in kana
    { weight: 1, arbitrary: fc.constantFrom('𠮷', 'あ', 'a').map((c) => c.repeat(Math.max(min, Math.min(max, 10_000)))) },
  ];
  const hinted = name ? ctx.hints[name]?.filter((h) => h.length >= min && h.length <= max) : undefined;
  if (hinted?.length) choices.push({ weight: 40, arbitrary: fc.constantFrom(...hinted) });
  return fc.oneof(...choices);
}

/** A value the schema accepts (its strings may still be anything the schema allows: markup, Japanese, NUL, the longest). */
export function validArb(schema: Schema, ctx: Ctx, name?: string, depth = 0): fc.Arbitrary<Json> {
  if (schema.$ref) return validArb(ctx.resolve(schema.$ref), ctx, name, depth);
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...(schema.enum as Json[]));
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) return fc.oneof(...(branches as Schema[]).map((b) => validArb(b, ctx, name, depth)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'null':
      return fc.constant(null);
    case 'boolean':
      return fc.boolean();
    case 'integer': {
      const min = schema.minimum ?? -(2 ** 53 - 1);
      const max = schema.maximum ?? 2 ** 53 - 1;
      const low = Math.max(min, -1000);
      // versions: the records are young, so the current one is small
      if (name && /version/i.test(name)) return fc.oneof({ weight: 6, arbitrary: fc.integer({ min: Math.max(min, 0), max: Math.max(min, 3) }) }, { weight: 1, arbitrary: fc.integer({ min, max }) });
      return fc.oneof(
        { weight: 5, arbitrary: fc.integer({ min: low, max: Math.max(Math.min(max, 1000), low) }) },
        { weight: 2, arbitrary: fc.constantFrom(min, max) },
        { weight: 1, arbitrary: fc.integer({ min, max }) },
      );
    }
    case 'number':
      return fc.double({ min: schema.minimum ?? -1e12, max: schema.maximum ?? 1e12, noNaN: true, noDefaultInfinity: true });
    case 'string':
      return stringArb(schema, ctx, name);
    case 'array': {
      const minLength = schema.minItems ?? 0;
      const maxLength = Math.min(schema.maxItems ?? minLength + 4, minLength + 4);
      const items = validArb(schema.items ?? {}, ctx, name, depth + 1);
      return schema.uniqueItems
        ? fc.uniqueArray(items, { minLength, maxLength, selector: (v) => JSON.stringify(v) })
        : fc.array(items, { minLength, maxLength });
    }
    case 'object':
    case undefined: {
      if (!schema.properties && !schema.additionalProperties && type === undefined) return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
      const props = Object.fromEntries(Object.entries((schema.properties ?? {}) as Record<string, Schema>).map(([k, v]) => [k, validArb(v, ctx, k, depth + 1)]));
      let arb: fc.Arbitrary<Record<string, Json>> = fc.record(props, { requiredKeys: schema.required ?? [] }) as fc.Arbitrary<Record<string, Json>>;
      if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
        const extra = fc.dictionary(fc.string({ minLength: 1, maxLength: 20 }), validArb(schema.additionalProperties, ctx, undefined, depth + 1), { maxKeys: 3 });
        arb = fc.tuple(arb, extra).map(([a, b]) => ({ ...b, ...a }));
      }
      if (schema.minProperties) arb = arb.filter((o) => Object.keys(o).length >= schema.minProperties);
      return arb.map((o) => ({ ...o }));
    }
    default:
      return fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>;
  }
}

// ---- invalid requests: one change to a valid one

type PathSeg = string | number;
function pathsOf(v: Json, at: PathSeg[] = [], out: PathSeg[][] = []): PathSeg[][] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pathsOf(x, [...at, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pathsOf(x, [...at, k], out);
  return out;
}
function setAt(root: Json, path: PathSeg[], value: Json | undefined): Json {
  if (path.length === 0) return value === undefined ? null : value;
  const copy = structuredClone(root) as any;
  let node = copy;
  for (const seg of path.slice(0, -1)) node = node[seg];
  const last = path[path.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return copy;
}

const UNKNOWN_KEYS = ['extra', 'isAdmin', 'role', 'municipalityId', 'organizationId', 'version', '$where', '未知の項目', 'constructor', ''];

/** A valid value changed once: a leaf of the wrong type or out of range, a field removed, an unknown field added, or another root. */
function mutationOf(v: Json): fc.Arbitrary<Json> {
  const paths = pathsOf(v);
  const objects = paths.filter((p) => {
    let node: any = v;
    for (const s of p) node = node[s];
    return node && typeof node === 'object' && !Array.isArray(node);
  });
  const nasty = fc.constantFrom(...NASTY_VALUES);
  const options: fc.Arbitrary<Json>[] = [
    fc.tuple(fc.constantFrom(...paths), nasty).map(([p, x]) => setAt(v, p, x)),
    nasty,
  ];
  if (paths.length > 1) options.push(fc.constantFrom(...paths.slice(1)).map((p) => setAt(v, p, undefined)));
  if (objects.length) options.push(fc.tuple(fc.constantFrom(...objects), fc.constantFrom(...UNKNOWN_KEYS), nasty).map(([p, k, x]) => setAt(v, [...p, k], x)));
  return fc.oneof(...options);
}

// ---- requests

export interface FuzzRequest {
  user: number;
  op: number;
  method: string;
  url: string;
  /** JSON text, or text that is not JSON at all. */
  payload?: string;
  idempotencyKey?: string;
  lang: 'ja' | 'en';
  valid: boolean;
}

const PATH_NASTIES = ['%00', '..%2F..%2Fetc', 'x'.repeat(300), '1%20OR%201%3D1', '%27', 'null', '-1', '%E2%80%AE', '%F0%9F%99%82', '%ff'];

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a browser would send it). */
const enc = (s: string) => encodeURIComponent(s.replace(/\p{Cs}/gu, '\ufffd'));

function queryText(value: Json): string {
  return value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function requestArb(ops: Operation[], ctx: Ctx, users: number): fc.Arbitrary<FuzzRequest> {
  // writes and routes with ids have more to get wrong than a list without parameters: they are sent more often
  const weight = (op: Operation) => (op.body ? 3 : op.params.some((p) => p.in === 'path') ? 2 : 1);
  return fc.oneof(...ops.map((op, i) => ({ weight: weight(op), arbitrary: operationArb(op, i, ctx, users) })));
}

function operationArb(op: Operation, i: number, ctx: Ctx, users: number): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.params.filter((p) => p.in === 'path');
  const queryParams = op.params.filter((p) => p.in === 'query');
  // `{id}` is named by the segment before it: /api/cases/{id} takes a case id
  const segments = op.path.split('/');
  const before = (p: string, n: number) => segments[segments.indexOf(`{${p}}`) - n];
  // under /consultation-days/ the segment before `{id}` (sessions, bookings) is named with its parent, not to be taken for a meeting's
  const nameOf = (p: string) => (p !== 'id' ? p : /(consultation-days|supporter-meetings)\//.test(op.path) ? `${before(p, 2)}/${before(p, 1)}` : before(p, 1));
  // what an invalid request changes: a path parameter, the query string, or the body
  const parts = ['query', ...(pathParams.length ? ['path'] : []), ...(op.body ? ['body', 'body', 'body', 'malformed'] : [])];
  const generated = fc.record({
    // half as a user the route admits (else a route for one role out of eight is rarely reached for real), half as anyone
    user: op.allowed?.length ? fc.oneof(fc.constantFrom(...op.allowed), fc.nat(users - 1)) : fc.nat(users - 1),
    valid: fc.oneof({ weight: 7, arbitrary: fc.constant(true) }, { weight: 3, arbitrary: fc.constant(false) }),
    lang: fc.constantFrom('ja' as const, 'en' as const),
    keyed: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
    path: fc.tuple(...pathParams.map((p) => validArb(p.schema, ctx, nameOf(p.name)))),
    query: fc.record(
      Object.fromEntries(queryParams.map((p) => [p.name, validArb(p.schema, ctx, p.name)])),
      { requiredKeys: queryParams.filter((p) => p.required).map((p) => p.name) },
    ) as fc.Arbitrary<Record<string, Json>>,
    body: op.body ? validArb(op.body, ctx) : fc.constant(undefined),
    breaks: fc.constantFrom(...parts),
    pathNasty: fc.constantFrom(...PATH_NASTIES),
    pathIndex: fc.nat(Math.max(pathParams.length - 1, 0)),
    queryChange: fc.tuple(fc.constantFrom('unknown', 'value', 'repeat', 'drop'), fc.constantFrom(...(queryParams.length ? queryParams.map((p) => p.name) : ['x'])), fc.constantFrom(...NASTY_STRINGS)),
    malformed: fc.constantFrom('{"a":', '{', 'null', '[', '"', '{"a":1}}', '\u0000', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}'),
    key: fc.uuid(),
  });
  return generated
    .chain((g) => (!g.valid && g.breaks === 'body' ? mutationOf(g.body as Json).map((b) => ({ ...g, body: b as Json | undefined })) : fc.constant(g)))
    .map((g): FuzzRequest => {
      const segs = g.path.map((v) => enc(String(v)));
      const query: [string, string][] = Object.entries(g.query).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, queryText(x)] as [string, string]) : [[k, queryText(v)] as [string, string]]));
      let payload = g.body === undefined ? undefined : JSON.stringify(g.body);
      if (!g.valid) {
        if (g.breaks === 'path') segs[g.pathIndex] = g.pathNasty;
        if (g.breaks === 'query') {
          const [how, name, text] = g.queryChange;
          if (how === 'unknown') query.push([`x_${name}`, text]);
          else if (how === 'value') query.push([name, text]);
          else if (how === 'repeat') query.push([name, text], [name, text]);
          else for (let j = query.length - 1; j >= 0; j--) if (query[j][0] === name) query.splice(j, 1);
        }
        if (g.breaks === 'malformed') payload = g.malformed;
      }
      let n = 0;
      const path = op.path.replace(/\{[^}]+\}/g, () => segs[n++]);
      const qs = query.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&');
      return {
        user: g.user, op: i, method: op.method, url: qs ? `${path}?${qs}` : path, payload, lang: g.lang, valid: g.valid,
        idempotencyKey: g.keyed && op.method === 'POST' ? g.key : undefined,
      };
    });
}

// ---- checking answers

interface Checker {
  /** Validators by "METHOD /route/:param" and status. */
  validators: Map<string, Map<string, ValidateFunction>>;
}

/** Compiles every route's response schemas with Ajv, the shared schemas the app registers (Error, Person, CaseDetail…) added by $id. */
function responseChecker(app: App): Checker {
  const ajv = createAjv({ strict: false, allErrors: true });
  for (const s of Object.values(app.getSchemas() as Record<string, Schema>)) ajv.addSchema(s);
  const validators = new Map<string, Map<string, ValidateFunction>>();
  for (const r of app.registeredRoutes) {
    const response = (r.schema as Schema | undefined)?.response as Record<string, Schema> | undefined;
    for (const method of [r.method].flat()) {
      if (method === 'HEAD') continue;
      const byStatus = new Map<string, ValidateFunction>();
      for (const [status, s] of Object.entries(response ?? {})) byStatus.set(status, ajv.compile(s));
      validators.set(`${method} ${r.url}`, byStatus);
    }
  }
  return { validators };
}

const routeKey = (op: Operation) => `${op.method} ${op.path.replace(/\{([^}]+)\}/g, ':$1')}`;

export interface Failure {
  user: string;
  method: string;
  url: string;
  payload?: string;
  status: number;
  why: string;
  body: string;
  /** How many requests failed the same way (same route, status and reason). */
  count: number;
}

export interface FuzzFigures {
  seed: number;
  requests: number;
  operations: number;
  users: number;
  byStatus: Record<string, number>;
  /** Requests whose every part was generated to be valid, and those changed once to be invalid. */
  valid: number;
  invalid: number;
  /** Routes that answered a 2xx at least once, and those that never did. */
  reached2xx: number;
  never2xx: string[];
  failures: Failure[];
  durationMs: number;
}

// ---- the target: Musashino, a little data, one session per role

export interface Target {
  app: App;
  doc: Schema;
  ops: Operation[];
  ctx: Ctx;
  sessions: (Record<string, string> | null)[];
  logins: (string | null)[];
  /** What the handler returned before Fastify's serializer shaped it, by request. */
  payloads: Map<string, unknown>;
  close(): Promise<void>;
}

/** Builds the app on `db`: Musashino, a consultation, a case with its records and a referral, and one signed-in user per role. */
export async function prepareTarget(db: Db, clock: Clock = new FakeClock('2026-06-10T01:00:00Z')): Promise<Target> {
  await importMusashino(db, clock);
  await importTokyoPrefecture(db, clock);
  const app = await buildApp({ db, clock, config: testConfig(), logger: process.env.FUZZ_LOG ? { level: "error" } : false });
  // The serializer shapes what it is given to the schema (a null where a string is declared becomes ""),
  // so what the handler returned is checked too, as JSON would carry it without a schema.
  const payloads = new Map<string, unknown>();
  app.addHook('preSerialization', async (req, _reply, payload) => {
    const id = req.headers['x-fuzz-id'];
    if (typeof id === 'string') payloads.set(id, payload);
    return payload;
  });
  await app.ready();

  const logins: (string | null)[] = [];
  const sessions: (Record<string, string> | null)[] = [];
  for (const u of FUZZ_USERS) {
    if (!u.role) {
      logins.push(null);
      sessions.push(null);
      continue;
    }
    const { login } = await buildUser(db, { org: u.org, role: u.role, code: u.code, clock });
    logins.push(login);
    sessions.push((await signInAs(app, login, undefined, clock)).headers);
  }
  const hub = sessions[0]!;
  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const res = await app.inject({ method, url, headers: hub, payload: payload as Record<string, unknown> });
    if (res.statusCode >= 300) throw new Error(`fuzz setup: ${method} ${url} answered ${res.statusCode} ${res.body}`);
    return res.json();
  };

  const consultation = await call('POST', '/api/consultations', {
    receivedAt: '2026-06-09T01:00:00Z', channel: 'phone', consulterRelation: 'family', consulterDetail: '母', age: 52,
    issueTags: ['hikikomori', '8050'], summary: '52歳の息子が10年ほど家から出ていない。', urgency: 'normal',
  });
  const kase = await call('POST', '/api/cases', {
    consultationIds: [consultation.id], complex: true,
    person: { name: '武蔵野 一郎', nameKana: 'むさしの いちろう', birthDate: '1974-01-01', address: '武蔵野市緑町' },
    household: { label: '武蔵野家', members: [{ relation: '母', person: { name: '武蔵野 花子', nameKana: 'むさしの はなこ', birthDate: '1946-01-01' } }] },
  });
  await call('POST', `/api/cases/${kase.id}/contact-records`, { occurredAt: '2026-06-09T02:00:00Z', kind: 'phone', notes: '母と電話で話した。' });
  await call('POST', `/api/cases/${kase.id}/assessments`, { assessedOn: '2026-06-09', areas: { employment: { situation: '就労経験なし', needsSupport: true } }, summary: '外出は週1回' });
  await call('POST', `/api/cases/${kase.id}/plans`, {
    goals: [{ kind: 'long', text: '就労に向けた準備' }], actions: [{ description: '面談', organizationId: orgId('welfare-desk') }], reviewDate: '2026-09-09', personAgreed: true, agreedOn: '2026-06-09',
  });
  const consent = await call('POST', `/api/cases/${kase.id}/consents`, { givenOn: '2026-06-09', scope: '就労支援のため', method: 'written', organizationIds: [orgId('crescole')] });
  const referral = await call('POST', `/api/cases/${kase.id}/referrals`, {
    toProgramId: programId('work-readiness-support'), reason: '就労準備', sharedSummary: '52歳男性。', urgency: 'normal', firstContactDue: '2026-06-20', legalBasis: TEST_SHARE_BASIS,
  });

  // a meeting that reviewed the case, with a decision and an action item
  const meeting = await call('POST', '/api/meetings/sessions', { seriesId: meetingSeriesId('support-coordination-meeting'), date: '2026-06-16', start: '14:00', minutes: 90 });
  const withAgenda = (await app.inject({ method: 'POST', url: `/api/meetings/sessions/${meeting.id}/agenda`, headers: hub, payload: { items: [{ kind: 'case', caseId: kase.id }, { kind: 'topic', title: '居場所の情報共有' }] } })).json();
  const decided = await call('POST', `/api/meetings/sessions/${meeting.id}/decisions`, {
    agendaItemId: withAgenda.agenda[0].id, text: '就労準備支援の見学を調整する。', actionItems: [{ organizationId: orgId('self-reliance-agency'), description: '見学の調整', dueOn: '2026-06-30' }],
  });

  // a placement and a placement record of the case (participation and work)
  const placement = await call('POST', '/api/placements', { name: '図書館の補助', kind: 'trial', tasks: ['配架'], capacity: 100, hoursMin: 4, hoursMax: 10, days: ['mon'] });
  const placementRecord = await call('POST', '/api/placement-records', { caseId: kase.id, placementId: placement.id, trialFrom: '2026-06-10', trialTo: '2026-06-20' });
  // a published public lecture (events hold counts, never a person)
  const event = await call('POST', '/api/events', {
    programId: programId('public-lecture'), kind: 'public_lecture', title: 'ひきこもり講演会', startsAt: '2026-07-01T05:00:00Z', endsAt: '2026-07-01T07:00:00Z',
    place: '武蔵野市役所', online: false, capacity: 50, organizerOrgIds: [orgId('welfare-desk')], published: true,
  });

  const feed = await call('POST', `/api/meetings/series/${meetingSeriesId('support-coordination-meeting')}/feed`, {});
  // the case enrolled in the mental-health outreach program, with one visit
  const enrolment = await call('POST', `/api/programs/${programId('mental-health-outreach')}/enrolments`, { caseId: kase.id, legalBasis: TEST_SHARE_BASIS, intervalDays: 14 });
  const visit = await call('POST', '/api/outreach-visits', {
    enrolmentId: enrolment.id, visitedOn: '2026-06-10', visitors: [{ organizationId: orgId('home-visit-nursing-station'), profession: '看護師' }],
    durationMinutes: 30, place: 'door', met: 'family_only', whatHappened: '母と玄関先で話した。', stage: 'family_contact',
  });

  // a network-building visit of the prefecture's centre, with a proposal
  const centre = sessions[FUZZ_USERS.findIndex((u) => u.role === 'prefecture_staff')]!;
  const networkVisit = (await app.inject({
    method: 'POST', url: '/api/prefecture/visits/import', headers: centre,
    payload: { text: VISIT_TEXT },
  })).json();
  if (!networkVisit.id) throw new Error(`fuzz setup: the visit import answered ${JSON.stringify(networkVisit)}`);

  // home-visit applications from Musashino's window: one waiting for the centre, one it has accepted
  const homeVisit = async () => (await app.inject({
    method: 'POST', url: '/api/prefecture/home-visit-applications', headers: hub,
    payload: { age: 24, pastCompulsorySchooling: true, livesInMunicipality: true, monthsWithdrawn: 12, situation: '自室で過ごす', consent: { by: 'person', on: '2026-06-01', method: 'in_person', fields: ['age', 'situation'] } },
  })).json() as { id: string };
  const [waiting, accepted] = [await homeVisit(), await homeVisit()];
  if (!waiting.id) throw new Error(`fuzz setup: the home-visit application answered ${JSON.stringify(waiting)}`);
  await app.inject({ method: 'POST', url: `/api/prefecture/home-visit-applications/centre/${accepted.id}/accept`, headers: centre });
  // a consultation day of the centre in Musashino, today (so its outcomes may be recorded), with one session booked by the hub
  const day = (await app.inject({
    method: 'POST', url: '/api/prefecture/consultation-days', headers: centre,
    payload: { municipalityCode: '132039', date: '2026-06-10', startTime: '10:00', sessionCount: 6, sessionMinutes: 45, staff: ['相談員'] },
  })).json();
  if (!day.id) throw new Error(`fuzz setup: the consultation day answered ${JSON.stringify(day)}`);
  const dayBooked = (await app.inject({
    method: 'POST', url: '/api/prefecture/consultation-days/bookings', headers: hub,
    payload: { sessionId: day.sessions[0].id, who: 'self', nickname: 'あおい', phone: '090-0000-0000', consentScope: ['nickname'] },
  })).json();
  if (!dayBooked.id) throw new Error(`fuzz setup: the booking answered ${JSON.stringify(dayBooked)}`);
  // and days nobody is booked on, ahead, for the centre to re-plan or delete
  const freeDays = [];
  for (const date of ['2026-07-15', '2026-07-16', '2026-07-17']) {
    const free = (await app.inject({
      method: 'POST', url: '/api/prefecture/consultation-days', headers: centre, payload: { municipalityCode: '132039', date, staff: [], confirmMoreDays: true },
    })).json();
    if (!free.id) throw new Error(`fuzz setup: the free consultation day answered ${JSON.stringify(free)}`);
    freeDays.push(free.id as string);
  }
  // an expert-team conference with the case submitted to it
  const expert = await buildUser(db, { org: 'support-net', role: 'expert_member', code: TOKYO_CODE, clock });
  const conference = (await app.inject({
    method: 'POST', url: '/api/prefecture/expert-conferences', headers: centre,
    payload: { heldOn: '2026-07-01', title: '事例検討会', seats: [{ seat: 'medicine', userId: expert.id }] },
  })).json();
  if (!conference.id) throw new Error(`fuzz setup: the conference answered ${JSON.stringify(conference)}`);
  const submission = await call('POST', '/api/prefecture/expert-submissions', {
    conferenceId: conference.id, caseId: kase.id, background: '本人は自宅に閉じこもっている。', questions: ['関わり方について助言がほしい。'],
  });

  // a supporters' exchange meeting of the centre, today (so attendance may be marked and registrations still made), inviting Musashino, with the hub's registration
  const supporterMeeting = (await app.inject({
    method: 'POST', url: '/api/prefecture/supporter-meetings', headers: centre,
    payload: {
      kind: 'exchange', title: '支援者交流会', date: '2026-06-10', startTime: '14:00', place: '都庁', online: false, capacity: 1000, registrationDeadline: '2026-06-10',
      allMunicipalities: false, municipalityCodes: ['132039'], partnerIds: [],
    },
  })).json();
  if (!supporterMeeting.id) throw new Error(`fuzz setup: the supporters' meeting answered ${JSON.stringify(supporterMeeting)}`);
  // several registrations, so one cancelled by a fuzzed request leaves others to mark attended
  const meetingRegistrations: string[] = [];
  for (const name of ['武蔵野 花子', '武蔵野 一郎', '武蔵野 次郎'])
    meetingRegistrations.push((await call('POST', `/api/prefecture/supporter-meetings/${supporterMeeting.id}/registrations`, { name, section: '地域支援課' })).registrations.find((r: { name: string }) => r.name === name).id);

  const admin = sessions[FUZZ_USERS.findIndex((u) => u.role === 'system_admin')]!;
  const hold = (await app.inject({ method: 'POST', url: '/api/retention/holds', headers: admin, payload: { caseId: kase.id, reason: '訴訟のため' } })).json();
  const officer = FUZZ_USERS.find((u) => u.role === 'privacy_officer')!;
  const alert = await enqueueMessage(db, clock, { municipalityId: MUSASHINO_ID, kind: 'fuzz', toRole: officer.role!, subject: '確認してください', body: '監査の確認' });
  const hsds = async (what: string) => ((await app.inject({ method: 'GET', url: `/hsds/${what}?per_page=20` })).json().contents as { id: string }[]).map((x) => x.id);

  const network = (await app.inject({ method: 'GET', url: '/api/network', headers: hub })).json();
  const vocab = (await app.inject({ method: 'GET', url: '/api/vocabularies', headers: hub })).json();
  const codes = (k: string) => (vocab[k] as { code: string }[]).map((t) => t.code);
  const ids: IdPools = {
    consultation: [consultation.id], case: [kase.id], consent: [consent.id], referral: [referral.id], hold: [hold.id], alert: [alert],
    person: [kase.person.id, ...kase.household.members.map((m: { person: { id: string } }) => m.person.id)],
    organization: network.organizations.map((o: { id: string }) => o.id), program: network.programs.map((p: { id: string }) => p.id),
    area: network.areas.map((a: { id: string }) => a.id),
    taxonomy: await hsds('taxonomies'), taxonomy_term: await hsds('taxonomy_terms'), service_at_location: await hsds('service_at_locations'),
    series: network.meetingSeries.map((m: { id: string }) => m.id), session: [meeting.id], agenda_item: withAgenda.agenda.map((i: { id: string }) => i.id),
    action_item: decided.actionItems.map((a: { id: string }) => a.id), placement: [placement.id], placement_record: [placementRecord.id], event: [event.id], enrolment: [enrolment.id], visit: [visit.id],
    home_visit_application: [accepted.id, waiting.id],
    consultation_day: [day.id, ...freeDays], day_session: day.sessions.map((x: { id: string }) => x.id), day_booking: [dayBooked.sessions[0].booking.id],
    expert_conference: [conference.id], expert_submission: [submission.id], expert_member: [expert.id],
    supporter_meeting: [supporterMeeting.id], meeting_registration: meetingRegistrations, meeting_invitee: [MUSASHINO_ID],
    network_visit: [networkVisit.id], proposal: networkVisit.items.filter((i: { kind: string }) => i.kind === 'proposal').map((i: { id: string }) => i.id),
    drop_in: network.programs.filter((p: { kind: string }) => p.kind === 'drop_in').map((p: { id: string }) => p.id),
  };
  const orgKeys = network.organizations.map((o: { key: string }) => o.key);
  const hints: Hints = {
    token: [feed.url.split('/').pop()],
    channel: codes('channels'), channels: codes('channels'), consulterRelation: codes('consulterRelations'), consulterRelations: codes('consulterRelations'),
    schoolStage: codes('schoolStages'), schoolStages: codes('schoolStages'), issueTags: codes('issueTags'), issueTagsAny: codes('issueTags'),
    issueTagsAll: codes('issueTags'), mainIssue: codes('issueTags'), area: network.areas.map((a: { key: string }) => a.key),
    areas: network.areas.map((a: { key: string }) => a.key), organization: orgKeys, via: orgKeys, program: network.programs.map((p: { key: string }) => p.key),
    municipality: ['132039'], municipalityCode: ['132039'], text: [VISIT_TEXT], gapRuleKey: ['neighbour-window', 'planned-programs'], q: ['武蔵野', 'むさしの', 'ムサシノ', 'いちろう', 'ｲﾁﾛｳ'], search: ['相談', 'ひきこもり', 'ﾋｷｺﾓﾘ', '就労'],
    kind: ['phone', 'interview', 'home_visit'], relation: ['母', '父'], byday: ['TU,TH', '2SA,4SA'],
    heldOn: ['2026-07-01', '2026-09-02'], date: ['2026-07-20', '2026-08-24', '2026-06-10', '2026-07-15'], registrationDeadline: ['2026-06-10'], startTime: ['13:00', '09:30', '14:00'], municipalityCodes: ['132039'], seat: ['medicine', 'psychology', 'law', 'welfare'], title: ['事例検討会'], background: ['本人は自宅に閉じこもっている。'],
    // some sign-ins and step-ups succeed
    login: logins.filter((l): l is string => l !== null), password: [TEST_PASSWORD], code: [currentCode(TEST_TOTP_SECRET, clock.now())],
  };
  const components = (doc: Schema) => doc.components?.schemas ?? {};
  const doc = app.swagger() as Schema;
  const ctx: Ctx = {
    resolve: (ref) => {
      const name = ref.replace('#/components/schemas/', '');
      const s = components(doc)[name];
      if (!s) throw new Error(`unresolved $ref ${ref}`);
      return s;
    },
    hints,
    ids,
  };
  // the roles each route admits, from its access rule (/api/cases/:id is /api/cases/{id} in the document)
  const admits = new Map<string, readonly string[]>();
  for (const r of app.registeredRoutes) {
    const access = (r.config as { access?: { kind: string; roles?: readonly string[] } } | undefined)?.access;
    if (access?.kind !== 'roles' || !access.roles) continue;
    for (const m of Array.isArray(r.method) ? r.method : [r.method]) admits.set(`${m} ${r.url.replace(/:(\w+)/g, '{$1}')}`, access.roles);
  }
  const ops = operationsOf(doc).map((op) => {
    const roles = admits.get(`${op.method} ${op.path}`);
    return roles ? { ...op, allowed: FUZZ_USERS.flatMap((u, i) => (u.role && roles.includes(u.role) ? [i] : [])) } : op;
  });
  return { app, doc, ops, ctx, sessions, logins, payloads, close: () => app.close() };
}

/** A visit record in the centre's plain-text format (the seed's layout, shortened). */
const VISIT_TEXT = [
  '【武蔵野市】', '■実施日時：令和8年6月3日 14:00～16:00', '■参加部署：福祉総合相談窓口', '■実施内容：取組状況の共有・情報交換',
  '○ひきこもり支援の中心部門', '・福祉総合相談窓口が中心となっている。', '⇒現在は3名体制。',
  '○ひきこもりサポートネットからの情報提供・事例紹介・提案等', '・その他', '⇒サポートネットの多職種専門チームの活用を提案。',
].join('\n');

const short = (s: string | undefined, n = 400) => (s === undefined ? undefined : s.length > n ? `${s.slice(0, n)}…(${s.length} chars)` : s);

/** Sends `runs` generated requests to the target and checks every answer. */
export async function fuzz(target: Target, opts: { runs: number; seed: number; onProgress?: (done: number) => void }): Promise<FuzzFigures> {
  const { app, ops, ctx, sessions } = target;
  const checker = responseChecker(app);
  const requests = fc.sample(requestArb(ops, ctx, FUZZ_USERS.length), { seed: opts.seed, numRuns: opts.runs });
  const byStatus: Record<string, number> = {};
  const failures = new Map<string, Failure>();
  const reached = new Set<number>();
  const fail = (r: FuzzRequest, status: number, why: string, body: string) => {
    const key = `${routeKey(ops[r.op])} ${status} ${why}`;
    const seen = failures.get(key);
    if (seen) seen.count++;
    else failures.set(key, { user: FUZZ_USERS[r.user].name, method: r.method, url: short(r.url, 300)!, payload: short(r.payload), status, why, body: short(body)!, count: 1 });
  };
  const t0 = performance.now();
  let n = 0;
  for (const r of requests) {
    const op = ops[r.op];
    const fuzzId = String(n++);
    const headers: Record<string, string> = { 'accept-language': r.lang, 'x-fuzz-id': fuzzId, ...(sessions[r.user] ?? {}) };
    if (r.method === 'GET') delete headers['x-csrf-token'];
    if (r.payload !== undefined) headers['content-type'] = 'application/json';
    if (r.idempotencyKey) headers['idempotency-key'] = r.idempotencyKey;
    const res = await app.inject({ method: r.method as 'GET', url: r.url, headers, payload: r.payload });
    const status = res.statusCode;
    byStatus[status] = (byStatus[status] ?? 0) + 1;
    if (status < 300) reached.add(r.op);
    const returned = target.payloads.get(fuzzId);
    target.payloads.delete(fuzzId);

    if (status >= 500) fail(r, status, 'server error', res.body);
    else {
      const validate = checker.validators.get(routeKey(op))?.get(String(status));
      if (!op.statuses.includes(String(status)) || !validate) fail(r, status, `status ${status} is not declared for this route`, res.body);
      else {
        let body: unknown = null;
        let parsed = true;
        const textAnswer = !String(res.headers['content-type'] ?? 'application/json').includes('json');
        // a text answer (the audit's CSV) is checked as the string its route declares
        if (textAnswer) body = res.body;
        else if (res.body !== '') {
          try {
            body = JSON.parse(res.body);
          } catch {
            parsed = false;
          }
        }
        if (!parsed) fail(r, status, 'the body is not JSON', res.body);
        else if (!validate(body)) fail(r, status, `the body does not match the declared schema: ${ctxErrors(validate)}`, res.body);
        else if (returned !== undefined && !validate(JSON.parse(JSON.stringify(returned) ?? 'null')))
          fail(r, status, `the handler returned what the declared schema does not allow (the serializer hid it): ${ctxErrors(validate)}`, JSON.stringify(returned) ?? '');
      }
    }
    // signing out ends the session the fuzzer uses: sign in again
    if (r.method === 'DELETE' && op.path === '/api/session' && status === 204) {
      sessions[r.user] = (await signInAs(app, target.logins[r.user]!)).headers;
    }
    if (opts.onProgress && n % 1000 === 0) opts.onProgress(n);
  }
  return {
    seed: opts.seed, requests: requests.length, operations: ops.length, users: FUZZ_USERS.length, byStatus,
    valid: requests.filter((r) => r.valid).length, invalid: requests.filter((r) => !r.valid).length, reached2xx: reached.size,
    never2xx: ops.filter((_, i) => !reached.has(i)).map((o) => `${o.method} ${o.path}`),
    failures: [...failures.values()], durationMs: performance.now() - t0,
  };
}

function ctxErrors(v: ValidateFunction): string {
  return (v.errors ?? []).slice(0, 3).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
}

/** The figures as lines of text, for the test's failure message and the long run's report. */
export function describeFigures(f: FuzzFigures): string {
  const statuses = Object.entries(f.byStatus).sort(([a], [b]) => Number(a) - Number(b)).map(([s, c]) => `${s}: ${c}`).join(', ');
  const lines = [
    `seed ${f.seed}: ${f.requests} requests (${f.valid} valid-shaped, ${f.invalid} changed to be invalid) to ${f.operations} operations as ${f.users} users in ${(f.durationMs / 1000).toFixed(1)} s`,
    `by status: ${statuses}`,
    `operations answering 2xx at least once: ${f.reached2xx} of ${f.operations} (never: ${f.never2xx.join(', ')})`,
    `failures: ${f.failures.reduce((a, x) => a + x.count, 0)} (${f.failures.length} distinct)`,
  ];
  for (const x of f.failures) {
    lines.push(`  ${x.method} ${x.url} as ${x.user} → ${x.status}: ${x.why} (×${x.count})`);
    if (x.payload !== undefined) lines.push(`    sent: ${x.payload}`);
    lines.push(`    got: ${x.body}`);
  }
  return lines.join('\n');
}
