import { Type, type Static } from 'typebox';
import { PartialDate, StringEnum } from '../../lib/schema.ts';
import {
  CADENCE_UNITS, CHANNELS, CONSULTER_RELATIONS, GAP_CHECKS, LEGAL_BASES, NETWORK_ROLES, ORGANIZATION_KINDS, PARTNER_KINDS,
  PROGRAM_KINDS, PROGRAM_STATUSES, SCHOOL_STAGES, codes,
} from './vocabulary.ts';

/**
 * The network profile: one municipality's (or prefecture's) support network as
 * data. Written in YAML, checked against this schema, then against references
 * between its parts (profile.ts). `profiles/profile.schema.json` is generated
 * from it for editors (`npx tsunagu profile schema`).
 */

const Key = Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$', maxLength: 80, description: 'stable id: lower-case letters, digits and hyphens' });
const TagCode = Type.String({ pattern: '^[a-z0-9][a-z0-9_]*$', maxLength: 60, description: 'issue tag code' });
const Text = (max = 2000) => Type.String({ minLength: 1, maxLength: max });
const Notes = Type.Array(Text(), { description: 'facts the sources do not state, or caveats, in plain words' });

const SourceRef = Type.Object(
  {
    ref: Key,
    section: Type.Optional(Text(200)),
    quote: Type.Optional(Text(1000)),
  },
  { additionalProperties: false, description: 'where a fact comes from' },
);

const Contact = Type.Object(
  {
    phone: Type.Optional(Text(40)),
    email: Type.Optional(Type.String({ format: 'email' })),
    // shown to staff as a link: a javascript: or data: URL would run script there
    url: Type.Optional(Type.String({ format: 'uri', pattern: '^https?://', description: 'a web address (http or https)' })),
    address: Type.Optional(Text(300)),
    hours: Type.Optional(Text(300)),
  },
  { additionalProperties: false },
);


const NetworkRoles = Type.Array(StringEnum(codes(NETWORK_ROLES)), {
  uniqueItems: true,
  description: 'the parts of the network it belongs to, as prefecture centres describe networks (the kind gives a default)',
});

const Cadence = Type.Object(
  {
    every: Type.Optional(Type.Integer({ minimum: 1, maximum: 60 })),
    unit: Type.Optional(StringEnum(CADENCE_UNITS)),
    timesPerYear: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    approximate: Type.Optional(Type.Boolean({ description: 'the source says "about" (程度)' })),
  },
  { additionalProperties: false, description: 'either every+unit (every 2 months) or timesPerYear' },
);

const Eligibility = Type.Object(
  {
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    schoolStages: Type.Optional(Type.Array(StringEnum(codes(SCHOOL_STAGES)), { uniqueItems: true })),
    issueTags: Type.Optional(Type.Array(TagCode, { uniqueItems: true })),
    areas: Type.Optional(Type.Array(Key, { uniqueItems: true })),
    description: Type.Optional(Text(1000)),
  },
  { additionalProperties: false },
);

const Municipality = Type.Object(
  {
    code: Type.String({ pattern: '^\\d{6}$', description: '全国地方公共団体コード (6 digits with check digit)' }),
    name: Text(100),
    nameKana: Type.Optional(Text(100)),
    nameEn: Type.Optional(Text(100)),
    prefecture: Text(20),
    population: Type.Optional(Type.Integer({ minimum: 1 })),
    populationAsOf: Type.Optional(PartialDate),
  },
  { additionalProperties: false },
);

const Source = Type.Object(
  {
    id: Key,
    title: Text(300),
    date: Type.Optional(PartialDate),
    author: Type.Optional(Text(200)),
  },
  { additionalProperties: false },
);

const Area = Type.Object(
  {
    id: Key,
    name: Text(100),
    nameEn: Type.Optional(Text(100)),
    named: Type.Optional(Type.Boolean({ description: 'false when the sources give no name and `name` is only a label' })),
    parent: Type.Optional(Key),
    addressPrefixes: Type.Optional(Type.Array(Text(100), { description: 'addresses starting with these belong to the area (町名 etc.)' })),
    notes: Type.Optional(Notes),
    source: Type.Optional(SourceRef),
  },
  { additionalProperties: false },
);

const PartnerAgreement = Type.Object(
  {
    kind: StringEnum(codes(PARTNER_KINDS), { description: '家族会 (family_group), 当事者団体 (peer_group), NPO (npo) or その他 (other)' }),
    agreedOn: Type.String({ format: 'date', description: 'the day the agreement (協定) was signed (YYYY-MM-DD)' }),
    endedOn: Type.Optional(Type.String({ format: 'date', description: 'the last day of the agreement, when it ended' })),
    municipalities: Type.Optional(Type.Array(Type.String({ pattern: '^\\d{6}$', description: '全国地方公共団体コード' }), {
      minItems: 1, uniqueItems: true, description: 'the municipalities it serves (codes); none means every municipality of the prefecture',
    })),
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    offers: Text(1000),
    public: Type.Boolean({ description: 'listed in the public directory (HSDS) and suggested by the navigator' }),
  },
  { additionalProperties: false, description: 'prefectures only: a 連携団体 the centre signed an agreement with; municipal staff can refer cases to it' },
);

