/**
 * Public shapes declared once for the server and the web app: the resident
 * pages' windows (windows.ts, web/src/public/navigatorApi.ts) and the event
 * kinds (crossing.ts, programs/events.ts). Types and plain data only: the web
 * bundle imports this file as it is.
 */

export const EVENT_KINDS = ['public_lecture', 'commissioner_training', 'supporters_exchange', 'peer_group'] as const;

export interface WindowRef {
  id: string;
  name: string;
  nameEn: string | null;
}

export interface WindowContact {
  phones: { number: string; note: string | null }[];
  email: string | null;
  website: string | null;
  /** One line, with the postal code when known. */
  address: string | null;
  /** Reception hours and schedules, as the profile words them. */
  hours: string[];
}

/** A window (窓口) as residents read it: a service (事業) or an organisation, with what it does and how to reach it. */
export interface PublicWindow {
  kind: 'service' | 'organization';
  id: string;
  name: string;
  nameEn: string | null;
  description: string | null;
  /** Who runs a service (its contractor under commission, else its owner); null for an organisation. */
  organization: WindowRef | null;
  /** Who it is for, as the profile says (ages, school stage, a sentence). */
  eligibility: string | null;
  /** How it can be reached: codes of the channel vocabulary (visit, phone, home_visit, email, online_form). */
  channels: string[];
  /** A notice such as "starts later" for a planned program; null when it runs. */
  notice: string | null;
  contact: WindowContact;
  /** What an organisation runs (empty for a service). */
  services: WindowRef[];
}
