/**
 * Supporters' meetings' API shapes (supporterMeetings.ts), declared once for
 * the server and the web app (web/src/prefecture/supporterMeetings.ts reads
 * them through Wire). Types and plain data only: the web bundle imports this
 * file as it is.
 */

export const MEETING_KINDS = ['exchange', 'training'] as const;
export type MeetingKind = (typeof MEETING_KINDS)[number];
export type InviteeKind = 'municipality' | 'partner';

export interface MeetingInput {
  kind: MeetingKind;
  title: string;
  date: string;
  startTime: string;
  endTime?: string | null;
  place?: string | null;
  online: boolean;
  capacity: number;
  registrationDeadline: string;
  description?: string | null;
  /** Every municipality the centre covers, or the codes given. */
  allMunicipalities: boolean;
  municipalityCodes: string[];
  partnerIds: string[];
}

export interface Invitee { kind: InviteeKind; id: string; code: string | null; name: string }

export interface InviteeTally extends Invitee { registered: number; attended: number }

export interface Registration {
  id: string;
  invitee: Invitee;
  name: string;
  section: string | null;
  job: string | null;
  email: string | null;
  walkIn: boolean;
  attended: boolean | null;
  registeredAt: Date;
}

export interface MeetingSummary {
  id: string;
  kind: MeetingKind;
  title: string;
  date: string;
  dateLabel: string;
  startTime: string;
  endTime: string | null;
  place: string | null;
  online: boolean;
  capacity: number;
  registered: number;
  free: number;
  registrationDeadline: string;
  deadlineLabel: string;
  /** Registration is open: not cancelled, the deadline not past, a place free. */
  open: boolean;
  held: boolean;
  cancelled: { at: Date; reason: string } | null;
}

export interface Meeting extends MeetingSummary {
  description: string | null;
  allMunicipalities: boolean;
  version: number;
  /** The centre: every invitee; municipal staff: their own municipality. */
  invitees: InviteeTally[];
  registrations: Registration[];
}

export interface RegistrationInput {
  name: string;
  section?: string | null;
  job?: string | null;
  email?: string | null;
  /** The centre only: for which invitee it records the registration (a partner group's by phone or email, or a municipality's). */
  inviteeId?: string;
  /** The centre only, on or after the day: someone who came without registering (marked attended). */
  walkIn?: boolean;
}

export interface Tally { invited: number; registered: number; attended: number }

export interface FiguresRow { invitee: Invitee; exchange: Tally; training: Tally; total: Tally }

export interface MeetingFigures { fiscalYear: number; label: string; rows: FiguresRow[] }
