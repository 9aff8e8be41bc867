import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { PUBLIC, roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import { sensitive } from '../../http/sensitive.ts';
import type { Deps } from '../../lib/context.ts';
import { NextCursor, PageQuery } from '../../lib/pagination.ts';
import { actorOf } from '../auth/service.ts';
import { seriesCalendar } from './ical.ts';
import {
  acknowledgeConfidentiality, addAgendaItems, listAcknowledgements, listGuestAccounts, completeActionItem, createFeed, createSession, feedSessions, getSession, inviteGuest, inviteOrganizations,
  listActionItems, listRules, listSeries, listSessions, orderAgenda, proposeAgenda, recordAttendance, recordDecision, recordMinutes, removeAgendaItem,
  setRecurrence, updateSession, type AgendaInput, type DecisionInput, type RecurrenceInput, type SessionInput, type SessionPatch, type SessionQuery,
} from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const DateTime = Type.String({ format: 'date-time' });
const DateStr = Type.String({ format: 'date' });
const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, Japan time' });
const Ref = Type.Object({ id: Uuid, name: Str });
const Label = Type.Object({ ja: Str, en: Str });
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Version = Type.Integer({ minimum: 1 });
const AgeBand = Nullable(Type.Object({ min: Type.Integer(), max: Type.Integer() }));
const Tags = Type.Array(Str, sensitive('codes'));

const Rule = Type.Object({
  months: Type.Array(Type.Integer({ minimum: 1, maximum: 12 }), { minItems: 1, maxItems: 12, uniqueItems: true }),
  weekday: Type.Integer({ minimum: 0, maximum: 6, description: '0 = Sunday … 6 = Saturday' }),
  nth: Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3), Type.Literal(4), Type.Literal(-1)], { description: '-1 = the last' }),
  start: Time, minutes: Type.Integer({ minimum: 15, maximum: 600 }),
}, { additionalProperties: false });
const HolidayShift = Enum(['next_weekday', 'previous_weekday']);

const SessionSummary = Type.Object({
  id: Uuid, series: Type.Object({ id: Uuid, name: Str, statutory: Type.Boolean() }), date: DateStr, startsAt: DateTime, endsAt: DateTime,
  movedFrom: Nullable(DateStr), place: Nullable(Str), status: Enum(['scheduled', 'held', 'cancelled']), shareFrom: DateTime, shareUntil: DateTime,
  windowOpen: Type.Boolean(), agendaCount: Type.Integer(), version: Type.Integer(),
}, { $id: 'MeetingSessionSummary' });

const SeriesView = Type.Object({
  id: Uuid, key: Str, name: Str, nameEn: Nullable(Str), legalBasis: Str, legalBasisLabel: Label, statutory: Type.Boolean(), casesAllowed: Type.Boolean(),
  purpose: Str, cadence: Type.Record(Str, Type.Unknown()), organizer: Nullable(Ref), members: Type.Array(Ref), memberLevel: Nullable(Str),
  recurrence: Nullable(Type.Object({ id: Uuid, rule: Rule, holidayShift: HolidayShift, place: Nullable(Str), description: Label })),
  confidentialityStatement: Nullable(Str), acknowledgedAt: Nullable(DateTime), feedUrl: Nullable(Str), nextSession: Nullable(Type.Ref('MeetingSessionSummary')),
}, { $id: 'MeetingSeriesView' });

const Plan = Nullable(Type.Object({
  id: Uuid, planNo: Type.Integer(), goals: Type.Unknown(), reviewDate: DateStr, confirmedOn: Nullable(DateStr), confirmedIn: Nullable(Str),
}));

const ActionItem = Type.Object({
  id: Uuid, session: Type.Object({ id: Uuid, date: DateStr, seriesName: Str }), organization: Ref, description: Str, dueOn: DateStr,
  status: Enum(['open', 'done', 'cancelled']), overdue: Type.Boolean(), doneAt: Nullable(DateTime), doneNote: Nullable(Str),
  case: Nullable(Type.Object({ id: Uuid, reference: Nullable(Str), label: Str })), decisionId: Nullable(Uuid), version: Type.Integer(),
}, { $id: 'MeetingActionItem' });

