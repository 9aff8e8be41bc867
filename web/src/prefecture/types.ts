/**
 * The prefecture's API as the web sees it (src/modules/prefecture/routes.ts).
 * The record's own shapes are the server's (src/modules/prefecture/types.ts), imported rather than redeclared.
 */
import type { VisitHeading, VisitItemKind, VisitItemKindSetBy, VisitOtherField } from '../../../src/modules/prefecture/visitDocument/types.ts';

export type { VisitHeading, VisitItemKind, VisitItemKindSetBy, VisitOtherField };

import type * as Server from '../../../src/modules/prefecture/types.ts';
import type { Wire } from '../../../src/lib/wire.ts';

export type ProposalStatus = Server.ProposalStatus;
/** What the municipality's hub may answer. */
export type ProposalAnswer = Exclude<ProposalStatus, 'proposed'>;
export type MunicipalityRef = Server.MunicipalityRef;
export type StatusChange = Wire<Server.StatusChange>;
export type VisitItem = Wire<Server.VisitItem>;
export interface Proposal extends VisitItem { municipality: MunicipalityRef }
export type VisitSummary = Wire<Server.VisitSummary>;
export type Visit = Wire<Server.Visit>;
export type VisitItemInput = Server.VisitItemInput;

export interface VisitFields {
  date: string;
  startTime: string | null;
  endTime: string | null;
  participants: string[];
  purpose: string;
  headings: VisitHeading[];
  items: VisitItemInput[];
  centreTitle: string | null;
  otherFields: VisitOtherField[];
}

export interface VisitDraft extends VisitFields {
  municipality: MunicipalityRef;
  openProposals: VisitItem[];
}

export type Count = Server.Count;

export type NetworkPart = Server.PartFigures;

export interface GapFinding extends Server.GapFinding {
  /** The open proposal made from it (the route adds it). */
  proposal: { id: string; status: ProposalStatus } | null;
}

export interface MunicipalityNetwork extends Omit<Server.MunicipalityNetwork, 'findings'> {
  findings: GapFinding[];
}

export interface NetworksSideBySide extends Omit<Server.NetworksSideBySide, 'municipalities'> {
  municipalities: MunicipalityNetwork[];
}

export type PartnerGroupCounts = Server.PartnerGroupCounts;
