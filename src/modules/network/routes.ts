import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { SIGNED_IN } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { referralVolumes } from '../referrals/service.ts';
import { buildNetworkMap, EDGE_KINDS, MAP_GROUPS } from './map.ts';
import type { NetworkMapAnswer } from './types.ts';
import { getNetwork, getOrganization, getProgram, getRuleSet, getVocabularies, listMeetingSeries, listOrganizations, listPrograms } from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Ref = Type.Object({ id: Uuid, name: Str });
const Cadence = Type.Object({
  every: Type.Optional(Type.Integer()), unit: Type.Optional(Str), timesPerYear: Type.Optional(Type.Integer()), approximate: Type.Optional(Type.Boolean()),
});

const Contact = Type.Object({ phone: Type.Optional(Str), email: Type.Optional(Str), url: Type.Optional(Str), address: Type.Optional(Str), hours: Type.Optional(Str) });

const Organization = Type.Object({
  id: Uuid, key: Str, name: Str, nameKana: Nullable(Str), nameEn: Nullable(Str), kind: Str, internal: Type.Boolean(),
  parentId: Nullable(Uuid), hub: Type.Boolean(), staffCount: Nullable(Type.Integer()), openedOn: Nullable(Str),
  description: Nullable(Str), focus: Nullable(Str),
  contact: Nullable(Contact),
  notes: Type.Array(Str), areaIds: Type.Array(Uuid), active: Type.Boolean(), updatedAt: Type.String({ format: 'date-time' }),
  partner: Type.Optional(Nullable(Type.Object({
    prefectureCode: Str, prefectureName: Str, sourceOrganizationId: Uuid, kind: Str, agreedOn: Str,
    ageMin: Nullable(Type.Integer()), ageMax: Nullable(Type.Integer()), offers: Str, public: Type.Boolean(),
  }, { description: "a prefecture's 連携団体 (partner group) serving this municipality, mirrored from the prefecture's profile; not editable here" }))),
}, { $id: 'Organization' });

const Program = Type.Object({
  id: Uuid, key: Str, name: Str, nameEn: Nullable(Str), kind: Str,
  status: Type.Union([Type.Literal('active'), Type.Literal('planned'), Type.Literal('ended')]),
  description: Nullable(Str), startedOn: Nullable(Str),
  eligibility: Type.Object({
    ageMin: Nullable(Type.Integer()), ageMax: Nullable(Type.Integer()), schoolStages: Type.Array(Str),
    issueTags: Type.Array(Str), areaIds: Type.Array(Uuid), description: Nullable(Str),
  }),
  channels: Type.Array(Str), cadence: Nullable(Cadence), wideArea: Type.Boolean(),
  owners: Type.Array(Ref), contractors: Type.Array(Ref), reviewedIn: Nullable(Ref), public: Type.Boolean(), contact: Nullable(Contact),
  notes: Type.Array(Str), active: Type.Boolean(), updatedAt: Type.String({ format: 'date-time' }),
}, { $id: 'Program' });

const MeetingSeries = Type.Object({
  id: Uuid, key: Str, name: Str, nameEn: Nullable(Str), cadence: Cadence, legalBasis: Str, purpose: Str,
  organizer: Nullable(Ref), members: Type.Array(Ref), memberLevel: Nullable(Str), notes: Type.Array(Str), active: Type.Boolean(),
}, { $id: 'MeetingSeries' });

const Area = Type.Object({ id: Uuid, key: Str, name: Str, named: Type.Boolean(), parentId: Nullable(Uuid), notes: Type.Array(Str) });
const Term = Type.Object({ code: Str, ja: Str, en: Str, sensitive: Type.Optional(Type.Boolean()) });

export const networkSchemas = [Organization, Program, MeetingSeries];