const SessionDetail = Type.Object({
  ...SessionSummary.properties,
  series: Type.Object({ id: Uuid, name: Str, legalBasis: Str, legalBasisLabel: Label, statutory: Type.Boolean(), casesAllowed: Type.Boolean() }),
  viewer: Type.Object({ mode: Enum(['coordinator', 'member', 'guest']), acknowledged: Type.Boolean(), needsAcknowledgement: Type.Boolean() }),
  agenda: Type.Array(Type.Object({
    id: Uuid, position: Type.Integer(), kind: Enum(['case', 'topic', 'action_review']),
    reason: Enum(['plan_review', 'referral_overdue', 'outreach_overdue', 'no_contact', 'complex', 'action_overdue', 'added']), reasonDetail: Nullable(Str),
    title: Nullable(Str), label: Str, view: Enum(['full', 'summary', 'pseudonymised', 'hidden']),
    case: Nullable(Type.Object({
      id: Uuid, reference: Str, status: Str, lead: Ref,
      person: Type.Object({ name: Nullable(Str), nameKana: Nullable(Str), ageBand: AgeBand }),
      issueTags: Tags, lastContactAt: Nullable(DateTime), plan: Plan, canOpen: Type.Boolean(),
    })),
    pseudonym: Nullable(Type.Object({ label: Str, ageBand: AgeBand, issueTags: Tags })),
    minutes: Nullable(Str), actionItemId: Nullable(Uuid), version: Type.Integer(),
  })),
  attendance: Type.Array(Type.Object({ organization: Ref, present: Nullable(Type.Boolean()), attendeeNames: Nullable(Str) })),
  decisions: Type.Array(Type.Object({ id: Uuid, agendaItemId: Nullable(Uuid), text: Str, recordedAt: DateTime, ruleId: Nullable(Uuid), confirmedPlanId: Nullable(Uuid) })),
  actionItems: Type.Array(Type.Ref('MeetingActionItem')),
  guests: Type.Array(Type.Object({ id: Uuid, user: Type.Object({ id: Uuid, displayName: Str }), kind: Str, sees: Str, present: Nullable(Type.Boolean()) })),
}, { $id: 'MeetingSessionDetail' });

const AgreedRule = Type.Object({
  id: Uuid, number: Type.Integer(), title: Str, body: Str, inForceFrom: DateStr,
  source: Type.Object({ sessionId: Uuid, date: DateStr, seriesName: Str, decisionId: Uuid }),
  routingRuleKey: Nullable(Str), supersedes: Nullable(Type.Object({ id: Uuid, number: Type.Integer() })), endedAt: Nullable(DateTime),
  endedBy: Nullable(Type.Object({ sessionId: Uuid, date: DateStr })),
}, { $id: 'AgreedRule' });

export const meetingSchemas = [SessionSummary, SeriesView, ActionItem, SessionDetail, AgreedRule];

const COORDINATOR = roles('hub_coordinator');
const STAFF = roles('hub_coordinator', 'org_staff');
const SEATED = roles('hub_coordinator', 'org_staff', 'meeting_guest');
const EVERY_STAFF_ROLE = roles('hub_coordinator', 'org_staff', 'privacy_officer', 'auditor', 'system_admin');
const SessionRef = Type.Ref('MeetingSessionDetail');
const ItemParams = Type.Object({ id: Uuid, itemId: Uuid }, { additionalProperties: false });
const Empty = Type.Object({}, { additionalProperties: false });

