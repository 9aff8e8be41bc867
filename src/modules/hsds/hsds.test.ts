import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Ajv } from 'ajv';
import { createTestDb, type TestDb } from '../../../test/helpers/db.ts';
import {
  buildTestApp, buildUser, HOSHINO_CODE, HOSHINO_PROFILE, importHoshino, importMusashino, importTokyoPrefecture, MUSASHINO_CODE, MUSASHINO_ID, musashinoText, orgId, programId, signInAs,
} from '../../../test/helpers/factories.ts';
import type { App } from '../../http/app.ts';
import { createAjv } from '../../lib/ajv.ts';
import { FakeClock } from '../../lib/clock.ts';
import { systemActor } from '../../lib/context.ts';
import { importProfile } from '../network/importer.ts';
import { parseProfile } from '../network/profile.ts';
import { liveSnapshots } from '../../publicLink.ts';

// ---- the official HSDS 3.0 schemas (shared/standards/hsds-3.0, copied unchanged from openreferral/specification)

const HSDS_DIR = process.env.HSDS_SCHEMA_DIR ?? new URL('../../../../shared/standards/hsds-3.0/schema/', import.meta.url).pathname;
const readJson = (file: string) => JSON.parse(readFileSync(join(HSDS_DIR, file), 'utf8'));

/** Upstream's stricter check: every object schema refuses fields it does not define (catches misspelt fields). */
function closeObjects(s: unknown): void {
  if (!s || typeof s !== 'object') return;
  if (Array.isArray(s)) return s.forEach(closeObjects);
  const o = s as Record<string, unknown>;
  if (o.type === 'object' || o.properties) o.additionalProperties = false;
  if (o.properties) Object.values(o.properties as object).forEach(closeObjects);
  for (const k of ['items', 'not', 'if', 'then', 'else']) closeObjects(o[k]);
  for (const k of ['allOf', 'anyOf', 'oneOf']) if (Array.isArray(o[k])) (o[k] as unknown[]).forEach(closeObjects);
  for (const k of ['definitions', '$defs']) if (o[k]) Object.values(o[k] as object).forEach(closeObjects);
}

const ITEM_SCHEMAS = {
  services: { item: 'compiled/service_list.json', detail: 'compiled/service.json' },
  organizations: { item: 'compiled/organization_list.json', detail: 'compiled/organization.json' },
  // openapi.json gives compiled/service.json for /service_at_locations/{id}, an upstream slip: the API
  // reference says it returns service at location data, which compiled/service_at_location.json describes
  service_at_locations: { item: 'compiled/service_at_location_list.json', detail: 'compiled/service_at_location.json' },
  taxonomies: { item: 'taxonomy.json', detail: 'taxonomy.json' },
  taxonomy_terms: { item: 'taxonomy_term.json', detail: 'taxonomy_term.json' },
} as const;
type Resource = keyof typeof ITEM_SCHEMAS;
const ROOT = 'root';
const pageOf = (item: string) => `page:${item}`;

/** An Ajv with every HSDS schema under its file name, plus the root and page envelopes of openapi.json. */
function hsdsValidator(closed: boolean): { ajv: Ajv; base: string } {
  const ajv = createAjv({ strict: false, allErrors: true });
  const base = `https://hsds.schemas.invalid/${closed ? 'closed' : 'open'}/`;
  const add = (file: string, schema: Record<string, unknown>) => {
    if (closed) closeObjects(schema);
    ajv.addSchema({ ...schema, $id: base + file });
  };
  for (const f of readdirSync(HSDS_DIR).filter((f) => f.endsWith('.json') && f !== 'openapi.json')) add(f, readJson(f));
  for (const { item, detail } of Object.values(ITEM_SCHEMAS)) for (const f of [item, detail]) if (f.startsWith('compiled/') && !ajv.getSchema(base + f)) add(f, readJson(f));
  const openapi = readJson('openapi.json');
  add(ROOT, openapi.paths['/'].get.responses['200'].content['application/json'].schema);
  // the Page envelope with its contents in one object, so the closed pass can close the envelope too
  const page = openapi.components.schemas.Page;
  for (const { item } of Object.values(ITEM_SCHEMAS)) {
    add(pageOf(item), {
      type: 'object', required: [...Object.keys(page.properties), 'contents'],
      properties: { ...structuredClone(page.properties), contents: { type: 'array', items: { $ref: base + item } } },
    });
  }
  return { ajv, base };
}

