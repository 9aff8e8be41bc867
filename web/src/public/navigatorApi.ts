import { queryString, request } from '../api.ts';
import type * as Server from '../../../src/modules/public/types.ts';

/**
 * The resident pages' calls for the navigator and the list of windows
 * (src/modules/public/routes.ts). No session: a 401 is never expected and
 * must not end anyone's session.
 */

export interface PublicMunicipality {
  code: string;
  name: string;
  nameEn: string | null;
}

export type WindowRef = Server.WindowRef;
export type PublicWindow = Server.PublicWindow;

// The values the server takes (src/modules/public/navigator.ts).
export const ABOUT = ['self', 'child', 'parent', 'other_family', 'neighbour', 'welfare_commissioner'] as const;
export type About = (typeof ABOUT)[number];
export const WORRIES = [
  'staying_home', 'mental_health', 'health', 'school', 'work', 'money', 'debt', 'food', 'housing', 'caring', 'family', 'child_rearing',
] as const;
export type Worry = (typeof WORRIES)[number];
export const AGE_BANDS = ['10s', '20s', '30s', '40s', '50s', '60s', '70s', '80plus'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const SCHOOL_STAGES = ['elementary', 'junior_high', 'high_school', 'not_in_school'] as const;
export type SchoolStage = (typeof SCHOOL_STAGES)[number];
export type Question = 'age' | 'schoolStage' | 'area' | 'canGoOut';

export interface NavigatorAnswers {
  municipality?: string;
  about: About;
  age?: number | null;
  ageBand?: AgeBand | null;
  schoolStage?: SchoolStage | null;
  worries: Worry[];
  canGoOut?: 'yes' | 'no' | null;
  area?: string | null;
}

export interface NavigatorWindow extends PublicWindow {
  reasons: { ruleId: string; text: string; because: { ja: string; en: string }[] }[];
  /** The next events and drop-in opening days of the window's organisation (when in 和暦). */
  upcoming: { date: string; when: string; service: { id: string; name: string }; title: string | null }[];
}

export interface NavigatorAnswer {
  municipality: PublicMunicipality;
  windows: NavigatorWindow[];
  couldAsk: Question[];
  /** The prefecture's partner groups (連携団体) serving the municipality whose ages fit. */
  partnerGroups?: PublicPartnerGroup[];
}

export type PartnerKind = 'family_group' | 'peer_group' | 'npo' | 'other';

/** A prefecture's 連携団体 as residents read it, with the prefecture as its source. */
export interface PublicPartnerGroup {
  id: string;
  name: string;
  kind: PartnerKind;
  prefecture: string;
  offers: string;
  description: string | null;
  ageMin: number | null;
  ageMax: number | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  hours: string | null;
}

export const AUDIENCES = ['children', 'adults', 'older_family', 'everyone', 'professionals'] as const;
export type Audience = (typeof AUDIENCES)[number];

export interface LeafletWindow extends PublicWindow {
  audience: Audience;
  whenToContact: string[];
}

export interface WindowList {
  municipality: PublicMunicipality;
  updatedAt: string | null;
  groups: { audience: Audience; windows: LeafletWindow[] }[];
}

const withMunicipality = (path: string, municipality: string | null) => (municipality ? `${path}?${queryString({ municipality })}` : path);

export const navigatorApi = {
  listMunicipalities: (signal?: AbortSignal) =>
    request<{ items: PublicMunicipality[] }>('GET', '/api/public/municipalities', { signal, unauthorizedIsAnswer: true }),
  getQuestions: (municipality: string | null, signal?: AbortSignal) =>
    request<{ municipality: PublicMunicipality; areas: { key: string; name: string }[] }>(
      'GET', withMunicipality('/api/public/navigator/questions', municipality), { signal, unauthorizedIsAnswer: true }),
  /** POST, so that the answers never appear in a URL, a history or a proxy's log. */
  navigate: (body: NavigatorAnswers, signal?: AbortSignal) =>
    request<NavigatorAnswer>('POST', '/api/public/navigator', { body, signal, unauthorizedIsAnswer: true }),
  getWindows: (municipality: string | null, signal?: AbortSignal) =>
    request<WindowList>('GET', withMunicipality('/api/public/windows', municipality), { signal, unauthorizedIsAnswer: true }),
};