/** Coordination meetings: series and schedules, sessions and agendas, minutes, decisions, action items and agreed rules. */
export function meetingRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['meetings'];
  const actor = (req: FastifyRequest) => actorOf(req.session!, req);
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;

  app.get('/api/meetings/series', {
    config: { access: EVERY_STAFF_ROLE },
    schema: { tags, summary: 'Meeting series with their schedule, the next session and, for a 支援会議, the confidentiality statement', response: { 200: Type.Object({ items: Type.Array(Type.Ref('MeetingSeriesView')) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ items: await listSeries(deps, actor(req)) }));

  app.post('/api/meetings/series/:id/recurrence', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Schedule the series ahead by a recurrence (nth weekday of chosen months), moved off public holidays', params: IdParams,
      body: Type.Object({ rule: Rule, holidayShift: HolidayShift, place: Type.Optional(Type.String({ maxLength: 200 })), count: Type.Integer({ minimum: 1, maximum: 24 }) }, { additionalProperties: false }),
      response: { 201: Type.Object({ series: Type.Ref('MeetingSeriesView'), sessions: Type.Array(Type.Ref('MeetingSessionSummary')) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await setRecurrence(deps, actor(req), id(req), req.body as RecurrenceInput)));

  app.post('/api/meetings/series/:id/acknowledgement', {
    config: { access: STAFF },
    schema: { tags, summary: 'Acknowledge the duty of confidentiality of a 支援会議 (needed before its agenda shows cases)', params: IdParams, body: Empty, response: { 201: Type.Ref('MeetingSeriesView'), ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (req, reply) => reply.status(201).send(await acknowledgeConfidentiality(deps, actor(req), id(req))));

  app.get('/api/meetings/series/:id/acknowledgements', {
    config: { access: roles('hub_coordinator', 'privacy_officer', 'auditor') },
    schema: {
      tags, summary: 'The confidentiality acknowledgements on file for a 支援会議: who, of which organisation, when, and the wording acknowledged', params: IdParams,
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({
          user: Type.Object({ id: Uuid, displayName: Str, login: Str }), organizations: Type.Array(Ref), statement: Str, acknowledgedAt: DateTime,
        })) }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => ({ items: await listAcknowledgements(deps, actor(req), id(req)) }));

  app.post('/api/meetings/series/:id/feed', {
    config: { access: COORDINATOR },
    schema: { tags, summary: 'The address of the series’ iCalendar feed (created once)', params: IdParams, body: Empty, response: { 201: Type.Object({ url: Str }), ...errorResponses(400, 401, 403, 404) } },
  }, async (req, reply) => reply.status(201).send(await createFeed(deps, actor(req), id(req))));

  app.get('/api/meetings/feeds/:token', {
    config: { access: PUBLIC },
    schema: {
      tags, summary: 'iCalendar feed of a series (no sign-in: the address is the secret; dates, times and places only)',
      params: Type.Object({ token: Type.String({ pattern: '^[A-Za-z0-9_-]{16,64}\\.ics$' }) }, { additionalProperties: false }),
      produces: ['text/calendar'], response: { 200: Type.String(), ...errorResponses(400, 404) },
    },
  }, async (req, reply) => {
    const token = (req.params as { token: string }).token.replace(/\.ics$/, '');
    const { series, sessions } = await feedSessions(deps.db, token);
    return reply.type('text/calendar; charset=utf-8').header('Cache-Control', 'private, max-age=300')
      .send(seriesCalendar(series, sessions, req.hostname || 'tsunagu'));
  });

  app.get('/api/meetings/sessions', {
    config: { access: EVERY_STAFF_ROLE },
    schema: {
      tags, summary: 'Sessions by start time, a page at a time: in a date range (the calendar), or those whose agenda held a case you work in full',
      querystring: Type.Object({ from: Type.Optional(DateStr), to: Type.Optional(DateStr), seriesId: Type.Optional(Uuid), caseId: Type.Optional(Uuid), ...PageQuery }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('MeetingSessionSummary')), nextCursor: NextCursor }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => listSessions(deps, actor(req), req.query as SessionQuery));

  app.post('/api/meetings/sessions', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Schedule one session',
      body: Type.Object({ seriesId: Uuid, date: DateStr, start: Time, minutes: Type.Integer({ minimum: 15, maximum: 600 }), place: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
      response: { 201: SessionRef, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await createSession(deps, actor(req), req.body as SessionInput)));

  app.get('/api/meetings/sessions/:id', {
    config: { access: SEATED },
    schema: { tags, summary: 'A session with its agenda as the viewer may see it (cases shared only as the meeting’s legal basis allows; every view audited)', params: IdParams, response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getSession(deps, actor(req), id(req)));

  app.patch('/api/meetings/sessions/:id', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Move, hold or cancel a session, or set its sharing window', params: IdParams,
      body: Type.Object({
        version: Version, date: Type.Optional(DateStr), start: Type.Optional(Time), minutes: Type.Optional(Type.Integer({ minimum: 15, maximum: 600 })),
        place: Type.Optional(Nullable(Type.String({ maxLength: 200 }))), status: Type.Optional(Enum(['scheduled', 'held', 'cancelled'])),
        shareFrom: Type.Optional(DateTime), shareUntil: Type.Optional(DateTime),
      }, { additionalProperties: false }),
      response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => updateSession(deps, actor(req), id(req), req.body as SessionPatch));

  app.get('/api/meetings/sessions/:id/proposals', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Cases and overdue action items Tsunagu proposes for the agenda, with the reason', params: IdParams,
      querystring: Type.Object({ noContactDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 730, description: 'propose cases without contact for this many days (default 60)' })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({
          kind: Enum(['case', 'action_review']), caseId: Nullable(Uuid), actionItemId: Nullable(Uuid),
          reason: Enum(['plan_review', 'referral_overdue', 'outreach_overdue', 'no_contact', 'complex', 'action_overdue', 'added']), reasonDetail: Nullable(Str), reference: Str, onAgenda: Type.Boolean(),
        })) }),
        ...errorResponses(400, 401, 403, 404),
      },
    },
  }, async (req) => ({ items: await proposeAgenda(deps, actor(req), id(req), (req.query as { noContactDays?: number }).noContactDays) }));

  app.post('/api/meetings/sessions/:id/agenda', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Add cases, topics or action items to the agenda', params: IdParams,
      body: Type.Object({
        items: Type.Array(Type.Union([
          Type.Object({ kind: Type.Literal('case'), caseId: Uuid, reason: Type.Optional(Enum(['plan_review', 'referral_overdue', 'outreach_overdue', 'no_contact', 'complex', 'added'])), reasonDetail: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false }),
          Type.Object({ kind: Type.Literal('topic'), title: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
          Type.Object({ kind: Type.Literal('action_review'), actionItemId: Uuid }, { additionalProperties: false }),
        ]), { minItems: 1, maxItems: 100 }),
      }, { additionalProperties: false }),
      response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => addAgendaItems(deps, actor(req), id(req), (req.body as { items: AgendaInput[] }).items));

  app.post('/api/meetings/sessions/:id/agenda/order', {
    config: { access: COORDINATOR },
    schema: { tags, summary: 'Put the agenda in a new order', params: IdParams, body: Type.Object({ itemIds: Type.Array(Uuid, { maxItems: 200 }) }, { additionalProperties: false }), response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => orderAgenda(deps, actor(req), id(req), (req.body as { itemIds: string[] }).itemIds));

  app.post('/api/meetings/sessions/:id/agenda/:itemId/remove', {
    config: { access: COORDINATOR },
    schema: { tags, summary: 'Take an item off the agenda (not once it has minutes or decisions)', params: ItemParams, body: Empty, response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (req) => removeAgendaItem(deps, actor(req), id(req), (req.params as { itemId: string }).itemId));

  app.post('/api/meetings/sessions/:id/organizations', {
    config: { access: COORDINATOR },
    schema: { tags, summary: 'Invite organisations to the session', params: IdParams, body: Type.Object({ organizationIds: Type.Array(Uuid, { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }), response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => inviteOrganizations(deps, actor(req), id(req), (req.body as { organizationIds: string[] }).organizationIds));

  app.post('/api/meetings/sessions/:id/attendance', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Record who attended', params: IdParams,
      body: Type.Object({ entries: Type.Array(Type.Object({ organizationId: Uuid, present: Type.Boolean(), attendeeNames: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }), { minItems: 1, maxItems: 100 }) }, { additionalProperties: false }),
      response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => recordAttendance(deps, actor(req), id(req), (req.body as { entries: { organizationId: string; present: boolean; attendeeNames?: string }[] }).entries));

  app.get('/api/meetings/guest-accounts', {
    config: { access: COORDINATOR },
    schema: { tags, summary: 'The meeting-guest accounts a coordinator may invite', response: { 200: Type.Object({ items: Type.Array(Type.Object({ id: Uuid, displayName: Str, organization: Ref })) }), ...errorResponses(401, 403) } },
  }, async (req) => ({ items: await listGuestAccounts(deps, actor(req)) }));

  app.post('/api/meetings/sessions/:id/guests', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Invite a guest (a welfare commissioner, a person with lived experience) and say what they see', params: IdParams,
      body: Type.Object({ userId: Uuid, kind: Enum(['welfare_commissioner', 'lived_experience', 'expert', 'other']), sees: Enum(['topics', 'pseudonymised']) }, { additionalProperties: false }),
      response: { 201: SessionRef, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await inviteGuest(deps, actor(req), id(req), req.body as { userId: string; kind: string; sees: 'topics' | 'pseudonymised' })));

  app.post('/api/meetings/agenda-items/:id/minutes', {
    config: { access: COORDINATOR },
    schema: { tags, summary: 'Write the minutes of an agenda item', params: IdParams, body: Type.Object({ version: Version, minutes: Type.String({ maxLength: 20000 }) }, { additionalProperties: false }), response: { 200: SessionRef, ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (req) => recordMinutes(deps, actor(req), id(req), req.body as { version: number; minutes: string }));

  app.post('/api/meetings/sessions/:id/decisions', {
    config: { access: COORDINATOR },
    schema: {
      tags, summary: 'Record a decision, with action items, a plan confirmed, or an agreed rule (統一見解) made or ended', params: IdParams,
      body: Type.Object({
        agendaItemId: Type.Optional(Uuid), text: Type.String({ minLength: 1, maxLength: 4000 }),
        actionItems: Type.Optional(Type.Array(Type.Object({ organizationId: Uuid, description: Type.String({ minLength: 1, maxLength: 1000 }), dueOn: DateStr, caseId: Type.Optional(Uuid) }, { additionalProperties: false }), { maxItems: 20 })),
        confirmPlanId: Type.Optional(Uuid),
        rule: Type.Optional(Type.Object({ title: Type.String({ minLength: 1, maxLength: 200 }), body: Type.String({ minLength: 1, maxLength: 4000 }), routingRuleKey: Type.Optional(Type.String({ maxLength: 100 })), supersedesId: Type.Optional(Uuid) }, { additionalProperties: false })),
        endsRuleId: Type.Optional(Uuid),
      }, { additionalProperties: false }),
      response: { 201: SessionRef, ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req, reply) => reply.status(201).send(await recordDecision(deps, actor(req), id(req), req.body as DecisionInput)));

  app.get('/api/meetings/action-items', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Action items, a page at a time, open ones first then by due date: the organisation’s queue, or all for the coordinator',
      querystring: Type.Object({ status: Type.Optional(Enum(['open', 'done', 'all'])), scope: Type.Optional(Enum(['mine', 'all'])), ...PageQuery }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Ref('MeetingActionItem')), nextCursor: NextCursor,
          total: Type.Integer({ description: 'items the filter matches, over every page' }), overdue: Type.Integer({ description: 'open items past their due date, over every page' }),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => {
    const q = req.query as { status?: 'open' | 'done' | 'all'; scope?: 'mine' | 'all'; cursor?: string; limit?: number };
    return listActionItems(deps, actor(req), { ...q, status: q.status ?? 'open', scope: q.scope ?? 'mine' });
  });

  app.post('/api/meetings/action-items/:id/complete', {
    config: { access: STAFF },
    schema: { tags, summary: 'Close an action item of your organisation', params: IdParams, body: Type.Object({ version: Version, note: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }), response: { 200: Type.Ref('MeetingActionItem'), ...errorResponses(400, 401, 403, 404, 409) } },
  }, async (req) => completeActionItem(deps, actor(req), id(req), req.body as { version: number; note?: string }));

  app.get('/api/meetings/rules', {
    config: { access: EVERY_STAFF_ROLE },
    schema: {
      tags, summary: 'Agreed rules (統一見解) in force, or all with include=ended; searchable',
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })), include: Type.Optional(Type.Literal('ended')) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('AgreedRule')) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => {
    const q = req.query as { q?: string; include?: 'ended' };
    return { items: await listRules(deps, actor(req), { q: q.q, includeEnded: q.include === 'ended' }) };
  });
}
