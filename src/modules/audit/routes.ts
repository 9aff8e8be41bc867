import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { AuthConfig } from '../../config.ts';
import { roles } from '../../http/access.ts';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { requireRecentSecondFactor } from '../auth/mfa.ts';
import { actorOf } from '../auth/service.ts';
import { breakGlassUses, bulkReads, exportAuditEvents, listAuditEvents, outOfHours, personsAccessedBy, type EventQuery, type Period } from './review.ts';
import { recordAudit, verifyAuditChain } from './service.ts';
import { getPrivacySettings, setPrivacySettings, type PrivacySettingsInput } from './settings.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const DateStr = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
const UserRef = Type.Object({ id: Nullable(Type.String()), login: Nullable(Type.String()) });
const OrgRef = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));
const PeriodQuery = { from: DateStr, to: DateStr };

const Event = Type.Object({
  seq: Type.Integer(), id: Uuid, occurredAt: DateTime, user: UserRef, organization: OrgRef, role: Nullable(Type.String()), action: Type.String(),
  entityType: Nullable(Type.String()), entityId: Nullable(Type.String()), reason: Nullable(Type.String()), outcome: Type.String(),
  ip: Nullable(Type.String()), requestId: Nullable(Type.String()), details: Type.Record(Type.String(), Type.Unknown()),
});

const Time = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
const ReviewFields = {
  workdayStart: Time, workdayEnd: Time, yearEndClosure: Type.Boolean(),
  bulkEventsPerDay: Type.Integer({ minimum: 1, maximum: 1_000_000 }), bulkRecordsPerDay: Type.Integer({ minimum: 1, maximum: 100_000_000 }),
};
const DeadlineFields = {
  preliminaryTargetDays: Type.Object({ from: Type.Integer({ minimum: 0, maximum: 60 }), to: Type.Integer({ minimum: 0, maximum: 60 }) }, { additionalProperties: false }),
  finalDays: Type.Integer({ minimum: 1, maximum: 365 }), finalDaysUnauthorizedPurpose: Type.Integer({ minimum: 1, maximum: 365 }),
  reportablePersonsOver: Type.Integer({ minimum: 0, maximum: 10_000_000 }), rollOverClosedDays: Type.Boolean(),
};
/** Every key optional, unknown keys refused (400), so a typo is not stored as a setting. */
const partial = (fields: Record<string, TSchema>) =>
  Type.Object(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, Type.Optional(v)])), { additionalProperties: false });
const Settings = Type.Object({ review: Type.Object(ReviewFields), incidentDeadlines: Type.Object(DeadlineFields) });

/**
 * The audit trail's integrity (auditors, administrators) and its review
 * (the privacy officer and auditors of a municipality, their own only).
 */
