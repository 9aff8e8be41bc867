/**
 * Events' and drop-in places' API shapes (events.ts), declared once for the
 * server and the web app (web/src/programs/events/eventsApi.ts). Types and
 * plain data only: the web bundle imports this file as it is.
 */
import type { EVENT_KINDS } from '../public/types.ts';
import type { Count } from '../stats/count.ts';

export type EventKind = (typeof EVENT_KINDS)[number];


export interface CoMunicipality {
  municipalityId: string | null;
  name: string;
}

export interface EventInput {
  programId?: string | null;
  kind: EventKind;
  title: string;
  description?: string | null;
  startsAt: string;
  endsAt: string;
  place?: string | null;
  online: boolean;
  capacity?: number | null;
  organizerOrgIds: string[];
  coMunicipalities?: CoMunicipality[];
  published: boolean;
  registrationOpen?: boolean;
}

export interface EventRecord extends Required<Omit<EventInput, 'coMunicipalities'>> {
  id: string;
  municipalityId: string;
  coMunicipalities: CoMunicipality[];
  registered: number;
  waiting: number;
  registeredByMunicipality: Record<string, number>;
  countsPulledAt: string | null;
  version: number;
}

/** A co-organiser's view: the event, its counts per municipality, nothing else. */
export interface CoOrganisedEvent {
  id: string;
  organizer: string;
  title: string;
  kind: EventKind;
  startsAt: string;
  endsAt: string;
  registeredByMunicipality: { municipality: string; registered: Count }[];
}

export interface AttendanceRow {
  fromMunicipality: string;
  came: number;
  firstTimers: number;
}

export interface AttendanceFigures {
  sessions: { sessionOn: string; came: Count; firstTimers: Count; byMunicipality: { municipality: string; came: Count; firstTimers: Count }[] }[];
  byMunicipality: { municipality: string; came: Count; firstTimers: Count }[];
  total: { came: Count; firstTimers: Count };
  suppressBelow: number;
  /** Some counts are SECONDARY ("—"): hidden so that no small count can be worked out from the sums. */
  secondarySuppression: boolean;
}

export interface DropInDayInput {
  programId: string;
  day: string;
  visitors: number;
  firstTimers: number;
  note?: string | null;
  /** Visitors with a case who agreed that the visit be recorded on it. */
  caseVisits?: { caseId: string; consented: boolean }[];
}

export interface DropInDay {
  id: string;
  programId: string;
  day: string;
  visitors: number;
  firstTimers: number;
  note: string | null;
  linkedCases: number;
}
