import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import type { Config } from '../../config.ts';
import { roles } from '../../http/access.ts';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { requireRecentSecondFactor } from '../auth/mfa.ts';
import { actorOf } from '../auth/service.ts';
import { figuresToCsv, figuresToXlsx, type CsvEncoding } from './export.ts';
import {
  auditExport, DRILL_FIGURES, DRILL_ROLES, drillDown, figuresFor, networkHealth, STATS_ROLES, yearTotals,
  type DrillQuery, type FiguresQuery, type StatsOptions, type View,
} from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Str = Type.String();
const DateStr = Type.String({ format: 'date' });
const DateTime = Type.String({ format: 'date-time' });
/**
 * A count; in figures for publication, small ones are a string such as "<3",
 * and "—" marks a count hidden so that a small one cannot be worked out from a total.
 */
const Count = Type.Union([
  Type.Integer({ minimum: 0 }),
  Type.String({ pattern: '^(<[0-9]+|—)$', description: '"<3": fewer than 3; "—": hidden so that no small count can be worked out from the totals (secondary suppression)' }),
]);
const Ref = Type.Object({ id: Uuid, name: Str, nameEn: Str });
const Row = Type.Object({ key: Str, label: Str, labelEn: Str, count: Count });
const Rows = Type.Array(Row);
const Period = Type.Object({ from: DateStr, to: DateStr, fiscalYear: Nullable(Type.Integer()), label: Str, labelEn: Str }, { $id: 'StatsPeriod' });
const PeriodRef = Type.Ref('StatsPeriod');

const FiscalYear = Type.Integer({ minimum: 1989, maximum: 2100, description: '年度 by its first year: 2024 = 令和6年度 (April 2024 – March 2025)' });
const PeriodQuery = {
  fiscalYear: Type.Optional(FiscalYear),
  from: Type.Optional(Type.String({ format: 'date', description: 'first day of a range (with to; instead of fiscalYear)' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'last day of the range, inclusive' })),
};
const ViewParam = Type.Optional(Enum(['internal', 'publication']));

const Figures = Type.Object({
  municipality: Type.Object({ id: Uuid, name: Str }),
  period: PeriodRef,
  previousPeriod: PeriodRef,
  scope: Type.Object({ kind: Enum(['municipality', 'organization']), organization: Nullable(Ref) }),
  view: Enum(['internal', 'publication']),
  suppressBelow: Nullable(Type.Integer()),
  secondarySuppression: Type.Boolean({ description: 'publication: some counts are "—", hidden so that no small count can be worked out from a total' }),
  consultations: Type.Object({
    total: Count, byDoor: Rows, byChannel: Rows, byRelation: Rows, byAgeBand: Rows, byIssue: Rows, byArea: Rows, byMonth: Rows,
    sensitiveIssuesHidden: Type.Boolean(),
  }),
  cases: Type.Object({ opened: Count, plansInitial: Count, plansRevised: Count, plans: Count, closed: Count, closuresByReason: Rows, openedByMonth: Rows }),
  referrals: Type.Object({
    funnel: Type.Object({ sent: Count, accepted: Count, firstContact: Count, completed: Count, declined: Count, returned: Count }),
    bySender: Rows, byReceiver: Rows, byMonth: Rows,
    flows: Type.Array(Type.Object({ from: Ref, to: Ref, count: Count })),
    perOrganization: Type.Array(Type.Object({
      organization: Ref, sent: Count, accepted: Count, firstContact: Count, completed: Count, declined: Count, returned: Count,
      medianDaysToAcceptance: Nullable(Type.Number()), medianDaysToFirstContact: Nullable(Type.Number()),
    })),
  }),
  meetings: Type.Object({ sessionsHeld: Count, casesReviewed: Count, decisions: Count, actionItemsDue: Count, actionItemsDoneOnTime: Count }),
  programs: Type.Array(Type.Object({ program: Ref, referrals: Count })),
  programActivity: Nullable(Type.Object({ outreach: Rows, work: Rows, events: Rows }, { description: 'municipality-wide; null for staff who count their own organisation only' })),
  rates: Nullable(Type.Object({ population: Type.Integer(), months: Type.Number(), consultationsPer100kPerMonth: Type.Number(), plansPer100kPerMonth: Type.Number() })),
  previous: Type.Object({ consultations: Count, casesOpened: Count, plans: Count, closed: Count, referralsSent: Count, consultationsByMonth: Rows }),
});

const FINDING_KINDS = ['quiet_door', 'overdue_referrals', 'no_contact', 'program_without_referrals'];

export const statsSchemas = [Period];

/**
 * Figures by fiscal year (issue #6). Who sees what is the service's
 * (src/modules/stats/service.ts): the hub and auditors the municipality,
 * organisation staff their own organisation; only staff drill down to records.
 */
