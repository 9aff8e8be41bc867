import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Config } from '../../config.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import { NETWORK_ROLES } from '../network/vocabulary.ts';
import { VISIT_HEADINGS } from './visitDocument/headings.ts';
import { coveredMunicipalities, prefectureOf } from './coverage.ts';
import { networksSideBySide } from './networks.ts';
import { partnerGroupCounts } from './partnerGroups.ts';
import {
  createVisit, draftVisit, getVisit, importVisit, ITEM_KINDS, visitDocx, visitText, listProposals, listVisits, PROPOSAL_STATUSES, proposeFromFinding, setProposalStatus, updateVisit,
  type ProposalStatus, type VisitInput,
} from './visits.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const DateStr = Type.String({ format: 'date' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Code = Type.String({ pattern: '^\\d{6}$', description: 'municipality code (6 digits)' });
const MunicipalityRef = Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) });
const Count = Type.Union([Type.Integer(), Type.String()], { description: 'a count, or "<N" where small counts are suppressed' });

const Heading = Type.Object({
  key: Nullable(Enum(VISIT_HEADINGS.map((h) => h.key))),
  title: Text(200),
  points: Type.Array(Type.Object({ text: Text(2000), subPoints: Type.Array(Text(2000), { maxItems: 50 }) }, { additionalProperties: false }), { maxItems: 100 }),
}, { additionalProperties: false });
const KindSetBy = Enum(['rule', 'staff']);
const OtherField = Type.Object({ label: Text(100), lines: Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 }) }, { additionalProperties: false });
const ItemInput = Type.Object({
  id: Type.Optional(Uuid),
  heading: Nullable(Type.String({ maxLength: 200 })),
  kind: Enum(ITEM_KINDS),
  kindSetBy: Type.Optional(KindSetBy),
  text: Text(2000),
  addressedTo: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
}, { additionalProperties: false });
const Time = Type.String({ pattern: '^\\d{2}:\\d{2}$', description: 'HH:MM' });
const VisitFields = {
  date: DateStr,
  startTime: Type.Optional(Nullable(Time)),
  endTime: Type.Optional(Nullable(Time)),
  participants: Type.Array(Text(200), { maxItems: 30 }),
  purpose: Text(500),
  headings: Type.Array(Heading, { maxItems: 40 }),
  items: Type.Array(ItemInput, { maxItems: 100 }),
  centreTitle: Type.Optional(Nullable(Text(200))),
  otherFields: Type.Optional(Type.Array(OtherField, { maxItems: 20 })),
};

const StatusChange = Type.Object({ status: Enum(PROPOSAL_STATUSES), on: Type.String(), note: Nullable(Type.String()), recordedAt: Type.String({ format: 'date-time' }) });
const Item = Type.Object({
  id: Uuid, visitId: Nullable(Uuid), visitDate: Nullable(Type.String()), position: Type.Integer(), heading: Nullable(Type.String()), kind: Enum(ITEM_KINDS), kindSetBy: KindSetBy,
  text: Type.String(), addressedTo: Nullable(Type.String()), gapRuleKey: Nullable(Type.String()), status: Nullable(Enum(PROPOSAL_STATUSES)),
  statusOn: Nullable(Type.String()), history: Type.Array(StatusChange),
});
const SummaryFields = {
  id: Uuid, municipality: MunicipalityRef, date: Type.String(), startTime: Nullable(Type.String()), endTime: Nullable(Type.String()), purpose: Type.String(),
  proposals: Type.Object({ open: Type.Integer(), adopted: Type.Integer(), declined: Type.Integer() }),
};
const Visit = Type.Object({
  ...SummaryFields,
  prefecture: MunicipalityRef, participants: Type.Array(Type.String()), headings: Type.Array(Heading), centreTitle: Nullable(Type.String()),
  otherFields: Type.Array(OtherField), unplaced: Type.Array(Type.String()), items: Type.Array(Item),
  earlierOpenProposals: Type.Array(Item), imported: Type.Boolean(), version: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }), updatedAt: Type.String({ format: 'date-time' }),
});

