import type { FastifyInstance } from 'fastify';
import { Type, type TSchema } from 'typebox';
import { roles } from '../../http/access.ts';
import { errorResponses } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { actorOf } from '../auth/service.ts';
import { RoutingRuleSchema, type ProfileRoutingRule } from '../network/profile.schema.ts';
import { getRuleSet, listAreas, listRuleSetVersions, saveRuleSet } from '../network/service.ts';
import { evaluateRouting } from './evaluate.ts';
import type { RoutingIntake } from './types.ts';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Str = Type.String();
const Explanation = Type.Object({ condition: Str, ja: Str, en: Str });
const RuleTo = Type.Object({ organization: Type.Optional(Str), program: Type.Optional(Str), via: Type.Optional(Type.Array(Str)) });

const RuleSetBody = Type.Object({
  version: Type.Integer(), source: Str, note: Nullable(Str), createdAt: Type.String({ format: 'date-time' }),
  rules: Type.Array(RoutingRuleSchema),
});

const IntakeBody = Type.Object({
  age: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 130 }))),
  ageBand: Type.Optional(Nullable(Type.Object({ min: Type.Integer({ minimum: 0, maximum: 130 }), max: Type.Integer({ minimum: 0, maximum: 130 }) }, { additionalProperties: false }))),
  schoolStage: Type.Optional(Nullable(Str)),
  issueTags: Type.Array(Type.String({ maxLength: 60 }), { maxItems: 30 }),
  area: Type.Optional(Nullable(Type.String({ maxLength: 80, description: 'area key from the profile' }))),
  channel: Type.Optional(Nullable(Str)),
  consulterRelation: Type.Optional(Nullable(Str)),
  organizationsInvolved: Type.Optional(Nullable(Type.Integer({ minimum: 0, maximum: 50 }))),
  cannotVisit: Type.Optional(Nullable(Type.Boolean())),
}, { additionalProperties: false });

const ResultBody = Type.Object({
  version: Nullable(Type.Integer()),
  suggestions: Type.Array(Type.Object({
    ruleKey: Str, priority: Type.Integer(), to: RuleTo, reason: Str, reasonEn: Nullable(Str), publicReason: Nullable(Str), matched: Type.Array(Explanation),
  })),
  undecided: Type.Array(Type.Object({ ruleKey: Str, priority: Type.Integer(), to: RuleTo, reason: Str, needs: Type.Array(Explanation), matched: Type.Array(Explanation) })),
  nearMisses: Type.Array(Type.Object({ ruleKey: Str, priority: Type.Integer(), to: RuleTo, reason: Str, matched: Type.Array(Explanation), failed: Explanation })),
});

/** The routing rules in force, their history, the editor's save, and evaluation of a sample intake. */
export function routingRoutes(app: FastifyInstance, deps: Deps) {
  const tags = ['routing'];
  const { db } = deps;

  app.get('/api/routing/rules', {
    config: { access: roles('hub_coordinator', 'org_staff', 'system_admin') },
    schema: {
      tags, summary: 'The routing rules in force, or at a past version',
      querystring: Type.Object({ version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })) }, { additionalProperties: false }),
      response: { 200: RuleSetBody, ...errorResponses(400, 401, 403) },
    },
  }, async (req) => getRuleSet(db, req.session!.municipalityId, (req.query as { version?: number }).version));

  app.get('/api/routing/rules/versions', {
    config: { access: roles('hub_coordinator', 'system_admin') },
    schema: {
      tags, summary: 'Every version of the rules, newest first',
      response: {
        200: Type.Object({ items: Type.Array(Type.Object({ version: Type.Integer(), source: Str, note: Nullable(Str), createdAt: Type.String({ format: 'date-time' }), createdBy: Nullable(Str), createdByName: Nullable(Str), ruleCount: Type.Integer() })) }),
        ...errorResponses(401, 403),
      },
    },
  }, async (req) => ({ items: await listRuleSetVersions(db, req.session!.municipalityId) }));

  app.put('/api/routing/rules', {
    config: { access: roles('hub_coordinator') },
    schema: {
      tags, summary: 'Save edited rules as a new version (send the version you started from; a stale one answers 409)',
      body: Type.Object({
        expectedVersion: Type.Integer({ minimum: 0 }),
        note: Type.String({ minLength: 1, maxLength: 500, description: 'why the rules change' }),
        rules: Type.Array(RoutingRuleSchema, { maxItems: 500 }),
      }, { additionalProperties: false }),
      response: { 200: RuleSetBody, ...errorResponses(400, 401, 403, 409) },
    },
  }, async (req) => {
    const body = req.body as { expectedVersion: number; note: string; rules: ProfileRoutingRule[] };
    return saveRuleSet(deps, actorOf(req.session!, req), body);
  });

  app.post('/api/routing/evaluate', {
    config: { access: roles('hub_coordinator', 'org_staff') },
    schema: {
      tags, summary: 'Where an intake would go under the rules in force, or under draft rules being edited',
      body: Type.Object({ intake: IntakeBody, rules: Type.Optional(Type.Array(RoutingRuleSchema, { maxItems: 500 })) }, { additionalProperties: false }),
      response: { 200: ResultBody, ...errorResponses(400, 401, 403) },
    },
  }, async (req) => {
    const { intake, rules } = req.body as { intake: Omit<RoutingIntake, 'ageBand'> & { ageBand?: { min: number; max: number } | null }; rules?: ProfileRoutingRule[] };
    const mid = req.session!.municipalityId;
    const set = rules ? null : await getRuleSet(db, mid);
    const areas = await listAreas(db, mid);
    const result = evaluateRouting(
      { ...intake, ageBand: intake.ageBand ? [intake.ageBand.min, intake.ageBand.max] : null },
      rules ?? set!.rules,
      { areas: areas.map((a) => ({ code: a.key, ja: a.name, en: a.name })) },
    );
    return { version: set?.version ?? null, ...result };
  });
}