export function auditRoutes(app: FastifyInstance, deps: Deps, auth: AuthConfig) {
  const tags = ['audit'];
  const REVIEWERS = roles('privacy_officer', 'auditor');

  app.get('/api/audit/verification', {
    config: { access: roles('auditor', 'system_admin') },
    schema: {
      tags, summary: 'Recompute the audit hash chains and report any altered, removed or inserted event',
      response: {
        200: Type.Object({
          ok: Type.Boolean(), chains: Type.Integer(), events: Type.Integer(),
          problems: Type.Array(Type.Object({ municipalityId: Type.String(), seq: Type.Integer(), problem: Type.String() })),
        }),
        ...errorResponses(401, 403),
      },
    },
  }, async (req) => {
    const result = await verifyAuditChain(deps.db);
    await recordAudit(deps.db, deps.clock, actorOf(req.session!, req), { action: 'audit.verify', reason: 'integrity check', details: { ok: result.ok, events: result.events } });
    return result;
  });

  app.get('/api/audit/events', {
    config: { access: REVIEWERS },
    schema: {
      tags, summary: 'Audit events of the municipality, newest first, filtered; the review is itself audited',
      querystring: Type.Object({
        from: Type.Optional(DateStr), to: Type.Optional(DateStr), userId: Type.Optional(Uuid), login: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
        organizationId: Type.Optional(Uuid), action: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        outcome: Type.Optional(Type.Union([Type.Literal('success'), Type.Literal('denied'), Type.Literal('failure')])),
        entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 50 })), entityId: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
        personId: Type.Optional(Uuid), sensitive: Type.Optional(Type.Boolean()),
        cursor: Type.Optional(Type.String({ maxLength: 200 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Event), nextCursor: Nullable(Type.String()) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => listAuditEvents(deps, actorOf(req.session!, req), req.query as EventQuery));

  app.get('/api/audit/reports/bulk-reads', {
    config: { access: REVIEWERS },
    schema: {
      tags, summary: 'Users whose reads in one day passed the thresholds (events or records returned)',
      querystring: Type.Object({
        ...PeriodQuery, eventsPerDay: Type.Optional(Type.Integer({ minimum: 1 })), recordsPerDay: Type.Optional(Type.Integer({ minimum: 1 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          thresholds: Type.Object({ eventsPerDay: Type.Integer(), recordsPerDay: Type.Integer() }),
          items: Type.Array(Type.Object({
            user: UserRef, organization: OrgRef, day: Type.String(), events: Type.Integer(), records: Type.Integer(),
            exceeded: Type.Array(Type.Union([Type.Literal('events'), Type.Literal('records')])),
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => bulkReads(deps, actorOf(req.session!, req), req.query as Period & { eventsPerDay?: number; recordsPerDay?: number }));

  app.get('/api/audit/reports/out-of-hours', {
    config: { access: REVIEWERS },
    schema: {
      tags, summary: 'Activity outside working hours, on weekends, public holidays and 年末年始 (Japan time), per user and day',
      querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
      response: {
        200: Type.Object({
          workday: Type.Object({ start: Type.String(), end: Type.String() }),
          items: Type.Array(Type.Object({
            user: UserRef, organization: OrgRef, day: Type.String(),
            kind: Type.Union(['weekend', 'holiday', 'year_end', 'outside_hours'].map((k) => Type.Literal(k))),
            holidayName: Nullable(Type.String()), events: Type.Integer(), firstAt: DateTime, lastAt: DateTime,
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => outOfHours(deps, actorOf(req.session!, req), req.query as Period));

  app.get('/api/audit/reports/break-glass', {
    config: { access: REVIEWERS },
    schema: {
      tags, summary: 'Break-the-glass uses that started in the period, with their duration and reason',
      querystring: Type.Object(PeriodQuery, { additionalProperties: false }),
      response: {
        200: Type.Object({
          items: Type.Array(Type.Object({
            user: UserRef, organization: OrgRef, caseId: Nullable(Type.String()), reason: Nullable(Type.String()), startedAt: DateTime,
            endedAt: Nullable(DateTime), minutes: Nullable(Type.Integer()), reviewClosed: Nullable(Type.Boolean()),
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => breakGlassUses(deps, actorOf(req.session!, req), req.query as Period));

  app.get('/api/audit/export', {
    config: { access: REVIEWERS },
    schema: {
      tags, summary: 'Audit events of a period or of a person as CSV (UTF-8 with BOM); needs a recent second factor',
      querystring: Type.Object({ from: Type.Optional(DateStr), to: Type.Optional(DateStr), personId: Type.Optional(Uuid) }, { additionalProperties: false }),
      produces: ['text/csv'],
      response: { 200: Type.String(), ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), auth.stepUpMinutes);
    const q = req.query as { from?: string; to?: string; personId?: string };
    const { csv } = await exportAuditEvents(deps, actorOf(req.session!, req), q);
    const name = q.personId ? `audit-person-${q.personId.slice(0, 8)}` : `audit-${q.from}-${q.to}`;
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}.csv"`)
      .header('cache-control', 'no-store')
      .send(csv);
  });

  app.get('/api/audit/accessed-persons', {
    config: { access: REVIEWERS },
    schema: {
      tags, summary: 'Everyone whose records an account read or wrote in a time window, with names, for notifying them',
      querystring: Type.Object({ userId: Type.Optional(Uuid), login: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), from: DateTime, to: DateTime }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          userId: Uuid,
          persons: Type.Array(Type.Object({
            personId: Uuid, name: Nullable(Type.String()), nameKana: Nullable(Type.String()), records: Type.Integer(), accesses: Type.Integer(),
            firstAt: DateTime, lastAt: DateTime,
          })),
          unresolved: Type.Array(Type.Object({ entityType: Type.String(), records: Type.Integer() })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => {
    const q = req.query as { userId?: string; login?: string; from: string; to: string };
    return personsAccessedBy(deps, actorOf(req.session!, req), { userId: q.userId, login: q.login, from: new Date(q.from), to: new Date(q.to) });
  });

  app.get('/api/privacy/settings', {
    config: { access: REVIEWERS },
    schema: { tags, summary: 'The review thresholds, working hours and incident reporting periods in force', response: { 200: Settings, ...errorResponses(401, 403) } },
  }, async (req) => getPrivacySettings(deps.db, req.session!.municipalityId));

  app.put('/api/privacy/settings', {
    config: { access: roles('privacy_officer') },
    schema: {
      tags, summary: 'Change the review thresholds, working hours or incident reporting periods (only the keys given)',
      body: Type.Object({ review: Type.Optional(partial(ReviewFields)), incidentDeadlines: Type.Optional(partial(DeadlineFields)) }, { additionalProperties: false }),
      response: { 200: Settings, ...errorResponses(400, 401, 403) },
    },
  }, async (req) => setPrivacySettings(deps, actorOf(req.session!, req), req.body as PrivacySettingsInput));
}