const NamedRef = { id: Uuid, name: Type.String() };
const Networks = Type.Object({
  fiscalYear: Type.Integer(), label: Type.String(), labelEn: Type.String(), suppressBelow: Type.Integer(),
  roles: Type.Array(Type.Object({ code: Type.String(), ja: Type.String(), en: Type.String() })),
  municipalities: Type.Array(Type.Object({
    municipality: MunicipalityRef,
    parts: Type.Array(Type.Object({
      role: Enum(NETWORK_ROLES.map((r) => r.code)),
      organizations: Type.Array(Type.Object(NamedRef)),
      programs: Type.Array(Type.Object({ ...NamedRef, status: Type.String() })),
      meetings: Type.Array(Type.Object({ ...NamedRef, cadence: Type.Record(Type.String(), Type.Unknown()), legalBasis: Type.String() })),
      consultations: Count, referralsReceived: Count,
    })),
    findings: Type.Array(Type.Object({
      rule: Type.Object({ key: Type.String(), check: Type.String(), reason: Type.String(), reasonEn: Nullable(Type.String()) }),
      subject: Nullable(Type.String()), subjectEn: Nullable(Type.String()),
      proposal: Nullable(Type.Object({ id: Uuid, status: Enum(PROPOSAL_STATUSES) })),
    })),
  })),
});

/**
 * The prefecture's centre and the municipalities it works with. The centre's
 * staff write visit records and see networks side by side (counts only); a
 * municipality's hub reads the records of visits to it and answers the
 * centre's proposals.
 */
