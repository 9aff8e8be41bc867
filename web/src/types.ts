/** Shapes of the staff API (/api/...), as the web UI reads them. */

export interface FieldError {
  field: string;
  message: string;
}

export interface Ref {
  id: string;
  name: string;
}

export interface Membership {
  municipalityId: string;
  municipalityName: string;
  organizationId: string;
  organizationName: string;
  role: string;
}

export interface Session {
  user: { id: string; login: string; displayName: string };
  municipality: { id: string; code: string; name: string; nameEn: string | null };
  organization: { id: string; name: string; nameEn: string | null };
  role: string;
  memberships: Membership[];
  csrfToken: string;
}

export interface Term {
  code: string;
  ja: string;
  en: string;
}

export interface LegalBasisTerm extends Term {
  sharesWithoutConsent: boolean;
}

export interface Vocabularies {
  organizationKinds: Term[];
  programKinds: Term[];
  legalBases: LegalBasisTerm[];
  channels: Term[];
  schoolStages: Term[];
  consulterRelations: Term[];
  issueTags: Term[];
}

export type VocabularyName = keyof Vocabularies;

export interface Contact {
  phone?: string;
  email?: string;
  url?: string;
  address?: string;
  hours?: string;
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
  active: boolean;
}

export interface Cadence {
  every?: number;
  unit?: 'week' | 'month' | 'year';
  timesPerYear?: number;
  approximate?: boolean;
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
  notes: string[];
  active: boolean;
}

export interface MeetingSeries {
  id: string;
  key: string;
  name: string;
  nameEn: string | null;
  cadence: Cadence | null;
  legalBasis: string;
  purpose: string;
  organizer: Ref | null;
  members: Ref[];
  memberLevel: string | null;
  notes: string[];
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

export interface Network {
  municipality: {
    id: string;
    code: string;
    name: string;
    nameEn: string | null;
    prefecture: string;
    population: number | null;
  };
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
