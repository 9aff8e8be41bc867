/**
 * The prefecture pages' pure parts: a visit (or a new visit's draft) as the
 * document layer's VisitDocument, so the web prints and edits it in the
 * centre's own layout; the body that corrects one item's kind; and the
 * sentence a gap finding's proposal starts from.
 */
import { visitHeading } from '../../../src/modules/prefecture/visitDocument/headings.ts';
import type { VisitDocument, VisitItemKind } from '../../../src/modules/prefecture/visitDocument/types.ts';
import type { GapFinding, Visit, VisitDraft, VisitFields } from '../prefecture/types.ts';

type Recorded = Pick<Visit, 'municipality' | 'date' | 'startTime' | 'endTime' | 'participants' | 'purpose' | 'headings' | 'centreTitle' | 'otherFields'>
  & { items: { heading: string | null; kind: VisitItemKind; kindSetBy?: 'rule' | 'staff'; text: string }[]; unplaced?: string[] };

/** A stored visit or a draft as the document the layout prints. */
export function visitDocumentOf(v: Recorded | VisitDraft): VisitDocument {
  const title = v.centreTitle ?? (v.items.length ? visitHeading('supportNet').printTitle : null);
  return {
    municipalityName: v.municipality.name,
    date: v.date,
    startTime: v.startTime ?? null,
    endTime: v.endTime ?? null,
    sections: [...v.participants],
    purpose: v.purpose,
    otherFields: v.otherFields ?? [],
    headings: v.headings,
    centre: title === null ? null : {
      title,
      items: v.items.map((i) => ({ heading: i.heading, kind: i.kind, kindSetBy: i.kindSetBy ?? 'rule', text: i.text })),
    },
    unplaced: 'unplaced' in v && v.unplaced ? v.unplaced : [],
  };
}

/**
 * The whole record as it is, for PUT, with one item's kind corrected by staff
 * (a staff-set kind is never recomputed from the wording).
 */
export function withItemKind(v: Visit, itemId: string, kind: VisitItemKind): VisitFields & { version: number } {
  return {
    version: v.version,
    date: v.date,
    startTime: v.startTime,
    endTime: v.endTime,
    participants: v.participants,
    purpose: v.purpose,
    headings: v.headings,
    centreTitle: v.centreTitle,
    otherFields: v.otherFields,
    items: v.items.map((i) => ({
      id: i.id, heading: i.heading, text: i.text, addressedTo: i.addressedTo,
      ...(i.id === itemId ? { kind, kindSetBy: 'staff' as const } : { kind: i.kind, kindSetBy: i.kindSetBy }),
    })),
  };
}

/**
 * The proposal a gap finding suggests, in the centre's wording (the record is
 * Japanese whatever the screen's language); staff edit it before sending. It
 * ends in 「提案。」 so the wording rules read it as a proposal.
 */
export function proposalSentence(finding: Pick<GapFinding, 'rule' | 'subject'>): string {
  const subject = finding.subject?.trim() || null;
  switch (finding.rule.check) {
    case 'quiet_door':
      return `${subject ?? '相談の入っていない窓口'}について、住民や関係機関への周知と、窓口へつなぐ流れを見直すことを提案。`;
    case 'no_neighbour_window':
      return '民生委員に限らず、住民の誰もが近隣の気になることを相談できる窓口の設置を提案。';
    case 'uncovered_ages':
      return `${subject ? `${subject}の` : '対象とする事業のない年齢の'}相談の行き先を決めておくことを提案。`;
    case 'no_sharing_meeting':
      return '本人の同意がなくても関係機関が情報を共有できる支援会議（社会福祉法第106条の6・生活困窮者自立支援法第9条）の設置を提案。';
    case 'program_not_started':
      return `${subject ? `「${subject}」の` : '予定の事業の'}開始の見通しと、それまでの間のつなぎ先を確認することを提案。`;
    default:
      return `${finding.rule.reason.replace(/。$/, '')}。${subject ? `（${subject}）` : ''}対応を検討することを提案。`;
  }
}

/** The fiscal years to choose from: this one and the four before, newest first. */
export function fiscalYearChoices(current: number, count = 5): number[] {
  return Array.from({ length: count }, (_, i) => current - i);
}
