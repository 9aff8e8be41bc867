import { Type, type Static, type TSchema } from 'typebox';
import { createAjv, errorField, errorMessage } from '../../lib/ajv.ts';
import { EVENT_KINDS } from './types.ts';

/**
 * What crosses between the public side and the staff side, as schemas both
 * sides check. Inward: residents' submissions, plain text within set sizes,
 * no field beyond these. Outward: the public snapshot. The public API checks a
 * submission when it arrives; the staff side checks it again when it takes it
 * in, since it does not trust a machine on the internet side.
 */

export const ABOUT_RELATIONS = ['self', 'family', 'neighbour'] as const;
export const AGE_BANDS = ['10s', '20s', '30s', '40s', '50s', '60s', '70s', '80plus'] as const;
/** What worries the resident, as plain words on the form, mapped to issue tags by the staff side. */
export const WORRIES = ['hikikomori', 'mental_health', 'poverty', 'elderly_care', 'school_non_attendance', 'family_relations', 'health', 'other'] as const;

export interface ConcernSubmission {
  aboutRelation: (typeof ABOUT_RELATIONS)[number];
  aboutAgeBand?: (typeof AGE_BANDS)[number] | null;
  worries: (typeof WORRIES)[number][];
  concern: string;
  anonymous: boolean;
  name?: string | null;
  phone?: string | null;
  email?: string | null;
}

export interface InboxItem {
  municipalityId: string;
  id: string;
  receiptCode: string;
  receivedAt: Date;
  payload: ConcernSubmission;
}

/** The pull interface the staff side uses; over HTTP when the public side runs apart. */
export interface PublicInbox {
  fetch(limit: number): Promise<InboxItem[]>;
  /** Deletes what the staff side has safely taken in. */
  confirm(items: { municipalityId: string; id: string }[]): Promise<void>;
}

/**
 * Strips markup (anything shaped like a tag, closed or not) and control
 * characters: what crosses to the staff side is plain text. A lone `<` in
 * prose ("5 < 6") stays.
 */
export function plainText(s: string): string {
  return s
    .replace(/<(?=[A-Za-z/!?])[^>]*>?/g, '')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '')
    .trim();
}

const Enum = (values: readonly string[]) => Type.Union(values.map((v) => Type.Literal(v)));
const Uuid = Type.String({ format: 'uuid' });
const Nullable = (s: TSchema) => Type.Union([s, Type.Null()]);

export const LIMITS = { concern: 2000, name: 100, phone: 30, email: 200 } as const;
export const PHONE_PATTERN = '^[0-9０-９+()\\- ー－]*$';

/** The fields of a concern as residents send them (the public API adds the form check and the municipality). */
export const concernFields = {
  aboutRelation: Enum(ABOUT_RELATIONS),
  aboutAgeBand: Type.Optional(Nullable(Enum(AGE_BANDS))),
  worries: Type.Array(Enum(WORRIES), { maxItems: WORRIES.length, uniqueItems: true }),
  concern: Type.String({ minLength: 1, maxLength: LIMITS.concern }),
  anonymous: Type.Boolean(),
  name: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.name }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: LIMITS.phone, pattern: PHONE_PATTERN }))),
  email: Type.Optional(Type.Union([Type.String({ maxLength: LIMITS.email, format: 'email' }), Type.Null(), Type.Literal('')])),
};

/** A concern as it waits in the inbox and crosses to the staff side. */
export const ConcernPayloadSchema = Type.Object({
  ...concernFields,
  aboutAgeBand: Nullable(Enum(AGE_BANDS)),
  name: Nullable(Type.String({ minLength: 1, maxLength: LIMITS.name })),
  phone: Nullable(Type.String({ minLength: 1, maxLength: LIMITS.phone, pattern: PHONE_PATTERN })),
  email: Nullable(Type.String({ minLength: 1, maxLength: LIMITS.email, format: 'email' })),
}, { additionalProperties: false });

export const InboxItemSchema = Type.Object({
  municipalityId: Uuid,
  id: Uuid,
  receiptCode: Type.String({ pattern: '^[0-9A-Z]{4}-[0-9A-Z]{4}$' }),
  receivedAt: Type.String({ format: 'date-time', maxLength: 40 }),
  payload: ConcernPayloadSchema,
}, { additionalProperties: false });
export type WireInboxItem = Static<typeof InboxItemSchema>;

export const InboxRef = Type.Object({ municipalityId: Uuid, id: Uuid }, { additionalProperties: false });

const ajv = createAjv({ coerceTypes: false, removeAdditional: false, useDefaults: false });
const validInboxItem = ajv.compile(InboxItemSchema);

export interface Refusal {
  municipalityId: string | null;
  id: string | null;
  problems: string[];
}

/**
 * Checks one submission as the staff side receives it: the schema (types,
 * sizes, no unknown field), then markup stripped from every text. Answers the
 * item to take in, or why it is refused.
 */