/** Network reads: any signed-in user sees the network of the municipality they act for. */
export function networkRoutes(app: FastifyInstance, { db }: Deps) {
  const tags = ['network'];
  const mid = (req: { session: { municipalityId: string } | null }) => req.session!.municipalityId;

  app.get('/api/network', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: "The acting municipality's whole network",
      response: {
        200: Type.Object({
          municipality: Type.Object({ id: Uuid, code: Str, kind: Str, name: Str, nameEn: Nullable(Str), prefecture: Str, population: Nullable(Type.Integer()) }),
          organizations: Type.Array(Type.Ref('Organization')),
          programs: Type.Array(Type.Ref('Program')),
          meetingSeries: Type.Array(Type.Ref('MeetingSeries')),
          areas: Type.Array(Area),
        }),
        ...errorResponses(401),
      },
    },
  }, async (req) => getNetwork(db, mid(req)));

  const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
  app.get('/api/network/map', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'The network as a graph: organisations grouped by kind; commissioning, co-owned programs, meetings, rule routes and referral counts as edges',
      response: {
        200: Type.Object({
          groups: Type.Array(Enum(MAP_GROUPS)),
          nodes: Type.Array(Type.Object({
            id: Uuid, name: Str, nameEn: Nullable(Str), kind: Str, group: Enum(MAP_GROUPS), internal: Type.Boolean(), hub: Type.Boolean(),
          })),
          edges: Type.Array(Type.Object({
            id: Str, kind: Enum(EDGE_KINDS), source: Uuid, target: Uuid, directed: Type.Boolean(), labels: Type.Array(Str), referrals: Type.Integer(),
          })),
        }),
        ...errorResponses(401),
      },
    },
  }, async (req): Promise<NetworkMapAnswer> => {
    const [network, ruleSet, volumes] = await Promise.all([getNetwork(db, mid(req)), getRuleSet(db, mid(req)), referralVolumes(db, mid(req))]);
    return { groups: [...MAP_GROUPS], ...buildNetworkMap(network, ruleSet.rules, volumes) };
  });

  app.get('/api/organizations', {
    config: { access: SIGNED_IN },
    schema: { tags, summary: 'Organisations of the network', response: { 200: Type.Object({ items: Type.Array(Type.Ref('Organization')) }), ...errorResponses(401) } },
  }, async (req) => ({ items: await listOrganizations(db, mid(req)) }));

  app.get('/api/organizations/:id', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'One organisation with its relations', params: IdParams,
      response: {
        200: Type.Object({
          organization: Type.Ref('Organization'), parent: Nullable(Ref), children: Type.Array(Ref),
          programsOwned: Type.Array(Type.Ref('Program')), programsRun: Type.Array(Type.Ref('Program')), meetingSeries: Type.Array(Ref),
        }),
        ...errorResponses(400, 401, 404),
      },
    },
  }, async (req) => getOrganization(db, mid(req), (req.params as { id: string }).id));

  app.get('/api/programs', {
    config: { access: SIGNED_IN },
    schema: { tags, summary: 'Programs (事業) of the network', response: { 200: Type.Object({ items: Type.Array(Type.Ref('Program')) }), ...errorResponses(401) } },
  }, async (req) => ({ items: await listPrograms(db, mid(req)) }));

  app.get('/api/programs/:id', {
    config: { access: SIGNED_IN },
    schema: { tags, summary: 'One program', params: IdParams, response: { 200: Type.Ref('Program'), ...errorResponses(400, 401, 404) } },
  }, async (req) => getProgram(db, mid(req), (req.params as { id: string }).id));

  app.get('/api/meeting-series', {
    config: { access: SIGNED_IN },
    schema: { tags, summary: 'Meeting series (会議体)', response: { 200: Type.Object({ items: Type.Array(Type.Ref('MeetingSeries')) }), ...errorResponses(401) } },
  }, async (req) => ({ items: await listMeetingSeries(db, mid(req)) }));

  app.get('/api/vocabularies', {
    config: { access: SIGNED_IN },
    schema: {
      tags, summary: 'Code lists with Japanese and English labels',
      response: {
        200: Type.Object({
          organizationKinds: Type.Array(Term), programKinds: Type.Array(Term),
          legalBases: Type.Array(Type.Object({ code: Str, ja: Str, en: Str, sharesWithoutConsent: Type.Boolean() })),
          shareBases: Type.Array(Type.Object({ code: Str, ja: Str, en: Str, consent: Type.Boolean(), meeting: Type.Boolean(), reason: Type.Boolean() })),
          channels: Type.Array(Term), schoolStages: Type.Array(Term), consulterRelations: Type.Array(Term), issueTags: Type.Array(Term),
          roles: Type.Array(Term),
        }),
        ...errorResponses(401),
      },
    },
  }, async (req) => getVocabularies(db, mid(req)));
}