interface Got {
  url: string;
  status: number;
  body: any;
  schema: string;
}

/** Every response the HSDS API gives for one directory: the root, every page of every list, every object by id. */
async function crawl(app: App, query = ''): Promise<Got[]> {
  const q = (extra = '') => {
    const params = [query, extra].filter(Boolean).join('&');
    return params ? `?${params}` : '';
  };
  const out: Got[] = [];
  const get = async (url: string, schema: string) => {
    const res = await app.inject({ url });
    const got = { url, status: res.statusCode, body: res.json(), schema };
    out.push(got);
    return got;
  };
  await get(`/hsds${q()}`, ROOT);
  for (const [resource, { item, detail }] of Object.entries(ITEM_SCHEMAS)) {
    const all: { id: string }[] = [];
    for (let page = 1; page < 100; page++) {
      const got = await get(`/hsds/${resource}${q(`per_page=7&page=${page}`)}`, pageOf(item));
      all.push(...(got.body.contents ?? []));
      if (got.body.last_page !== false) break;
    }
    await get(`/hsds/${resource}${q('per_page=100')}`, pageOf(item));
    for (const x of all) {
      await get(`/hsds/${resource}/${x.id}${q()}`, detail);
      if (resource === 'organizations') await get(`/hsds/${resource}/${x.id}${q('full_service=true')}`, detail);
    }
  }
  return out;
}

function schemaErrors(validator: { ajv: Ajv; base: string }, responses: Got[]): string[] {
  const errors: string[] = [];
  for (const r of responses) {
    const validate = validator.ajv.getSchema(validator.base + r.schema);
    assert.ok(validate, `schema ${r.schema}`);
    if (!validate(r.body)) errors.push(`${r.url}: ${validator.ajv.errorsText(validate.errors, { separator: '; ' })}`);
  }
  return errors;
}

/** Every id-like value in a response: `id` and `*_id` fields at any depth. */
function idsIn(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) value.forEach((v) => idsIn(v, into));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'id' || k.endsWith('_id')) && typeof v === 'string') into.add(`${k}=${v}`);
      else idsIn(v, into);
    }
  }
  return into;
}

// ---- the suite

let t: TestDb;
let app: App;
const clock = new FakeClock('2026-06-10T01:00:00Z');
let validators: { open: { ajv: Ajv; base: string }; closed: { ajv: Ajv; base: string } } | undefined;
/** Both validators, built once (the compiled schemas are megabytes). */
function schemas() {
  assert.ok(existsSync(join(HSDS_DIR, 'compiled/service.json')), `HSDS 3.0 schemas not found in ${HSDS_DIR} (set HSDS_SCHEMA_DIR)`);
  validators ??= { open: hsdsValidator(false), closed: hsdsValidator(true) };
  return validators;
}

before(async () => {
  t = await createTestDb();
  await importMusashino(t.db, clock);
  app = await buildTestApp(t.db, { clock });
});
after(async () => {
  await app.close();
  await t.close();
});

/** The first crawl of Musashino's directory, before any test changes it. */
let baseline: Got[] | undefined;

const get = async (url: string, status = 200) => {
  const res = await app.inject({ url });
  assert.equal(res.statusCode, status, `${url}: ${res.body}`);
  return res.json();
};
const ids = (page: { contents: { id: string }[] }) => page.contents.map((x) => x.id);
const reimport = (text: string, file: string) => importProfile({ db: t.db, clock }, systemActor('test'), parseProfile(text, file), text);