export function checkInboxItem(raw: unknown): { item: InboxItem } | { refused: Refusal } {
  const wire = raw && typeof raw === 'object' && (raw as { receivedAt?: unknown }).receivedAt instanceof Date
    ? { ...(raw as object), receivedAt: ((raw as { receivedAt: Date }).receivedAt).toISOString() }
    : raw;
  const ref = (wire ?? {}) as { municipalityId?: unknown; id?: unknown };
  const refusal = (problems: string[]): { refused: Refusal } => ({
    refused: {
      municipalityId: typeof ref.municipalityId === 'string' ? ref.municipalityId : null,
      id: typeof ref.id === 'string' ? ref.id : null,
      problems,
    },
  });
  if (!validInboxItem(wire)) return refusal((validInboxItem.errors ?? []).map((e) => `${errorField(e) || '(item)'}: ${errorMessage(e, 'en')}`));
  const w = wire as WireInboxItem;
  const text = (s: string | null) => (s === null ? null : plainText(s) || null);
  const payload: ConcernSubmission = {
    aboutRelation: w.payload.aboutRelation as ConcernSubmission['aboutRelation'],
    aboutAgeBand: w.payload.aboutAgeBand as ConcernSubmission['aboutAgeBand'],
    worries: w.payload.worries as ConcernSubmission['worries'],
    concern: plainText(w.payload.concern),
    anonymous: w.payload.anonymous,
    name: text(w.payload.name as string | null),
    phone: text(w.payload.phone as string | null),
    email: text(w.payload.email as string | null),
  };
  if (!payload.concern) return refusal(['payload.concern: is empty once markup is removed']);
  if (payload.anonymous && (payload.name || payload.phone || payload.email)) return refusal(['payload: an anonymous report carries contact details']);
  return { item: { municipalityId: w.municipalityId, id: w.id, receiptCode: w.receiptCode, receivedAt: new Date(w.receivedAt), payload } };
}

/** The inbox as it comes from its store or over the wire, before the staff side trusts it. */
export interface RawInbox {
  fetch(limit: number): Promise<unknown[]>;
  confirm(items: { municipalityId: string; id: string }[]): Promise<void>;
}

/**
 * The pull interface with the staff side's check in front: what fails it is
 * refused, reported, and confirmed so that it leaves the public side (it
 * would fail again on every pull).
 */
export function checkedInbox(raw: RawInbox, onRefused: (r: Refusal) => void = () => {}): PublicInbox {
  return {
    async fetch(limit) {
      const items: InboxItem[] = [];
      const refused: { municipalityId: string; id: string }[] = [];
      for (const r of await raw.fetch(limit)) {
        const checked = checkInboxItem(r);
        if ('item' in checked) {
          items.push(checked.item);
          continue;
        }
        onRefused(checked.refused);
        const { municipalityId, id } = checked.refused;
        if (municipalityId && id && /^[0-9a-f-]{36}$/i.test(municipalityId) && /^[0-9a-f-]{36}$/i.test(id)) refused.push({ municipalityId, id });
      }
      if (refused.length) await raw.confirm(refused);
      return items;
    },
    confirm: (items) => raw.confirm(items.map(({ municipalityId, id }) => ({ municipalityId, id }))),
  };
}

// ---- outward: the public snapshot

export const PublicMunicipalitySchema = Type.Object({
  id: Uuid,
  code: Type.String({ pattern: '^[0-9]{6}$' }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
  nameEn: Nullable(Type.String({ maxLength: 100 })),
}, { additionalProperties: false });
export type PublicMunicipality = Static<typeof PublicMunicipalitySchema>;

const Codes = Type.Array(Type.String({ maxLength: 100 }), { maxItems: 200 });
/** A routing rule's public part: when it applies, where it leads, and the reason residents may read. Never the staff-facing reason or the path inside city hall. */
export const PublicRuleSchema = Type.Object({
  id: Type.String({ maxLength: 100 }),
  priority: Type.Integer({ minimum: 0, maximum: 1000 }),
  when: Type.Object({
    ageMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    ageMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 130 })),
    schoolStages: Type.Optional(Codes),
    issueTagsAny: Type.Optional(Codes),
    issueTagsAll: Type.Optional(Codes),
    areas: Type.Optional(Codes),
    channels: Type.Optional(Codes),
    consulterRelations: Type.Optional(Codes),
    minDistinctIssues: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    minOrganizationsInvolved: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    cannotVisit: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false }),
  to: Type.Object({ organizationId: Type.Optional(Uuid), serviceId: Type.Optional(Uuid) }, { additionalProperties: false }),
  publicReason: Type.String({ minLength: 1, maxLength: 500 }),
}, { additionalProperties: false });
export type PublicRule = Static<typeof PublicRuleSchema>;