const Organization = Type.Object(
  {
    id: Key,
    name: Text(200),
    nameKana: Type.Optional(Text(200)),
    nameEn: Type.Optional(Text(200)),
    kind: StringEnum(codes(ORGANIZATION_KINDS)),
    internal: Type.Boolean({ description: '庁内 (true) or 庁外 (false)' }),
    parent: Type.Optional(Key),
    hub: Type.Optional(Type.Boolean({ description: 'the hub desk that coordinates compound cases' })),
    staffCount: Type.Optional(Type.Integer({ minimum: 0 })),
    openedOn: Type.Optional(PartialDate),
    areas: Type.Optional(Type.Array(Key, { uniqueItems: true, description: 'areas it serves; none means the whole municipality' })),
    description: Type.Optional(Text()),
    focus: Type.Optional(Text()),
    networkRoles: Type.Optional(NetworkRoles),
    contact: Type.Optional(Contact),
    partnerAgreement: Type.Optional(PartnerAgreement),
    notes: Type.Optional(Notes),
    source: Type.Optional(SourceRef),
  },
  { additionalProperties: false },
);

const Program = Type.Object(
  {
    id: Key,
    name: Text(200),
    nameEn: Type.Optional(Text(200)),
    kind: StringEnum(codes(PROGRAM_KINDS)),
    owners: Type.Array(Key, { minItems: 1, uniqueItems: true, description: 'organisations that own it (several for a co-owned program)' }),
    commissionedTo: Type.Optional(Type.Array(Key, { uniqueItems: true, description: 'organisations that run it under commission (委託)' })),
    commissionEnds: Type.Optional(Type.Array(
      Type.Object({ organization: Key, on: Type.String({ format: 'date', description: 'the last day of the commission (YYYY-MM-DD)' }) }, { additionalProperties: false }),
      { description: "when a commission ends: from the next day the contractor's staff lose access and the cases it led go back to the program's owner" },
    )),
    description: Type.Optional(Text()),
    eligibility: Type.Optional(Eligibility),
    channels: Type.Optional(Type.Array(StringEnum(codes(CHANNELS)), { uniqueItems: true })),
    status: StringEnum(PROGRAM_STATUSES),
    startedOn: Type.Optional(PartialDate),
    cadence: Type.Optional(Cadence),
    wideArea: Type.Optional(Type.Boolean({ description: '広域連携: run with other municipalities' })),
    reviewedIn: Type.Optional(Key),
    public: Type.Optional(Type.Boolean({ description: 'listed in the public directory (default true)' })),
    networkRoles: Type.Optional(NetworkRoles),
    contact: Type.Optional(Contact),
    notes: Type.Optional(Notes),
    source: Type.Optional(SourceRef),
  },
  { additionalProperties: false },
);

const MeetingSeries = Type.Object(
  {
    id: Key,
    name: Text(200),
    nameEn: Type.Optional(Text(200)),
    cadence: Cadence,
    legalBasis: StringEnum(codes(LEGAL_BASES)),
    purpose: Text(),
    organizer: Type.Optional(Key),
    members: Type.Array(Key, { uniqueItems: true }),
    memberLevel: Type.Optional(Text(200)),
    networkRoles: Type.Optional(NetworkRoles),
    notes: Type.Optional(Notes),
    source: Type.Optional(SourceRef),
  },
  { additionalProperties: false },
);

const RuleCondition = Type.Object(
  {
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    schoolStages: Type.Optional(Type.Array(StringEnum(codes(SCHOOL_STAGES)), { minItems: 1, uniqueItems: true })),
    issueTagsAny: Type.Optional(Type.Array(TagCode, { minItems: 1, uniqueItems: true })),
    issueTagsAll: Type.Optional(Type.Array(TagCode, { minItems: 1, uniqueItems: true })),
    areas: Type.Optional(Type.Array(Key, { minItems: 1, uniqueItems: true })),
    channels: Type.Optional(Type.Array(StringEnum(codes(CHANNELS)), { minItems: 1, uniqueItems: true })),
    consulterRelations: Type.Optional(Type.Array(StringEnum(codes(CONSULTER_RELATIONS)), { minItems: 1, uniqueItems: true })),
    minDistinctIssues: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    // an intake records at most 50 organisations involved (intake/routes.ts)
    minOrganizationsInvolved: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
    cannotVisit: Type.Optional(Type.Boolean({ description: 'the person cannot come to a window (outreach)' })),
  },
  { additionalProperties: false },
);

