import type { FastifyInstance } from 'fastify';
import { Type, type TProperties } from 'typebox';
import { PUBLIC } from '../../http/access.ts';
import { errorResponses, Uuid } from '../../http/schemas.ts';
import type { Deps } from '../../lib/context.ts';
import { StringEnum } from '../../lib/schema.ts';
import {
  getOrganization, getService, getServiceAtLocation, getTaxonomy, getTaxonomyTerm, HSDS_ABOUT, listOrganizations,
  listServiceAtLocations, listServices, listTaxonomies, listTaxonomyTerms, PER_PAGE_MAX,
  type ByIdQuery, type ListQuery, type OrganizationQuery, type ServiceQuery, type TaxonomyTermQuery,
} from './service.ts';

/**
 * The HSDS 3.0 read-only API (Open Referral's API reference) over the public
 * directory. No sign-in; only the network's public information.
 *
 * The 200 schemas only say "an object" on purpose: the official HSDS JSON
 * Schemas are the contract (hsds.test.ts validates every response against
 * them), and a Fastify response schema listing fields would silently drop any
 * field it did not list.
 */
const hsdsBody = (what: string) =>
  Type.Object({}, { additionalProperties: true, description: `${what}, as the HSDS 3.0 API reference defines it (https://github.com/openreferral/specification/tree/3.0)` });

const Municipality = Type.String({ pattern: '^[0-9]{6}$', description: '全国地方公共団体コード; required when the site serves several municipalities' });
const common: TProperties = {
  municipality: Type.Optional(Municipality),
  search: Type.Optional(Type.String({ maxLength: 200, description: 'words that must all appear in the name or description (any width, case or kana)' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000, default: 1 })),
  per_page: Type.Optional(Type.Integer({ minimum: 1, maximum: PER_PAGE_MAX, description: `at most ${PER_PAGE_MAX}; 50 when not given` })),
  format: Type.Optional(StringEnum(['json'] as const, { description: 'only json is served' })),
};
const serviceFilters: TProperties = {
  taxonomy_term_id: Type.Optional(Uuid),
  taxonomy_id: Type.Optional(Uuid),
  organization_id: Type.Optional(Type.String({ format: 'uuid', description: 'services this organisation owns or runs under commission' })),
  modified_after: Type.Optional(Type.String({ format: 'date-time', description: 'on or after this moment (ISO 8601 with a time zone)' })),
};
const query = (props: TProperties) => Type.Object(props, { additionalProperties: false });
const ByIdQuerystring = query({ municipality: Type.Optional(Municipality) });
const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });

export function hsdsRoutes(app: FastifyInstance, { db }: Deps) {
  const tags = ['hsds'];
  // generous for a directory crawler, still a bound on what one address can make the database do
  const config = { access: PUBLIC, rateLimit: { max: 600, timeWindow: 60_000 } };
  const errors = errorResponses(400, 404, 429);
  const page = { 200: hsdsBody('A page of results'), ...errors };
  const one = { 200: hsdsBody('One object, with what it contains'), ...errors };
  const id = (req: { params: unknown }) => (req.params as { id: string }).id;

  for (const url of ['/hsds', '/hsds/']) {
    app.get(url, {
      config, schema: { tags, summary: 'HSDS: this API and its relationship with HSDS', hide: url.endsWith('/'), querystring: ByIdQuerystring, response: { 200: hsdsBody('This API and its relationship with HSDS'), ...errorResponses(400, 429) } },
    }, async () => HSDS_ABOUT);
  }

  app.get('/hsds/services', {
    config, schema: { tags, summary: 'HSDS: a page of services (one-to-one fields)', querystring: query({ ...common, ...serviceFilters }), response: page },
  }, async (req) => listServices(db, req.query as ServiceQuery));

  app.get('/hsds/services/:id', {
    config, schema: { tags, summary: 'HSDS: one service, fully nested', params: IdParams, querystring: ByIdQuerystring, response: one },
  }, async (req) => getService(db, id(req), req.query as ByIdQuery));

  app.get('/hsds/organizations', {
    config, schema: {
      tags, summary: 'HSDS: a page of organisations', response: page,
      querystring: query({ ...common, modified_after: serviceFilters.modified_after }),
    },
  }, async (req) => listOrganizations(db, req.query as OrganizationQuery));

  app.get('/hsds/organizations/:id', {
    config, schema: {
      tags, summary: 'HSDS: one organisation with its services', params: IdParams, response: one,
      querystring: query({ municipality: Type.Optional(Municipality), full_service: Type.Optional(Type.Boolean({ description: 'services fully nested' })) }),
    },
  }, async (req) => getOrganization(db, id(req), req.query as ByIdQuery & { full_service?: boolean }));

  app.get('/hsds/service_at_locations', {
    config, schema: { tags, summary: 'HSDS: a page of services at locations', querystring: query({ ...common, ...serviceFilters }), response: page },
  }, async (req) => listServiceAtLocations(db, req.query as ServiceQuery));

  app.get('/hsds/service_at_locations/:id', {
    config, schema: { tags, summary: 'HSDS: one service at a location, fully nested', params: IdParams, querystring: ByIdQuerystring, response: one },
  }, async (req) => getServiceAtLocation(db, id(req), req.query as ByIdQuery));

  app.get('/hsds/taxonomies', {
    config, schema: { tags, summary: 'HSDS: a page of taxonomies', querystring: query(common), response: page },
  }, async (req) => listTaxonomies(db, req.query as ListQuery));

  app.get('/hsds/taxonomies/:id', {
    config, schema: { tags, summary: 'HSDS: one taxonomy', params: IdParams, querystring: ByIdQuerystring, response: one },
  }, async (req) => getTaxonomy(db, id(req), req.query as ByIdQuery));

  app.get('/hsds/taxonomy_terms', {
    config, schema: {
      tags, summary: 'HSDS: a page of taxonomy terms', response: page,
      querystring: query({
        ...common,
        taxonomy_id: Type.Optional(Uuid),
        parent_id: Type.Optional(Uuid),
        top_only: Type.Optional(Type.Boolean({ description: 'only terms without a parent' })),
      }),
    },
  }, async (req) => listTaxonomyTerms(db, req.query as TaxonomyTermQuery));

  app.get('/hsds/taxonomy_terms/:id', {
    config, schema: { tags, summary: 'HSDS: one taxonomy term', params: IdParams, querystring: ByIdQuerystring, response: one },
  }, async (req) => getTaxonomyTerm(db, id(req), req.query as ByIdQuery));
}
