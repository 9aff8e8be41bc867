/**
 * The network's API shapes (service.ts, map.ts, routes.ts), declared once for
 * the server and the web app (web/src/types.ts and web/src/network/mapApi.ts
 * read them through Wire). Types and plain data only: the web bundle imports
 * this file as it is.
 */
import type { CADENCE_UNITS, Term } from './vocabulary.ts';

export interface Ref {
  id: string;
  name: string;
}

export interface Municipality {
  id: string;
  code: string;
  kind: 'municipality' | 'prefecture';
  name: string;
  nameEn: string | null;
  prefecture: string;
  population: number | null;
}

/** As the profile's schema allows it (profile.schema.ts). */
export interface Contact {
  phone?: string;
  email?: string;
  url?: string;
  address?: string;
  hours?: string;
}

/** Either every+unit (every 2 months) or timesPerYear, as the profile's schema allows it. */
export interface Cadence {
  every?: number;
  unit?: (typeof CADENCE_UNITS)[number];
  timesPerYear?: number;
  approximate?: boolean;
}

export interface Organization {
  id: string;
  key: string;
  name: string;
  nameKana: string | null;
  nameEn: string | null;
  kind: string;
  internal: boolean;
  parentId: string | null;
  hub: boolean;
  staffCount: number | null;
  openedOn: string | null;
  description: string | null;
  focus: string | null;
  contact: Contact | null;
  notes: string[];
  areaIds: string[];
  /** Parts of the network it belongs to besides what its kind says (NETWORK_ROLES). */
  networkRoles: string[];
  /** A prefecture's 連携団体 mirrored into this municipality (null for the municipality's own organisations). */
  partner: PartnerOf | null;
  active: boolean;
  updatedAt: Date;
}

/** Where a mirrored partner group comes from, and its agreement as the prefecture's profile states it. */
export interface PartnerOf {
  prefectureCode: string;
  prefectureName: string;
  sourceOrganizationId: string;
  kind: string;
  agreedOn: string;
  ageMin: number | null;
  ageMax: number | null;
  offers: string;
  public: boolean;
}

export type ProgramStatus = 'active' | 'planned' | 'ended';

export interface Eligibility {
  ageMin: number | null;
  ageMax: number | null;
  schoolStages: string[];
  issueTags: string[];
  areaIds: string[];
  description: string | null;
}

export interface Program {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  kind: string;
  status: ProgramStatus;
  description: string | null;
  startedOn: string | null;
  eligibility: Eligibility;
  channels: string[];
  cadence: Cadence | null;
  wideArea: boolean;
  owners: Ref[];
  contractors: Ref[];
  reviewedIn: Ref | null;
  /** Listed in the public directory (navigator, HSDS). */
  public: boolean;
  contact: Contact | null;
  notes: string[];
  networkRoles: string[];
  active: boolean;
  updatedAt: Date;
}

export interface MeetingSeries {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  cadence: Cadence;
  legalBasis: string;
  purpose: string;
  organizer: Ref | null;
  members: Ref[];
  memberLevel: string | null;
  notes: string[];
  networkRoles: string[];
  active: boolean;
}

export interface Area {
  id: string;
  key: string;
  name: string;
  named: boolean;
  parentId: string | null;
  notes: string[];
}

export interface NetworkOverview {
  municipality: Municipality;
  organizations: Organization[];
  programs: Program[];
  meetingSeries: MeetingSeries[];
  areas: Area[];
}

export interface OrganizationDetail {
  organization: Organization;
  parent: Ref | null;
  children: Ref[];
  programsOwned: Program[];
  programsRun: Program[];
  meetingSeries: Ref[];
}

export type { Term };

export interface LegalBasisTerm extends Term {
  sharesWithoutConsent: boolean;
}

/** A legal basis a referral may rest on, and what it must point to (vocabulary.ts SHARE_BASES). */
export interface ShareBasisTerm extends Term {
  /** The person's active consent naming the receiving organisation. */
  consent: boolean;
  /** A meeting series held on this basis, and the meeting's date. */
  meeting: boolean;
  /** The item of 個人情報保護法第69条第2項 (2, 3 or 4) and a written reason. */
  reason: boolean;
}

export interface Vocabularies {
  organizationKinds: Term[];
  programKinds: Term[];
  legalBases: LegalBasisTerm[];
  shareBases: ShareBasisTerm[];
  channels: Term[];
  schoolStages: Term[];
  consulterRelations: Term[];
  issueTags: Term[];
  roles: Term[];
}

// The network map (map.ts)

/** The map's groups, in the order the legend lists them. */
export const MAP_GROUPS = ['city_hall', 'commissioned', 'health', 'school', 'community', 'wide_area', 'other'] as const;
export type MapGroup = (typeof MAP_GROUPS)[number];

export const EDGE_KINDS = ['commission', 'co_ownership', 'meeting', 'route', 'referral'] as const;
export type EdgeKind = (typeof EDGE_KINDS)[number];

export interface MapNode {
  id: string;
  name: string;
  nameEn: string | null;
  kind: string;
  group: MapGroup;
  internal: boolean;
  hub: boolean;
}

export interface MapEdge {
  id: string;
  kind: EdgeKind;
  source: string;
  target: string;
  /** Commissioning, routes and referrals have a direction; co-ownership and meetings do not. */
  directed: boolean;
  /** What the edge stands for: program names, meeting names, the rules' reasons. */
  labels: string[];
  /** Referrals sent from source to target (referral edges); 0 otherwise. */
  referrals: number;
}

export interface NetworkMap {
  nodes: MapNode[];
  edges: MapEdge[];
}

/** GET /api/network/map: the map, and its groups in the legend's order. */
export interface NetworkMapAnswer extends NetworkMap {
  groups: MapGroup[];
}