export const RoutingRuleSchema = Type.Object(
  {
    id: Key,
    priority: Type.Integer({ minimum: 0, maximum: 1000, description: 'lower comes first' }),
    when: RuleCondition,
    to: Type.Object(
      {
        organization: Type.Optional(Key),
        program: Type.Optional(Key),
        via: Type.Optional(Type.Array(Key, { description: 'organisations the consultation passes through first, in order' })),
      },
      { additionalProperties: false },
    ),
    reason: Text(500),
    reasonEn: Type.Optional(Text(500)),
    publicReason: Type.Optional(Text(500)),
    source: Type.Optional(SourceRef),
  },
  { additionalProperties: false },
);


const GapRule = Type.Object(
  {
    id: Key,
    check: StringEnum(codes(GAP_CHECKS)),
    fiscalYears: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'quiet_door: complete fiscal years without a consultation' })),
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'uncovered_ages: the ages to cover, from' })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 130, description: 'uncovered_ages: to' })),
    reason: Text(500),
    reasonEn: Type.Optional(Text(500)),
    source: Type.Optional(SourceRef),
  },
  { additionalProperties: false, description: "a prefecture's check of its municipalities' networks, shown with its reason" },
);

const CentreSettings = Type.Object(
  {
    consultationDays: Type.Optional(Type.Object({
      municipalitiesPerYear: Type.Integer({ minimum: 1, maximum: 100, description: 'municipalities that hold consultation days in a year (default plan)' }),
      daysPerMunicipality: Type.Integer({ minimum: 1, maximum: 30 }),
      sessionsPerDay: Type.Integer({ minimum: 1, maximum: 20 }),
      sessionMinutes: Type.Integer({ minimum: 10, maximum: 240 }),
      staffPerDay: Type.Integer({ minimum: 1, maximum: 20 }),
    }, { additionalProperties: false, description: '巡回相談: the defaults a year\'s plan starts from' })),
    homeVisits: Type.Optional(Type.Object({
      ageMin: Type.Integer({ minimum: 0, maximum: 130 }),
      pastCompulsorySchooling: Type.Boolean({ description: 'only people who have finished compulsory schooling' }),
      residence: Type.Optional(Text(20)),
      monthsWithdrawnMin: Type.Integer({ minimum: 0, maximum: 600 }),
      visitsPerPerson: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
      alternatives: Type.Optional(Type.Array(Text(300), { description: 'what an ineligible applicant is offered instead (phone or email consultation…)' })),
    }, { additionalProperties: false, description: '訪問相談: who the centre visits at home (the prefecture is where the person must live unless residence says otherwise)' })),
    expertTeam: Type.Optional(Type.Object({
      seats: Type.Array(Type.Object({ id: Key, name: Text(100), nameEn: Type.Optional(Text(100)) }, { additionalProperties: false }), { minItems: 1 }),
      conferencesPerYear: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    }, { additionalProperties: false, description: '多職種専門チーム: its seats (one expert each) and how often it meets' })),
  },
  { additionalProperties: false, description: 'prefectures only: how the centre runs its programs' },
);

const IssueTag = Type.Object(
  {
    code: TagCode, ja: Text(100), en: Text(100),
    sensitive: Type.Optional(Type.Boolean({ description: '要配慮: only users with the grant see this tag on a record' })),
  },
  { additionalProperties: false },
);

export const ProfileSchema = Type.Object(
  {
    formatVersion: Type.Literal(1),
    kind: StringEnum(['municipality', 'prefecture'] as const),
    municipality: Municipality,
    sources: Type.Optional(Type.Array(Source)),
    notes: Type.Optional(Notes),
    issueTags: Type.Optional(Type.Array(IssueTag, { description: 'issue tags in addition to the national list' })),
    areas: Type.Optional(Type.Array(Area)),
    organizations: Type.Array(Organization, { minItems: 1 }),
    programs: Type.Optional(Type.Array(Program)),
    meetingSeries: Type.Optional(Type.Array(MeetingSeries)),
    routingRules: Type.Optional(Type.Array(RoutingRuleSchema)),
    centre: Type.Optional(CentreSettings),
    gapRules: Type.Optional(Type.Array(GapRule, { description: 'prefectures only: checks of the municipalities\' networks' })),
  },
  { additionalProperties: false, $id: 'urn:tsunagu:profile:1', title: 'Tsunagu network profile' },
);

export type Profile = Static<typeof ProfileSchema>;
export type ProfileOrganization = Static<typeof Organization>;
export type ProfileProgram = Static<typeof Program>;
export type ProfileMeetingSeries = Static<typeof MeetingSeries>;
export type ProfileArea = Static<typeof Area>;
export type ProfileRoutingRule = Static<typeof RoutingRuleSchema>;
export type Cadence = Static<typeof Cadence>;
export type ProfileGapRule = Static<typeof GapRule>;
export type ProfileCentreSettings = Static<typeof CentreSettings>;
export type ProfilePartnerAgreement = Static<typeof PartnerAgreement>;