export function prefectureRoutes(app: FastifyInstance, deps: Deps, config: Config) {
  const tags = ['prefecture'];
  const CENTRE = roles('prefecture_staff');
  const READERS = roles('prefecture_staff', 'hub_coordinator', 'auditor');
  const actor = (req: FastifyRequest) => actorOf(req.session!, req);

  app.get('/api/prefecture/municipalities', {
    config: { access: CENTRE },
    schema: { tags, summary: 'The municipalities the centre works with', response: { 200: Type.Object({ items: Type.Array(MunicipalityRef) }), ...errorResponses(401, 403) } },
  }, async (req) => {
    const prefecture = await prefectureOf(deps.db, actor(req));
    return { items: (await coveredMunicipalities(deps.db, prefecture)).map(({ id, code, name, nameEn }) => ({ id, code, name, nameEn })) };
  });

  app.get('/api/prefecture/partner-groups', {
    config: { access: CENTRE },
    schema: {
      tags, summary: '連携団体: the centre’s partner groups with, per municipality, the referrals sent to each in the fiscal year (counts only, small ones suppressed)',
      querystring: Type.Object({ fiscalYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          fiscalYear: Type.Integer(), label: Type.String(), labelEn: Type.String(), suppressBelow: Type.Integer(),
          groups: Type.Array(Type.Object({
            id: Uuid, key: Type.String(), name: Type.String(), kind: Type.String(), agreedOn: Type.String(), endedOn: Nullable(Type.String()), public: Type.Boolean(),
            ageMin: Nullable(Type.Integer()), ageMax: Nullable(Type.Integer()), offers: Type.String(), serves: Nullable(Type.Array(Type.String())),
            referrals: Type.Array(Type.Object({ municipality: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }), count: Count })),
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => {
    const a = actor(req);
    return partnerGroupCounts(deps, a, await prefectureOf(deps.db, a), req.query as { fiscalYear?: number }, config.stats);
  });

  app.get('/api/prefecture/networks', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Networks side by side: each municipality’s network by part, the fiscal year’s counts (small ones suppressed) and gap findings',
      querystring: Type.Object({ fiscalYear: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })) }, { additionalProperties: false }),
      response: { 200: Networks, ...errorResponses(400, 401, 403) },
    },
  }, async (req) => {
    const a = actor(req);
    const prefecture = await prefectureOf(deps.db, a);
    const view = await networksSideBySide(deps, a, prefecture, req.query as { fiscalYear?: number }, config.stats);
    // each finding shows the proposal made from it, if one is open
    const open = await listProposals(deps, a, { open: true });
    return {
      ...view,
      municipalities: view.municipalities.map((m) => ({
        ...m,
        findings: m.findings.map((f) => {
          const p = open.find((x) => x.municipality.id === m.municipality.id && x.gapRuleKey === f.rule.key);
          return { ...f, proposal: p ? { id: p.id, status: p.status! } : null };
        }),
      })),
    };
  });

  app.get('/api/prefecture/visits', {
    config: { access: READERS },
    schema: {
      tags, summary: 'Network-building visits, newest first (the centre: all it made; a municipality: the visits to it)',
      querystring: Type.Object({ municipality: Type.Optional(Code) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object(SummaryFields)) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await listVisits(deps, actor(req), req.query as { municipality?: string }) }));

  app.get('/api/prefecture/visits/draft', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'A new visit to a municipality, filled in from its profile, this fiscal year’s counts and the proposals still open',
      querystring: Type.Object({ municipality: Code }, { additionalProperties: false }),
      response: {
        200: Type.Object({ municipality: MunicipalityRef, ...VisitFields, openProposals: Type.Array(Item) }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => draftVisit(deps, actor(req), (req.query as { municipality: string }).municipality, config.stats.suppressBelow));

  app.post('/api/prefecture/visits', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Record a visit',
      body: Type.Object({ municipalityCode: Code, ...VisitFields }, { additionalProperties: false }),
      response: { 201: Visit, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await createVisit(deps, actor(req), req.body as VisitInput)));

  app.post('/api/prefecture/visits/import', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Import a visit record written as plain text in the centre’s format (【市名】, ■実施日時, ○headings, ・points, ⇒sub-points)',
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false }),
      response: { 201: Visit, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await importVisit(deps, actor(req), (req.body as { text: string }).text)));

  app.get('/api/prefecture/visits/:id/record.txt', {
    config: { access: READERS },
    schema: { tags, summary: 'The record as plain text in the centre’s layout', params: IdParams, produces: ['text/plain'], response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404) } },
  }, async (req, reply) => reply.type('text/plain; charset=utf-8').send(visitText(await getVisit(deps, actor(req), (req.params as { id: string }).id))));

  app.get('/api/prefecture/visits/:id/record.docx', {
    config: { access: READERS },
    schema: {
      tags, summary: 'The record as a Word document (A4), as the centre files and sends it', params: IdParams,
      produces: ['application/vnd.openxmlformats-officedocument.wordprocessingml.document'], response: { 200: Type.String(), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => {
    const { fileName, body } = await visitDocx(await getVisit(deps, actor(req), (req.params as { id: string }).id));
    return reply
      .type('application/vnd.openxmlformats-officedocument.wordprocessingml.document')
      .header('content-disposition', `attachment; filename="visit.docx"; filename*=UTF-8''${encodeURIComponent(fileName)}`)
      .send(body);
  });

  app.get('/api/prefecture/visits/:id', {
    config: { access: READERS },
    schema: { tags, summary: 'One visit with its headings, items and the proposals still open from before', params: IdParams, response: { 200: Visit, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getVisit(deps, actor(req), (req.params as { id: string }).id));

  app.put('/api/prefecture/visits/:id', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'Correct a visit (send the version you read; a stale version answers 409)', params: IdParams,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }), ...VisitFields }, { additionalProperties: false }),
      response: { 200: Visit, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateVisit(deps, actor(req), (req.params as { id: string }).id, req.body as Omit<VisitInput, 'municipalityCode'> & { version: number }));

  app.get('/api/prefecture/proposals', {
    config: { access: READERS },
    schema: {
      tags, summary: 'The centre’s proposals and where each stands, open ones first',
      querystring: Type.Object({ municipality: Type.Optional(Code), open: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({ ...Item.properties, municipality: MunicipalityRef })) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await listProposals(deps, actor(req), req.query as { municipality?: string; open?: boolean }) }));

  const ProposalBody = Type.Object({ municipalityCode: Code, gapRuleKey: Text(80), heading: Text(200), text: Text(2000) }, { additionalProperties: false });
  app.post('/api/prefecture/proposals', {
    config: { access: CENTRE },
    schema: { tags, summary: 'Turn a gap finding into a proposal to the municipality', body: ProposalBody, response: { 201: Item, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (req, reply) => reply.status(201).send(await proposeFromFinding(deps, actor(req), req.body as Static<typeof ProposalBody>)));

  app.post('/api/prefecture/proposals/:id/status', {
    config: { access: roles('hub_coordinator') },
    schema: {
      tags, summary: 'The municipality’s hub answers a proposal: considering, adopted or declined, with the date and a note', params: IdParams,
      body: Type.Object({ status: Enum(['considering', 'adopted', 'declined']), on: DateStr, note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false }),
      response: { 200: Item, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => setProposalStatus(deps, actor(req), (req.params as { id: string }).id, req.body as { status: ProposalStatus; on: string; note?: string | null }));
}