describe('the HSDS API for one municipality (Musashino)', () => {
  test("every response for Musashino's whole network validates against the official schemas, and with additionalProperties: false", async () => {
    const responses = (baseline = await crawl(app));
    assert.deepEqual(responses.filter((r) => r.status !== 200).map((r) => `${r.url} ${r.status}`), []);
    const count = (resource: Resource) => responses.find((r) => r.url === `/hsds/${resource}?per_page=100`)!.body.total_items;
    assert.equal(count('services'), 21, 'every program of the profile is public');
    assert.equal(count('organizations'), 32);
    assert.equal(count('taxonomies'), 5);
    assert.ok(count('service_at_locations') >= 21);
    assert.ok(count('taxonomy_terms') > 50);
    assert.ok(responses.length > 150, `crawled ${responses.length} responses`);
    assert.deepEqual(schemaErrors(schemas().open, responses), []);
    assert.deepEqual(schemaErrors(schemas().closed, responses), []);
  });

  test('the second pass is stricter: it refuses a misspelt field the first lets through', async () => {
    const service = await get(`/hsds/services/${programId('youth-support')}`);
    const misspelt = { ...service, eligibilty_description: 'x' };
    const check = (v: { ajv: Ajv; base: string }, body: unknown) => v.ajv.getSchema(v.base + ITEM_SCHEMAS.services.detail)!(body);
    assert.equal(check(schemas().open, misspelt), true);
    assert.equal(check(schemas().closed, misspelt), false);
    const { name: _name, ...nameless } = service;
    assert.equal(check(schemas().open, nameless), false, 'name is required');
  });

  test('GET /hsds says which HSDS version the API follows', async () => {
    const body = await get('/hsds');
    assert.equal(body.version, '3.0');
    assert.match(body.openapi_url, /^https:\/\//);
  });

  test('a commissioned program is a service of its contractor, grouped in a program of its owner, with ages and public reasons', async () => {
    const youth = await get(`/hsds/services/${programId('youth-support')}`);
    assert.equal(youth.id, programId('youth-support'), 'the service id is the profile-derived program id');
    assert.equal(youth.organization_id, orgId('soreiyu'));
    assert.equal(youth.program.organization_id, orgId('livelihood-welfare-section'));
    assert.equal(youth.program_id, youth.program.id);
    assert.deepEqual([youth.minimum_age, youth.maximum_age], [15, 49]);
    assert.match(youth.eligibility_description, /15歳から49歳の方のひきこもりのご相談は「それいゆ」がお受けします。/);
    assert.deepEqual(youth.service_at_locations.map((s: { location: { organization_id: string } }) => s.location.organization_id), [orgId('soreiyu')]);

    const desk = await get(`/hsds/services/${programId('welfare-desk-consultation')}`);
    assert.match(desk.eligibility_description, /民生委員からのご相談は、地域支援課を通じて福祉総合相談窓口がお受けします。/);
    assert.doesNotMatch(desk.eligibility_description, /一度回収し/, 'the staff-facing reason stays inside');

    const lecture = await get(`/hsds/services/${programId('public-lecture')}`);
    assert.deepEqual(lecture.schedules.map((s: object) => ({ ...s, id: undefined, service_id: undefined })), [
      { id: undefined, service_id: undefined, timezone: 9, freq: 'MONTHLY', interval: 12, description: '年1回' },
    ]);

    const planned = await get(`/hsds/services/${programId('integrated-work-program')}`);
    assert.equal(planned.status, 'inactive', 'a planned program is not running yet');

    const mirairu = await get(`/hsds/organizations/${orgId('children-youth-section')}`);
    assert.deepEqual(mirairu.services.map((s: { id: string }) => s.id).sort(), [programId('mirairu-consultation'), programId('mirairu-drop-in')].sort());
    assert.equal(mirairu.programs.length, 1, 'both are one commission to みらいる');
  });

  test('search finds a service by its Japanese or English name, whatever the width, case or kana', async () => {
    for (const word of ['それいゆ', 'ソレイユ', 'ｿﾚｲﾕ', 'soreiyu', 'SOREIYU', '若者 それいゆ']) {
      const page = await get(`/hsds/services?search=${encodeURIComponent(word)}`);
      assert.ok(ids(page).includes(programId('youth-support')), word);
    }
    assert.equal((await get(`/hsds/services?search=${encodeURIComponent('存在しない事業')}`)).total_items, 0);
    assert.deepEqual(ids(await get('/hsds/organizations?search=Soreiyu')), [orgId('soreiyu')]);
    const terms = await get(`/hsds/taxonomy_terms?search=${encodeURIComponent('ひきこもり')}`);
    assert.deepEqual(terms.contents.map((x: { code: string }) => x.code), ['hikikomori']);
  });

  test('taxonomy_term_id for hikikomori finds the youth and desk programs, and only services with that term', async () => {
    const term = (await get('/hsds/taxonomy_terms?search=hikikomori')).contents[0];
    const page = await get(`/hsds/services?taxonomy_term_id=${term.id}`);
    const found = ids(page);
    for (const key of ['youth-support', 'welfare-desk-consultation', 'hikikomori-support-project']) assert.ok(found.includes(programId(key)), key);
    assert.ok(!found.includes(programId('food-support')));
    for (const id of found) {
      const service = await get(`/hsds/services/${id}`);
      assert.ok(service.attributes.some((a: { taxonomy_term_id: string }) => a.taxonomy_term_id === term.id), service.name);
    }
    const byTaxonomy = await get(`/hsds/services?taxonomy_id=${term.taxonomy_id}&taxonomy_term_id=${term.id}`);
    assert.deepEqual(ids(byTaxonomy), found, 'filters add up');
    const sal = await get(`/hsds/service_at_locations?taxonomy_term_id=${term.id}&per_page=100`);
    assert.deepEqual([...new Set(sal.contents.map((x: { service_id: string }) => x.service_id))].sort(), [...found].sort());
  });

  test('organization_id finds the services an organisation owns or runs under commission', async () => {
    const expected = [programId('mirairu-consultation'), programId('mirairu-drop-in')].sort();
    assert.deepEqual(ids(await get(`/hsds/services?organization_id=${orgId('mirairu')}`)).sort(), expected);
    assert.deepEqual(ids(await get(`/hsds/services?organization_id=${orgId('children-youth-section')}`)).sort(), expected);
    assert.equal((await get(`/hsds/service_at_locations?organization_id=${orgId('mirairu')}`)).total_items, 2);
    assert.equal((await get('/hsds/services?organization_id=00000000-0000-4000-8000-000000000000')).total_items, 0);
  });

  test('modified_after in the future gives an empty page; in the past, everything', async () => {
    for (const resource of ['services', 'service_at_locations', 'organizations']) {
      const page = await get(`/hsds/${resource}?modified_after=2100-01-01T00:00:00Z`);
      assert.deepEqual([page.total_items, page.size, page.empty, page.contents], [0, 0, true, []], resource);
    }
    assert.equal((await get('/hsds/services?modified_after=2000-01-01T00:00:00Z')).total_items, 21);
  });

  test('per_page and page split a list into pages with the right counts and flags', async () => {
    const all = ids(await get('/hsds/services'));
    assert.equal(all.length, 21, 'one page by default');
    const pages = [];
    for (let page = 1; page <= 5; page++) pages.push(await get(`/hsds/services?per_page=5&page=${page}`));
    assert.deepEqual(pages.map((p) => [p.page_number, p.size, p.total_items, p.total_pages, p.first_page, p.last_page, p.empty]), [
      [1, 5, 21, 5, true, false, false], [2, 5, 21, 5, false, false, false], [3, 5, 21, 5, false, false, false],
      [4, 5, 21, 5, false, false, false], [5, 1, 21, 5, false, true, false],
    ]);
    assert.deepEqual(pages.flatMap(ids), all, 'the pages together are the list, in order, once each');
    const past = await get('/hsds/services?per_page=5&page=6');
    assert.deepEqual([past.size, past.empty, past.last_page], [0, true, true]);
  });

  test('bad query values answer 400 naming the field; unknown ids answer 404', async () => {
    const cases: [string, string][] = [
      ['/hsds/services?page=0', 'page'],
      ['/hsds/services?page=abc', 'page'],
      ['/hsds/services?per_page=1000', 'per_page'],
      ['/hsds/services?per_page=0', 'per_page'],
      ['/hsds/services?taxonomy_term_id=hikikomori', 'taxonomy_term_id'],
      ['/hsds/services?organization_id=welfare-desk', 'organization_id'],
      ['/hsds/services?modified_after=yesterday', 'modified_after'],
      ['/hsds/services?municipality=13203', 'municipality'],
      ['/hsds/services?format=ndjson', 'format'],
      ['/hsds/services?sort=name', 'sort'],
      ['/hsds/organizations?full=true', 'full'],
      ['/hsds/taxonomy_terms?top_only=maybe', 'top_only'],
      ['/hsds/services/not-a-uuid', 'id'],
      ['/hsds/organizations/12', 'id'],
    ];
    for (const [url, field] of cases) {
      const body = await get(url, 400);
      assert.equal(body.code, 'bad_request', url);
      assert.deepEqual(body.fields.map((f: { field: string }) => f.field), [field], url);
      assert.ok(body.fields[0].message, url);
    }
    for (const resource of Object.keys(ITEM_SCHEMAS)) {
      const body = await get(`/hsds/${resource}/00000000-0000-4000-8000-000000000000`, 404);
      assert.equal(body.code, 'not_found');
    }
    assert.equal((await get('/hsds/services?municipality=999999', 404)).code, 'not_found');
    const ja = await app.inject({ url: '/hsds/services?per_page=abc', headers: { 'accept-language': 'ja' } });
    assert.equal(ja.json().error, '入力内容を確認してください。');
  });

  test('only public information goes out: no case, person, staff member, or internal note', async () => {
    const login = `hsds-secret-${Date.now()}`;
    const user = await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', login, clock });
    const desk = (await signInAs(app, user.login, undefined, clock)).headers;
    const post = async (url: string, payload: object) => {
      const res = await app.inject({ method: 'POST', url, headers: desk, payload: payload as Record<string, unknown> });
      assert.equal(res.statusCode, 201, res.body);
      return res.json();
    };
    const consultation = await post('/api/consultations', {
      receivedAt: '2026-06-09T10:00:00+09:00', channel: 'phone', consulterRelation: 'family', consulterDetail: '母', age: 52,
      issueTags: ['hikikomori', '8050'], mainIssue: 'hikikomori', summary: '秘匿確認用の相談要旨ぬばたま', urgency: 'normal',
    });
    const c = await post('/api/cases', {
      person: { name: '秘匿 ぬばたま太郎', nameKana: 'ヒトク ヌバタマタロウ', birthDate: '1974-02-11', gender: '男' },
      consultationIds: [consultation.id],
    });

    const text = (await crawl(app)).map((r) => JSON.stringify(r.body)).join('\n');
    const secrets = [
      '秘匿 ぬばたま太郎', 'ヌバタマ', 'ぬばたま', c.id, c.reference, consultation.id, login, `テスト ${login}`, user.id,
      // internal notes of the profile (要確認 marks assumptions for the city) and staff-facing rule reasons
      '要確認', '3名体制', '民生委員を束ねる地域支援課が一度回収し',
    ];
    for (const secret of secrets) assert.ok(!text.includes(secret), `an HSDS response contains ${secret}`);
    assert.doesNotMatch(text, /staffCount|"notes"|"reason"|"consent/);
  });

  test('ids are UUIDs that stay the same when the profile is imported again, edited', async () => {
    const before = idsIn((baseline ??= await crawl(app)).map((r) => r.body));
    assert.ok([...before].every((kv) => /=[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(kv)), 'every id is a UUID');
    const { rows } = await t.db.query<{ now: Date }>('SELECT now() AS now');
    const startedAt = new Date(rows[0].now).toISOString();

    const edited = musashinoText().replace('区市町村の困難事例に助言する。', '区市町村の困難事例に助言する（改訂）。');
    assert.notEqual(edited, musashinoText());
    assert.equal((await reimport(edited, 'musashino.yaml')).changes.program.updated, 1);
    const afterEdit = idsIn((await crawl(app)).map((r) => r.body));
    assert.deepEqual([...afterEdit].sort(), [...before].sort());
    assert.match((await get(`/hsds/services/${programId('expert-team')}`)).description, /（改訂）/);

    // what changed since, and nothing else
    assert.deepEqual(ids(await get(`/hsds/services?modified_after=${encodeURIComponent(startedAt)}`)), [programId('expert-team')]);
    assert.equal((await get(`/hsds/organizations?modified_after=${encodeURIComponent(startedAt)}`)).total_items, 0);

    await reimport(musashinoText(), 'musashino.yaml');
  });
});

describe('the HSDS API with several municipalities', () => {
  const hoshinoService = (key: string) => programId(key, HOSHINO_CODE);

  before(async () => {
    await importHoshino(t.db, clock);
  });

  test('a plain list serves every municipality’s directory together; ?municipality= filters to one', async () => {
    const all = await get('/hsds/services?per_page=100');
    assert.equal(all.total_items, 21 + 3);
    const orgs = await get('/hsds/organizations?per_page=100');
    assert.ok(orgs.contents.some((o: { name: string }) => o.name === 'NPOほしぞら') && orgs.contents.some((o: { name: string }) => o.name === 'それいゆ'));
    const terms = await get('/hsds/taxonomy_terms?per_page=100&search=hikikomori');
    assert.equal(new Set(terms.contents.map((x: { id: string }) => x.id)).size, terms.contents.length, 'the national vocabularies appear once');
    const hoshino = await get(`/hsds/services?municipality=${HOSHINO_CODE}`);
    assert.deepEqual(hoshino.contents.map((s: { name: string }) => s.name).sort(), ['こころの相談', 'まるごと相談', '若者居場所ほしぞら'].sort());
    assert.equal((await get(`/hsds/services?municipality=${MUSASHINO_CODE}`)).total_items, 21);
    assert.equal((await get('/hsds')).version, '3.0', 'the base endpoint needs no municipality');
  });

  test('a service is found by id without the municipality, and not under another one', async () => {
    assert.equal((await get(`/hsds/services/${hoshinoService('youth-support')}`)).name, '若者居場所ほしぞら');
    assert.equal((await get(`/hsds/services/${programId('youth-support')}`)).name, '若者支援（それいゆ）');
    await get(`/hsds/services/${hoshinoService('youth-support')}?municipality=${MUSASHINO_CODE}`, 404);
  });

  test('the national vocabularies keep one id in every municipality', async () => {
    const code = (m: string) => get(`/hsds/taxonomy_terms?municipality=${m}&search=hikikomori`);
    assert.equal((await code(HOSHINO_CODE)).contents[0].id, (await code(MUSASHINO_CODE)).contents[0].id);
  });

  test('a program marked public: false is not published; contacts, addresses and schedules validate', async () => {
    const text = readFileSync(HOSHINO_PROFILE, 'utf8')
      .replace('  - id: mental-health-consultation\n', '  - id: mental-health-consultation\n    public: false\n')
      .replace('  - id: welfare-section\n    name: 福祉課\n',
        '  - id: welfare-section\n    name: 福祉課\n    contact:\n      phone: "0120-000-000"\n      email: fukushi@hoshino.example.jp\n'
        + '      url: https://hoshino.example.jp/fukushi\n      address: 〒999-0001 架空県星野町本町1-1\n      hours: 平日 8:30〜17:15\n')
      .replace('    commissionedTo: [youth-npo]\n    status: active\n',
        '    commissionedTo: [youth-npo]\n    status: active\n    cadence: { every: 2, unit: week }\n'
        + '    contact: { phone: "0120-111-111", email: hoshizora@hoshino.example.jp, hours: 火曜 13:00〜17:00 }\n');
    await reimport(text, 'hoshino-fictional.yaml');

    const hidden = hoshinoService('mental-health-consultation');
    const names = (await get(`/hsds/services?municipality=${HOSHINO_CODE}`)).contents.map((s: { name: string }) => s.name);
    assert.ok(!names.includes('こころの相談'));
    await get(`/hsds/services/${hidden}`, 404);
    const centre = await get(`/hsds/organizations/${orgId('health-centre', HOSHINO_CODE)}?full_service=true`);
    assert.deepEqual(centre.services, []);
    const responses = await crawl(app, `municipality=${HOSHINO_CODE}`);
    assert.ok(!responses.some((r) => JSON.stringify(r.body).includes(hidden)), 'no response mentions it');

    const youth = await get(`/hsds/services/${hoshinoService('youth-support')}`);
    assert.equal(youth.phones[0].number, '0120-111-111');
    assert.deepEqual(youth.schedules.map((s: { freq?: string; interval?: number }) => [s.freq, s.interval]), [['WEEKLY', 2], [undefined, undefined]]);
    const section = await get(`/hsds/organizations/${orgId('welfare-section', HOSHINO_CODE)}`);
    assert.equal(section.website, 'https://hoshino.example.jp/fukushi');
    assert.equal(section.locations[0].addresses[0].postal_code, '999-0001');

    assert.deepEqual(responses.filter((r) => r.status !== 200).map((r) => `${r.url} ${r.status}`), []);
    assert.deepEqual(schemaErrors(schemas().open, responses), []);
    assert.deepEqual(schemaErrors(schemas().closed, responses), []);
  });
});

describe('events and drop-in places in the directory, with their schedules', () => {
  test('a published event is a one-off schedule of its program; a drop-in place’s opening days recur; both validate and reach the public snapshot', async () => {
    const hub = (await signInAs(app, (await buildUser(t.db, { org: 'welfare-desk', role: 'hub_coordinator', clock, code: MUSASHINO_CODE })).login, undefined, clock)).headers;
    const call = async (method: 'POST' | 'PUT', url: string, payload: Record<string, unknown>, status: number) => {
      const res = await app.inject({ method, url, headers: hub, payload });
      assert.equal(res.statusCode, status, `${method} ${url}: ${res.body}`);
      return res.json();
    };
    const lecture = await call('POST', '/api/events', {
      programId: programId('public-lecture'), kind: 'public_lecture', title: 'ひきこもり講演会', startsAt: '2026-08-01T05:00:00Z', endsAt: '2026-08-01T07:00:00Z',
      place: '武蔵野市役所 西棟', online: false, capacity: 100, organizerOrgIds: [orgId('livelihood-welfare-section')], published: true,
    }, 201);
    await call('POST', '/api/events', {
      programId: programId('public-lecture'), kind: 'public_lecture', title: '非公開の準備会', startsAt: '2026-08-02T05:00:00Z', endsAt: '2026-08-02T07:00:00Z',
      place: '市役所', online: false, capacity: 10, organizerOrgIds: [orgId('livelihood-welfare-section')], published: false,
    }, 201);
    const dropIn = programId('mirairu-drop-in');
    await call('PUT', `/api/drop-in-places/${dropIn}/openings`, { openings: [{ freq: 'WEEKLY', byday: 'TU,TH', opensAt: '13:00', closesAt: '17:00' }, { freq: 'WEEKLY', byday: '2SA', opensAt: '13:00', closesAt: '16:00' }] }, 400);
    const set = await call('PUT', `/api/drop-in-places/${dropIn}/openings`, {
      openings: [
        { freq: 'WEEKLY', byday: 'TU,TH', opensAt: '13:00', closesAt: '17:00', validFrom: '2026-04-01', validTo: '2027-03-31' },
        { freq: 'MONTHLY', byday: '2SA,4SA', opensAt: '13:00', closesAt: '16:00', description: '高校生の保護者も参加できます' },
      ],
    }, 200);
    assert.deepEqual(set.items.map((o: { summary: string }) => o.summary), ['毎週火・木曜日 13:00〜17:00', '毎月第2土曜日・第4土曜日 13:00〜16:00']);

    const lectureService = await get(`/hsds/services/${programId('public-lecture')}`);
    const one = lectureService.schedules.filter((s: { id: string; description: string }) => s.description.startsWith('ひきこもり講演会：'));
    assert.equal(one.length, 1);
    assert.deepEqual(
      { ...one[0], id: undefined },
      { id: undefined, service_id: programId('public-lecture'), timezone: 9, valid_from: '2026-08-01', valid_to: '2026-08-01', dtstart: '2026-08-01', until: '2026-08-01',
        opens_at: '14:00+09:00', closes_at: '16:00+09:00', description: 'ひきこもり講演会：令和8年8月1日（土）14:00〜16:00', notes: 'ひきこもり講演会', attending_type: '武蔵野市役所 西棟' },
    );
    assert.ok(!JSON.stringify(lectureService).includes('非公開の準備会'), 'an unpublished event is not in the directory');
    const place = await get(`/hsds/services/${dropIn}`);
    const recurring = place.schedules.filter((s: { byday?: string }) => s.byday);
    assert.deepEqual(recurring.map((s: { freq: string; byday: string; opens_at: string; valid_from?: string }) => [s.freq, s.byday, s.opens_at, s.valid_from]),
      [['WEEKLY', 'TU,TH', '13:00+09:00', '2026-04-01'], ['MONTHLY', '2SA,4SA', '13:00+09:00', undefined]]);
    assert.equal(recurring[1].description, '毎月第2土曜日・第4土曜日 13:00〜16:00（高校生の保護者も参加できます）');

    const responses = [
      { url: 'lecture', status: 200, body: lectureService, schema: ITEM_SCHEMAS.services.detail },
      { url: 'drop-in', status: 200, body: place, schema: ITEM_SCHEMAS.services.detail },
      { url: 'list', status: 200, body: await get(`/hsds/services?municipality=${MUSASHINO_CODE}&per_page=100`), schema: pageOf(ITEM_SCHEMAS.services.item) },
    ];
    assert.deepEqual(schemaErrors(schemas().open, responses), []);
    assert.deepEqual(schemaErrors(schemas().closed, responses), []);

    // what the public side works from carries the same schedules
    const snapshot = await liveSnapshots(t.db).snapshot(MUSASHINO_ID);
    const inSnapshot = (snapshot!.directory.services as unknown as { id: string; schedules: { description: string }[] }[]).find((s) => s.id === dropIn)!;
    assert.ok(inSnapshot.schedules.some((s) => s.description.startsWith('毎週火・木曜日')));
  });
});

describe('the prefecture’s partner groups (連携団体) in the directory', () => {
  before(async () => {
    await importHoshino(t.db, clock);
    await importTokyoPrefecture(t.db, clock);
  });

  test('public groups are published once, with the prefecture as their source; ?municipality= keeps those serving it; every response validates', async () => {
    const all = await get('/hsds/organizations?per_page=100&search=連携団体');
    const names = all.contents.map((o: { name: string }) => o.name).sort();
    assert.deepEqual(names, ['（例）NPO法人あしたの扉', '（例）ひきこもり家族会つばめの会', '（例）当事者の居場所こもれび'], 'the closed group is not published');
    const family = await get(`/hsds/organizations/${all.contents.find((o: { name: string }) => o.name.includes('つばめ')).id}?full_service=true`);
    assert.match(family.description, /東京都の連携団体（家族会。令和6年4月1日に協定）。この団体の情報は東京都が提供しています。/);
    assert.equal(family.organization_identifiers[0].identifier_type, '東京都の連携団体');
    assert.equal(family.services[0].service_areas[0].description, '東京都全域');
    assert.equal(family.services[0].minimum_age, 15);

    const services = (q: string) => get(`/hsds/services?per_page=100&search=連携団体${q}`).then((p) => p.contents.map((s: { name: string }) => s.name).sort());
    assert.deepEqual(await services(`&municipality=${MUSASHINO_CODE}`), ['（例）NPO法人あしたの扉', '（例）ひきこもり家族会つばめの会', '（例）当事者の居場所こもれび']);
    assert.deepEqual(await services(`&municipality=${HOSHINO_CODE}`), ['（例）NPO法人あしたの扉', '（例）ひきこもり家族会つばめの会']);
    assert.equal((await get('/hsds/services?per_page=100&search=つばめ')).total_items, 1, 'one group serving two municipalities appears once');

    for (const query of ['', `municipality=${MUSASHINO_CODE}`]) {
      const responses = await crawl(app, query);
      assert.ok(responses.every((r) => r.status === 200), responses.filter((r) => r.status !== 200).map((r) => r.url).join('\n'));
      assert.deepEqual(schemaErrors(schemas().open, responses), []);
      assert.deepEqual(schemaErrors(schemas().closed, responses), []);
    }
  });
});
