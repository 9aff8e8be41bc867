import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { sensitive } from '../../http/sensitive.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import {
  createPlacement, createPlacementRecord, dueCheckIns, getPlacement, getPlacementRecord, getWorkPreferences, listAreaNeighbours, listCasePlacementRecords,
  listPlacements, matchPlacements, OUTCOMES, PLACEMENT_KINDS, recordCheckIn, saveWorkPreferences, setAreaNeighbours, updatePlacement, updatePlacementRecord,
  type PlacementInput, type PlacementRecordInput, type PlacementRecordUpdate, type WorkPreferencesInput,
} from './placements.ts';
import { SUPPORT_KINDS, WEEKDAYS } from './placementsMatch.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const DateStr = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Ref = Type.Object({ id: Uuid, name: Type.String() });
// quarter hours: a real column cannot hold what a float may be (1e-50 underflows)
const Hours = Type.Number({ minimum: 0, maximum: 80, multipleOf: 0.25 });
const Tags = Type.Array(Text(100), { maxItems: 30 });

const PlacementFields = {
  name: Text(200), kind: Enum(PLACEMENT_KINDS), programId: Type.Optional(Nullable(Uuid)), tasks: Tags,
  hoursMin: Type.Optional(Nullable(Hours)), hoursMax: Type.Optional(Nullable(Hours)), days: Type.Optional(Type.Array(Enum(WEEKDAYS), { maxItems: 7 })),
  areaId: Type.Optional(Nullable(Uuid)), place: Type.Optional(Nullable(Type.String({ maxLength: 300 }))), travelNotes: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
  supportOffered: Type.Optional(Type.Array(Enum(SUPPORT_KINDS), { maxItems: SUPPORT_KINDS.length })), supportNotes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  capacity: Type.Integer({ minimum: 0, maximum: 1000 }), contact: Type.Optional(Nullable(Type.String({ maxLength: 500 }))), active: Type.Optional(Type.Boolean()),
};
const Placement = Type.Object({
  id: Uuid, name: Type.String(), kind: Enum(PLACEMENT_KINDS), program: Nullable(Ref), tasks: Type.Array(Type.String()), hoursMin: Nullable(Type.Number()),
  hoursMax: Nullable(Type.Number()), days: Type.Array(Type.String()), area: Nullable(Ref), place: Nullable(Type.String()), travelNotes: Nullable(Type.String()),
  supportOffered: Type.Array(Type.String()), supportNotes: Nullable(Type.String()), capacity: Type.Integer(), contact: Nullable(Type.String()), active: Type.Boolean(),
  organization: Ref, occupied: Type.Integer(), placesLeft: Type.Integer(), updatedAt: DateTime, version: Type.Integer(),
});

const PreferenceFields = {
  hoursMin: Type.Optional(Nullable(Hours)), hoursMax: Type.Optional(Nullable(Hours)), days: Type.Optional(Type.Array(Enum(WEEKDAYS), { maxItems: 7 })),
  tasks: Type.Optional(Tags), areaId: Type.Optional(Nullable(Uuid)), maxTravelMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 600 }))),
  travelMinutes: Type.Optional(Type.Record(Type.String({ format: 'uuid' }), Type.Integer({ minimum: 0, maximum: 600 }), { maxProperties: 500 })),
  supportNeeded: Type.Optional(Type.Array(Enum(SUPPORT_KINDS), { maxItems: SUPPORT_KINDS.length })), notes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
  healthNotes: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
};
const Preferences = Type.Object({
  hoursMin: Nullable(Type.Number()), hoursMax: Nullable(Type.Number()), days: Type.Array(Type.String()), tasks: Type.Array(Type.String()), areaId: Nullable(Uuid),
  maxTravelMinutes: Nullable(Type.Integer()), travelMinutes: Type.Record(Type.String(), Type.Integer()), supportNeeded: Type.Array(Type.String()), notes: Nullable(Type.String()),
  // 要配慮: what the person's health means for work
  healthNotes: Type.Optional(Type.Union([Type.String(), Type.Null()], sensitive())),
  updatedAt: Nullable(DateTime), version: Type.Integer(),
});
const Match = Type.Object({
  placementId: Uuid, score: Type.Integer(), fits: Type.Boolean(), placement: Placement,
  reasons: Type.Array(Type.Object({
    aspect: Type.String(), verdict: Enum(['fits', 'partly', 'misses', 'unknown']),
    detail: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Array(Type.String())])),
  })),
});
const CheckIn = Type.Object({ months: Type.Integer(), dueOn: Type.String(), doneOn: Nullable(Type.String()), stillWorking: Nullable(Type.Boolean()), note: Nullable(Type.String()) });
const Record_ = Type.Object({
  id: Uuid, caseId: Uuid, placement: Type.Object({ id: Uuid, name: Type.String(), kind: Enum(PLACEMENT_KINDS) }), organization: Ref,
  trialFrom: Nullable(Type.String()), trialTo: Nullable(Type.String()), daysAttended: Type.Integer(), jobStartedOn: Nullable(Type.String()),
  outcome: Nullable(Enum(OUTCOMES)), outcomeOn: Nullable(Type.String()), endedReason: Nullable(Type.String()), note: Nullable(Type.String()),
  checkIns: Type.Array(CheckIn), createdAt: DateTime, version: Type.Integer(),
});
const DueCheckIn = Type.Object({
  recordId: Uuid, caseId: Uuid, caseReference: Type.String(), placement: Ref, jobStartedOn: Type.String(), months: Type.Integer(), dueOn: Type.String(), overdueDays: Type.Integer(),
});
const Pair = Type.Object({ areaId: Uuid, neighbourId: Uuid }, { additionalProperties: false });

