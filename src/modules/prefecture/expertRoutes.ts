import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses, IdParams, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import {
  createConference, expertSeats, getConference, getSubmission, listConferences, listExpertMembers, listSubmissions, recordAdvice, submitCase, type ConferenceInput, type SubmissionInput,
} from './experts.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const ConferenceSummary = { id: Uuid, heldOn: Type.String({ format: 'date' }), heldOnJa: Type.String(), title: Type.String(), submissions: Type.Integer() };
const Conference = Type.Object({
  ...ConferenceSummary,
  seats: Type.Array(Type.Object({
    id: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()),
    member: Nullable(Type.Object({ userId: Uuid, name: Type.String() })),
  })),
});
const Submission = Type.Object({
  id: Uuid,
  caseCode: Type.String({ description: 'a code in place of the person’s name' }),
  ageBand: Nullable(Type.String({ description: 'ten-year band, never the birth date' })),
  background: Type.String(),
  questions: Type.Array(Type.Object({
    seq: Type.Integer(), text: Type.String(),
    advice: Type.Array(Type.Object({ seat: Type.String(), seatName: Type.String(), member: Type.String(), text: Type.String(), recordedAt: Type.String({ format: 'date-time' }) })),
  })),
  conference: Type.Object(ConferenceSummary),
  municipality: Type.Object({ id: Uuid, code: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) }),
  submittedAt: Type.String({ format: 'date-time' }),
  case: Nullable(Type.Object({ id: Uuid, reference: Type.String() }, { description: 'only for the municipality’s own staff who see the case in full' })),
});

const ConferenceBody = Type.Object({
  heldOn: Type.String({ format: 'date' }),
  title: Text(200),
  seats: Type.Array(Type.Object({ seat: Text(40), userId: Uuid }, { additionalProperties: false }), { maxItems: 20 }),
}, { additionalProperties: false });
const SubmissionBody = Type.Object({
  conferenceId: Uuid,
  caseId: Uuid,
  background: Type.String({ maxLength: 8000 }),
  questions: Type.Array(Type.String({ maxLength: 2000 }), { minItems: 1, maxItems: 10 }),
}, { additionalProperties: false });
const AdviceBody = Type.Object({
  answers: Type.Array(Type.Object({ questionSeq: Type.Integer({ minimum: 1, maximum: 100 }), text: Type.String({ maxLength: 8000 }) }, { additionalProperties: false }), { maxItems: 10 }),
}, { additionalProperties: false });

/**
 * 多職種専門チーム: the centre's conferences, the municipalities' pseudonymised
 * submissions and the experts' advice. The centre and the experts never get
 * a person's identity; the advice returns to the case.
 */
export function expertRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['prefecture'];
  const actor = (req: FastifyRequest) => actorOf(req.session!, req);
  const CENTRE = roles('prefecture_staff');
  const TEAM = roles('prefecture_staff', 'expert_member');
  const ALL = roles('prefecture_staff', 'expert_member', 'hub_coordinator', 'org_staff');

  app.get('/api/prefecture/expert-members', {
    config: { access: CENTRE },
    schema: {
      tags, summary: 'The expert team’s members and the profile’s seats, to seat at a conference',
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({ userId: Uuid, name: Type.String() })), seats: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), nameEn: Nullable(Type.String()) })) }),
        ...errorResponses(401, 403),
      },
    },
  }, async (req) => ({ items: await listExpertMembers(deps, actor(req)), seats: await expertSeats(deps, actor(req)) }));

  app.get('/api/prefecture/expert-conferences', {
    config: { access: ALL },
    schema: {
      tags, summary: 'Conferences: the centre sees all, a member those they sit on, a municipality those still ahead',
      response: { 200: Type.Object({ items: Type.Array(Type.Object(ConferenceSummary)) }), ...errorResponses(401, 403, 404) },
    },
  }, async (req) => ({ items: await listConferences(deps, actor(req)) }));

  app.post('/api/prefecture/expert-conferences', {
    config: { access: CENTRE },
    schema: { tags, summary: 'Schedule a conference and seat its members', body: ConferenceBody, response: { 201: Conference, ...errorResponses(400, 401, 403) } },
  }, async (req, reply) => reply.status(201).send(await createConference(deps, actor(req), req.body as ConferenceInput)));

  app.get('/api/prefecture/expert-conferences/:id', {
    config: { access: TEAM },
    schema: { tags, summary: 'One conference with its seats', params: IdParams, response: { 200: Conference, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getConference(deps, actor(req), (req.params as { id: string }).id));

  app.get('/api/prefecture/expert-submissions', {
    config: { access: ALL },
    schema: {
      tags, summary: 'Submissions: a member’s conferences’, the centre’s, or (municipal staff) those of cases they see in full',
      querystring: Type.Object({ caseId: Type.Optional(Uuid), conferenceId: Type.Optional(Uuid) }, { additionalProperties: false }),
      response: { 200: Type.Object({ items: Type.Array(Submission) }), ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req) => ({ items: await listSubmissions(deps, actor(req), req.query as { caseId?: string; conferenceId?: string }) }));

  app.post('/api/prefecture/expert-submissions', {
    config: { access: roles('hub_coordinator', 'org_staff') },
    schema: {
      tags, summary: 'Submit a case to a scheduled conference; refused (400) while its text holds the case’s personal data, each place named by field and characters',
      body: SubmissionBody, response: { 201: Submission, ...errorResponses(400, 401, 403, 404) },
    },
  }, async (req, reply) => reply.status(201).send(await submitCase(deps, actor(req), req.body as SubmissionInput)));

  app.get('/api/prefecture/expert-submissions/:id', {
    config: { access: ALL },
    schema: { tags, summary: 'One submission with its questions and the advice given', params: IdParams, response: { 200: Submission, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => getSubmission(deps, actor(req), (req.params as { id: string }).id));

  app.post('/api/prefecture/expert-submissions/:id/advice', {
    config: { access: roles('expert_member') },
    schema: { tags, summary: 'Record the advice of the member’s seat on each question', params: IdParams, body: AdviceBody, response: { 200: Submission, ...errorResponses(400, 401, 403, 404) } },
  }, async (req) => recordAdvice(deps, actor(req), (req.params as { id: string }).id, (req.body as Static<typeof AdviceBody>).answers));
}
