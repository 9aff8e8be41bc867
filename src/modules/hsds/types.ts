import { v5 as uuidv5 } from 'uuid';

/**
 * The HSDS 3.0 objects Tsunagu publishes, with only the fields it fills.
 * Field names are the specification's (snake_case); the official JSON Schemas
 * in shared/standards/hsds-3.0 are the contract, checked by hsds.test.ts.
 */

// Fixed namespace for the HSDS ids Tsunagu derives (schedules, service areas,
// locations, taxonomy terms…). Never change it: consumers rely on ids staying
// the same across re-imports. Organisations and services reuse the profile
// ids of src/lib/ids.ts instead.
const HSDS_NAMESPACE = 'c55bf848-27d4-4d8f-9129-d7fcdbd6431e';

/**
 * A stable id from stable keys. Ids of things a municipality defines start
 * with its code (`hsdsId('132039', 'schedule', 'public-lecture', 'cadence')`);
 * the national vocabularies' taxonomies and terms do not, so they are the same
 * in every municipality.
 */
export const hsdsId = (...parts: string[]) => uuidv5(`hsds/${parts.join('/')}`, HSDS_NAMESPACE);

export interface HsdsTaxonomy {
  id: string;
  name: string;
  description: string;
  version: string;
}

export interface HsdsTaxonomyTerm {
  id: string;
  code: string;
  name: string;
  description: string;
  parent_id?: string;
  taxonomy: string;
  taxonomy_id: string;
  language: string;
  taxonomy_detail: HsdsTaxonomy;
}

export interface HsdsAttribute {
  id: string;
  link_id: string;
  link_type: string;
  link_entity: 'service' | 'organization';
  taxonomy_term_id: string;
  taxonomy_term: HsdsTaxonomyTerm;
}

export interface HsdsPhone {
  id: string;
  service_id?: string;
  organization_id?: string;
  number: string;
  type: 'voice';
  description?: string;
}

export interface HsdsContact {
  id: string;
  service_id?: string;
  organization_id?: string;
  department?: string;
  email?: string;
  phones: HsdsPhone[];
}

export interface HsdsSchedule {
  id: string;
  service_id?: string;
  location_id?: string;
  /** UTC offset in hours (Japan: 9). */
  timezone: number;
  /** Dates 'YYYY-MM-DD' the schedule holds for, and the first and last occurrence. */
  valid_from?: string;
  valid_to?: string;
  dtstart?: string;
  until?: string;
  freq?: 'WEEKLY' | 'MONTHLY';
  interval?: number;
  /** RFC 5545 BYDAY: 'TU,TH'; for MONTHLY with the week, '2SA,-1FR'. */
  byday?: string;
  /** HH:MM with the offset: '14:00+09:00'. */
  opens_at?: string;
  closes_at?: string;
  description: string;
  attending_type?: string;
  notes?: string;
}

export interface HsdsServiceArea {
  id: string;
  service_id: string;
  name: string;
  description?: string;
}

export interface HsdsAddress {
  id: string;
  location_id: string;
  address_1: string;
  city: string;
  state_province: string;
  postal_code: string;
  country: string;
  address_type: 'physical';
}

export interface HsdsLocationBrief {
  id: string;
  location_type: 'physical';
  organization_id: string;
  name: string;
  alternate_name?: string;
}

export interface HsdsLocation extends HsdsLocationBrief {
  addresses: HsdsAddress[];
  schedules: HsdsSchedule[];
}

export interface HsdsProgram {
  id: string;
  organization_id: string;
  name: string;
  alternate_name?: string;
  description: string;
}

export interface HsdsOrganizationBrief {
  id: string;
  name: string;
  alternate_name?: string;
  description: string;
  email?: string;
  website?: string;
  parent_organization_id?: string;
}

export interface HsdsOrganization extends HsdsOrganizationBrief {
  phones: HsdsPhone[];
  contacts: HsdsContact[];
  locations: HsdsLocation[];
  programs: HsdsProgram[];
  attributes: HsdsAttribute[];
  /** A prefecture's 連携団体 carries the prefecture's identifier for it: the source of what is published. */
  organization_identifiers?: { id: string; organization_id: string; identifier_scheme?: string; identifier_type: string; identifier: string }[];
  services: (HsdsServiceBrief | HsdsService)[];
}

export interface HsdsServiceBrief {
  id: string;
  organization_id?: string;
  program_id?: string;
  name: string;
  alternate_name?: string;
  description?: string;
  url?: string;
  email?: string;
  status: 'active' | 'inactive' | 'defunct' | 'temporarily closed';
  application_process?: string;
  eligibility_description?: string;
  minimum_age?: number;
  maximum_age?: number;
  alert?: string;
  last_modified: string;
  organization?: HsdsOrganizationBrief;
  program?: HsdsProgram;
}

export interface HsdsServiceAtLocationInService {
  id: string;
  service_id: string;
  location_id: string;
  location: HsdsLocation;
}

export interface HsdsService extends HsdsServiceBrief {
  phones: HsdsPhone[];
  schedules: HsdsSchedule[];
  service_areas: HsdsServiceArea[];
  service_at_locations: HsdsServiceAtLocationInService[];
  contacts: HsdsContact[];
  attributes: HsdsAttribute[];
}

export interface HsdsServiceAtLocationBrief {
  id: string;
  service_id: string;
  location_id: string;
  location: HsdsLocationBrief;
  service: HsdsServiceBrief;
}

export interface HsdsServiceAtLocation {
  id: string;
  service_id: string;
  location_id: string;
  location: HsdsLocation;
  service: Omit<HsdsService, 'service_at_locations'>;
}

/** A page of a list, as the API reference's "Lists" section and openapi.json's `Page` describe it. */
export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  size: number;
  first_page: boolean;
  last_page: boolean;
  empty: boolean;
  contents: T[];
}