/** Participation and work (参加支援・就労): placements, matching, placement records and 職場定着 check-ins. */
export function placementRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['programs'];
  const STAFF = roles('hub_coordinator', 'org_staff');
  const idOf = (req: { params: unknown }) => (req.params as { id: string }).id;

  app.get('/api/placements', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Placements (受け入れ先) offering trial participation, intermediate work or jobs',
      querystring: Type.Object({ active: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Placement) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => ({ items: await listPlacements(deps, actorOf(req.session!, req), req.query as { active?: boolean }) }));

  app.post('/api/placements', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Add a placement (staff of an organisation running a work or participation program, or the hub)',
      body: Type.Object(PlacementFields, { additionalProperties: false }), response: { 201: Placement, ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => reply.status(201).send(await createPlacement(deps, actorOf(req.session!, req), req.body as PlacementInput)));

  app.get('/api/placements/area-neighbours', {
    config: { access: STAFF },
    schema: { tags, summary: 'Which areas count as neighbouring for matching', response: { 200: Type.Object({ pairs: Type.Array(Pair) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ pairs: await listAreaNeighbours(deps, actorOf(req.session!, req)) }));

  app.put('/api/placements/area-neighbours', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Set which areas count as neighbouring for matching',
      body: Type.Object({ pairs: Type.Array(Pair, { maxItems: 500 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ pairs: Type.Array(Pair) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => ({ pairs: await setAreaNeighbours(deps, actorOf(req.session!, req), (req.body as { pairs: { areaId: string; neighbourId: string }[] }).pairs) }));

  app.get('/api/placements/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One placement', params: IdParams, response: { 200: Placement, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getPlacement(deps, actorOf(req.session!, req), idOf(req)));

  app.patch('/api/placements/:id', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Change a placement (refused when the version is stale)', params: IdParams,
      body: Type.Object({ version: Type.Integer(), ...Object.fromEntries(Object.entries(PlacementFields).map(([k, v]) => [k, Type.Optional(v)])) }, { additionalProperties: false }),
      response: { 200: Placement, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updatePlacement(deps, actorOf(req.session!, req), idOf(req), req.body as Partial<PlacementInput> & { version: number }));

  app.get('/api/cases/:id/work-preferences', {
    config: { access: STAFF },
    schema: { tags, summary: 'What the person wishes and needs for work or participation (for matching)', params: IdParams, response: { 200: Preferences, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getWorkPreferences(deps, actorOf(req.session!, req), idOf(req)));

  app.put('/api/cases/:id/work-preferences', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Save the work preferences of a case (version 0 the first time)', params: IdParams,
      body: Type.Object({ version: Type.Integer({ minimum: 0 }), ...PreferenceFields }, { additionalProperties: false }),
      response: { 200: Preferences, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => saveWorkPreferences(deps, actorOf(req.session!, req), idOf(req), req.body as WorkPreferencesInput & { version: number }));

  app.get('/api/cases/:id/placement-matches', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Active placements ranked for the person, each with why it fits or not', params: IdParams,
      response: { 200: Type.Object({ preferences: Preferences, matches: Type.Array(Match) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => matchPlacements(deps, actorOf(req.session!, req), idOf(req)));

  app.get('/api/cases/:id/placement-records', {
    config: { access: STAFF },
    schema: { tags, summary: 'The placement records of a case', params: IdParams, response: { 200: Type.Object({ items: Type.Array(Record_) }), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => ({ items: await listCasePlacementRecords(deps, actorOf(req.session!, req), idOf(req)) }));

  app.post('/api/placement-records', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'A match becomes a placement record of the case',
      body: Type.Object({
        caseId: Uuid, placementId: Uuid, trialFrom: Type.Optional(Nullable(DateStr)), trialTo: Type.Optional(Nullable(DateStr)), note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))),
      }, { additionalProperties: false }),
      response: { 201: Record_, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await createPlacementRecord(deps, actorOf(req.session!, req), req.body as PlacementRecordInput)));

  app.get('/api/placement-records/check-ins', {
    config: { access: STAFF },
    schema: { tags, summary: 'The queue of 職場定着 check-ins due, on cases the viewer fully sees', response: { 200: Type.Object({ items: Type.Array(DueCheckIn) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ items: await dueCheckIns(deps, actorOf(req.session!, req)) }));

  app.get('/api/placement-records/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One placement record with its check-ins', params: IdParams, response: { 200: Record_, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getPlacementRecord(deps, actorOf(req.session!, req), idOf(req)));

  app.patch('/api/placement-records/:id', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Record trial dates, attendance and the outcome (employed starts the job and schedules check-ins at 1, 3 and 6 months)', params: IdParams,
      body: Type.Object({
        version: Type.Integer(), trialFrom: Type.Optional(Nullable(DateStr)), trialTo: Type.Optional(Nullable(DateStr)), daysAttended: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
        note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))), outcome: Type.Optional(Nullable(Enum(OUTCOMES))), outcomeOn: Type.Optional(Nullable(DateStr)),
        endedReason: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
      }, { additionalProperties: false }),
      response: { 200: Record_, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updatePlacementRecord(deps, actorOf(req.session!, req), idOf(req), req.body as PlacementRecordUpdate));

  app.post('/api/placement-records/:id/check-ins/:months', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Record the outcome of a 職場定着 check-in', params: Type.Object({ id: Uuid, months: Type.Integer({ minimum: 1, maximum: 6 }) }, { additionalProperties: false }),
      body: Type.Object({ doneOn: DateStr, stillWorking: Type.Boolean(), note: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false }),
      response: { 201: Record_, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await recordCheckIn(deps, actorOf(req.session!, req), idOf(req), Number((req.params as { months: number }).months), req.body as { doneOn: string; stillWorking: boolean; note?: string | null })));
}