/** An area of the municipality (圏域) as residents may choose it: some rules depend on where the person lives. */
export const PublicAreaSchema = Type.Object({
  key: Type.String({ minLength: 1, maxLength: 100 }),
  name: Type.String({ minLength: 1, maxLength: 100 }),
}, { additionalProperties: false });
export type PublicArea = Static<typeof PublicAreaSchema>;

export { EVENT_KINDS };

/** An event as residents see it: no staff-facing detail, never anyone's registration. */
const NullableOf = <T extends TSchema>(s: T) => Type.Union([s, Type.Null()]);
export const PublicEventSchema = Type.Object({
  id: Uuid,
  kind: Type.Union([Type.Literal('public_lecture'), Type.Literal('commissioner_training'), Type.Literal('supporters_exchange'), Type.Literal('peer_group')]),
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: NullableOf(Type.String({ maxLength: 4000 })),
  startsAt: Type.String({ format: 'date-time', maxLength: 40 }),
  endsAt: Type.String({ format: 'date-time', maxLength: 40 }),
  place: NullableOf(Type.String({ maxLength: 300 })),
  online: Type.Boolean(),
  capacity: NullableOf(Type.Integer({ minimum: 1, maximum: 100000 })),
  organizers: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 50 }),
  coMunicipalities: Type.Array(Type.String({ maxLength: 100 }), { maxItems: 50 }),
  registrationOpen: Type.Boolean(),
  /** Days after the event its registrations are deleted on the public side. */
  keepDays: Type.Integer({ minimum: 1, maximum: 365 }),
}, { additionalProperties: false });
export type PublicEvent = Static<typeof PublicEventSchema>;

/**
 * A prefecture's 連携団体 (partner group) serving the municipality, as
 * residents may read it: plain text within set sizes, with the prefecture
 * named as its source. Only public groups cross.
 */
export const PARTNER_KINDS_PUBLIC = ['family_group', 'peer_group', 'npo', 'other'] as const;
export const PublicPartnerGroupSchema = Type.Object({
  id: Uuid,
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: Type.Union(PARTNER_KINDS_PUBLIC.map((k) => Type.Literal(k))),
  prefecture: Type.String({ minLength: 1, maxLength: 100 }),
  offers: Type.String({ minLength: 1, maxLength: 1000 }),
  description: NullableOf(Type.String({ maxLength: 2000 })),
  ageMin: NullableOf(Type.Integer({ minimum: 0, maximum: 130 })),
  ageMax: NullableOf(Type.Integer({ minimum: 0, maximum: 130 })),
  phone: NullableOf(Type.String({ maxLength: 40 })),
  email: NullableOf(Type.String({ maxLength: 200 })),
  website: NullableOf(Type.String({ maxLength: 500, pattern: '^https?://' })),
  hours: NullableOf(Type.String({ maxLength: 300 })),
}, { additionalProperties: false });
export type PublicPartnerGroup = Static<typeof PublicPartnerGroupSchema>;

// HSDS 3.0 objects as the HSDS module builds them (their own schemas are the official ones): objects with an id
const HsdsObject = Type.Object({ id: Uuid }, { additionalProperties: true });
const HsdsList = (max: number) => Type.Array(HsdsObject, { maxItems: max });

export const MunicipalitySnapshotSchema = Type.Object({
  municipality: PublicMunicipalitySchema,
  /** The public directory in HSDS 3.0 shapes: services fully nested, organisations, taxonomies and their terms. */
  directory: Type.Object({
    organizations: HsdsList(5000),
    services: HsdsList(5000),
    taxonomies: HsdsList(100),
    taxonomyTerms: HsdsList(5000),
  }, { additionalProperties: false }),
  rules: Type.Array(PublicRuleSchema, { maxItems: 2000 }),
  // optional so that a public side keeps taking a snapshot from a staff side of the version before areas were published
  areas: Type.Optional(Type.Array(PublicAreaSchema, { maxItems: 500 })),
  /** Published events residents may register for (programs module). */
  events: Type.Array(PublicEventSchema, { maxItems: 2000 }),
  // optional so that a public side keeps taking a snapshot from a staff side of the version before partner groups were published
  partnerGroups: Type.Optional(Type.Array(PublicPartnerGroupSchema, { maxItems: 500 })),
}, { additionalProperties: false });
export type MunicipalitySnapshot = Static<typeof MunicipalitySnapshotSchema>;

export const SnapshotPushSchema = Type.Object({
  hash: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  snapshot: MunicipalitySnapshotSchema,
}, { additionalProperties: false });

/** What the public pages are served from: the stored snapshot on the public side, the live network in one process. */
export interface PublicSnapshotSource {
  municipalities(): Promise<PublicMunicipality[]>;
  snapshot(municipalityId: string): Promise<(MunicipalitySnapshot & { updatedAt: Date | null }) | null>;
}
