import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import { SHARE_BASES } from '../network/vocabulary.ts';
import { advanceReferral, getReferral, listReferrals, REFERRAL_STATUSES, sendReferral, type ReferralQuery, type ReferralStatus, type SendReferralInput } from './service.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const DateTime = Type.String({ format: 'date-time' });
const OrgRef = Type.Object({ id: Uuid, name: Str });
const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));

const Referral = Type.Object({
  id: Uuid, caseId: Uuid, caseReference: Str, from: OrgRef, to: OrgRef, program: Nullable(OrgRef), reason: Str, sharedSummary: Str, urgency: Str,
  firstContactDue: Str, status: Str, statusNote: Nullable(Str), sentAt: DateTime, acceptedAt: Nullable(DateTime), firstContactAt: Nullable(DateTime),
  closedAt: Nullable(DateTime), overdue: Type.Boolean(),
  history: Type.Array(Type.Object({ status: Str, note: Nullable(Str), at: DateTime, organization: Nullable(OrgRef) })),
  legalBasis: Type.Object({
    basis: Str, label: Str, consentId: Nullable(Uuid), consentGivenOn: Nullable(Type.String({ format: 'date' })), meeting: Nullable(Type.Object({ seriesId: Uuid, name: Str, date: Str, sessionId: Nullable(Uuid) })), paragraph: Nullable(Type.Integer()), reason: Nullable(Str),
  }),
  receiverPartner: Nullable(Type.Object({ prefectureName: Str }, { description: "the receiver is a prefecture's 連携団体: the sender or the hub records its answers" })),
  version: Type.Integer(),
}, { $id: 'Referral' });

const LegalBasisInput = Type.Object({
  basis: Enum(SHARE_BASES.map((b) => b.code)),
  consentId: Type.Optional(Uuid),
  meetingSessionId: Type.Optional(Uuid),
  meetingSeriesId: Type.Optional(Uuid),
  meetingDate: Type.Optional(Type.String({ format: 'date' })),
  paragraph: Type.Optional(Type.Union([Type.Literal(2), Type.Literal(3), Type.Literal(4)])),
  reason: Type.Optional(Type.String({ maxLength: 1000 })),
}, { additionalProperties: false, description: 'what the share rests on (DOMAIN.md §3); GET /api/vocabularies lists shareBases and what each needs' });

export const referralSchemas = [Referral];
const STAFF = roles('hub_coordinator', 'org_staff');

/** Closed-loop referrals: send from a case, then the receiver moves them to their end. */
export function referralRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['referrals'];

  app.post('/api/cases/:id/referrals', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Refer the case to another organisation or program', params: IdParams,
      body: Type.Object({
        toOrganizationId: Type.Optional(Uuid), toProgramId: Type.Optional(Uuid),
        reason: Type.String({ minLength: 1, maxLength: 1000 }),
        sharedSummary: Type.String({ minLength: 1, maxLength: 4000, description: 'what is shared with the receiver' }),
        urgency: Enum(['normal', 'urgent', 'emergency']), firstContactDue: Type.String({ format: 'date' }),
        legalBasis: LegalBasisInput,
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('Referral'), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await sendReferral(deps, actorOf(req.session!, req), (req.params as { id: string }).id, req.body as SendReferralInput)));

  app.get('/api/referrals', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Incoming or outgoing referrals of your organisation, the overdue ones (the hub: all), or those of one case (caseId without box)',
      querystring: Type.Object({
        box: Type.Optional(Enum(['incoming', 'outgoing', 'overdue'])), open: Type.Optional(Type.Boolean()), caseId: Type.Optional(Uuid),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })), cursor: Type.Optional(Type.String({ maxLength: 200 })),
      }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Type.Ref('Referral')), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses(400, 401, 403) },
    },
  }, async (req) => listReferrals(deps, actorOf(req.session!, req), req.query as ReferralQuery));

  app.get('/api/referrals/:id', {
    config: { access: STAFF },
    schema: { tags, summary: 'One referral with its history', params: IdParams, response: { 200: Type.Ref('Referral'), ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getReferral(deps, actorOf(req.session!, req), (req.params as { id: string }).id));

  app.post('/api/referrals/:id/status', {
    config: { access: STAFF },
    schema: {
      tags, summary: 'Accept or decline (with reason), record first contact, continue, complete or return', params: IdParams,
      body: Type.Object({ version: Type.Integer({ minimum: 1 }), status: Enum(REFERRAL_STATUSES), note: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
      response: { 200: Type.Ref('Referral'), ...errorResponses(400, 401, 403, 404, 409) },
    },
  }, async (req) => advanceReferral(deps, actorOf(req.session!, req), (req.params as { id: string }).id, req.body as { version: number; status: ReferralStatus; note?: string }));
}