export function statsRoutes(app: FastifyInstance, deps: Deps, config: Config) {
  const tags = ['stats'];
  const opts: StatsOptions = config.stats;
  const VIEWERS = roles(...STATS_ROLES);

  app.get('/api/stats', {
    config: { access: VIEWERS },
    schema: {
      tags, summary: 'The figures of a fiscal year (default: the current one) or a range of dates, for what you may count',
      querystring: Type.Object({ ...PeriodQuery, view: ViewParam }, { additionalProperties: false }),
      response: { 200: Figures, ...errorResponses(400, 401, 403) },
    },
  }, async (req) => figuresFor(deps, actorOf(req.session!, req), req.query as FiguresQuery, opts));

  app.get('/api/stats/years', {
    config: { access: VIEWERS },
    schema: {
      tags, summary: 'Totals per fiscal year (year over year) and the fiscal years with records, labelled in 和暦',
      querystring: Type.Object({
        until: Type.Optional(FiscalYear), count: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })), view: ViewParam,
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          available: Type.Array(Type.Object({ fiscalYear: Type.Integer(), label: Str, labelEn: Str })),
          totals: Type.Array(Type.Object({
            fiscalYear: Type.Integer(), label: Str, labelEn: Str, consultations: Count, casesOpened: Count, plans: Count, closed: Count, referralsSent: Count,
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => yearTotals(deps, actorOf(req.session!, req), req.query as { until?: number; count?: number; view?: View }, opts));

  app.get('/api/stats/health', {
    config: { access: VIEWERS },
    schema: {
      tags, summary: 'Network health findings: quiet doors, overdue referrals, cases without contact, programs nobody was referred to',
      querystring: Type.Object({ ...PeriodQuery, noContactDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 3650 })) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          period: PeriodRef, asOf: DateStr, noContactDays: Type.Integer(),
          findings: Type.Array(Type.Object({
            kind: Enum(FINDING_KINDS), organization: Nullable(Ref), program: Nullable(Ref), count: Type.Integer(), lastAt: Nullable(DateTime),
            days: Nullable(Type.Integer()), link: Str,
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => networkHealth(deps, actorOf(req.session!, req), req.query as { noContactDays?: number }, opts));

  app.get('/api/stats/records', {
    config: { access: roles(...DRILL_ROLES) },
    schema: {
      tags, summary: 'The records behind a figure that you may open (audited); a hidden case is never listed',
      querystring: Type.Object({
        figure: Enum(DRILL_FIGURES), by: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })), key: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
        ...PeriodQuery, noContactDays: Type.Optional(Type.Integer({ minimum: 7, maximum: 3650 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          figure: Str, by: Nullable(Str), key: Nullable(Str), period: Nullable(PeriodRef), total: Type.Integer(),
          items: Type.Array(Type.Object({
            type: Enum(['consultation', 'case', 'referral', 'plan']), id: Uuid, reference: Str, at: DateTime, organization: Nullable(Ref),
            status: Nullable(Str),
            caseId: Nullable(Uuid), link: Str,
          })),
        }),
        ...errorResponses(400, 401, 403),
      },
    },
  }, async (req) => drillDown(deps, actorOf(req.session!, req), req.query as DrillQuery, opts));

  const exportQuery = { ...PeriodQuery, view: ViewParam };
  const fileName = (q: FiguresQuery & { fiscalYear?: number; from?: string; to?: string }, ext: string) =>
    `tsunagu-figures-${q.fiscalYear ? `FY${q.fiscalYear}` : q.from && q.to ? `${q.from}_${q.to}` : 'current'}${q.view === 'publication' ? '-publication' : ''}.${ext}`;

  app.get('/api/stats/export.xlsx', {
    config: { access: VIEWERS },
    schema: {
      tags, summary: 'The figures as an xlsx workbook, one sheet per breakdown (Japanese headers, 和暦); needs a recent second factor; audited',
      querystring: Type.Object(exportQuery, { additionalProperties: false }),
      produces: ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      response: { 200: Type.String(), ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), config.auth.stepUpMinutes);
    const actor = actorOf(req.session!, req);
    const q = req.query as FiguresQuery;
    const f = await figuresFor(deps, actor, q, opts);
    const file = await figuresToXlsx(f);
    await auditExport(deps, actor, f, 'xlsx');
    return reply
      .type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
      .header('content-disposition', `attachment; filename="${fileName({ ...q, fiscalYear: f.period.fiscalYear ?? undefined }, 'xlsx')}"`)
      .header('cache-control', 'no-store')
      .send(file);
  });

  app.get('/api/stats/export.csv', {
    config: { access: VIEWERS },
    schema: {
      tags, summary: 'The figures as one CSV table (UTF-8 with BOM, or Shift_JIS); needs a recent second factor; audited',
      querystring: Type.Object({ ...exportQuery, encoding: Type.Optional(Enum(['utf-8', 'shift_jis'])) }, { additionalProperties: false }),
      produces: ['text/csv'],
      response: { 200: Type.String(), ...errorResponses(400, 401, 403) },
    },
  }, async (req, reply) => {
    requireRecentSecondFactor(req.session!, deps.clock.now(), config.auth.stepUpMinutes);
    const actor = actorOf(req.session!, req);
    const q = req.query as FiguresQuery & { encoding?: CsvEncoding };
    const f = await figuresFor(deps, actor, q, opts);
    const encoding = q.encoding ?? 'utf-8';
    const file = figuresToCsv(f, encoding);
    await auditExport(deps, actor, f, `csv ${encoding}`);
    return reply
      .type(`text/csv; charset=${encoding === 'shift_jis' ? 'Shift_JIS' : 'utf-8'}`)
      .header('content-disposition', `attachment; filename="${fileName({ ...q, fiscalYear: f.period.fiscalYear ?? undefined }, encoding === 'shift_jis' ? 'sjis.csv' : 'csv')}"`)
      .header('cache-control', 'no-store')
      .send(file);
  });
}
