import { useTranslation } from 'react-i18next';
import { Badge, type BadgeTone } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { ageBandLabel } from '../consultations/ConsultationParts.tsx';
import ja from '../i18n/ja.json';
import { japanToday } from '../lib/cases.ts';
import { ageOn } from '../lib/person.ts';
import type { AgeBand, CaseStatus, ReferralStatus } from '../types.ts';

/**
 * Labels and small pieces shared by the case and referral pages. Codes the
 * server sends as plain strings (timeline kinds, roles…) are shown as they
 * are when this UI does not know them yet, as RoleLabel does.
 */

const known = <T extends object>(labels: T, code: string): code is Extract<keyof T, string> => Object.hasOwn(labels, code);

export function useCaseLabels() {
  const { t } = useTranslation();
  return {
    caseStatus: (s: string) => (known(ja.cases.statusValue, s) ? t(`cases.statusValue.${s}`) : s),
    referralStatus: (s: string) => (known(ja.referral.statusValue, s) ? t(`referral.statusValue.${s}`) : s),
    timelineKind: (k: string) => (known(ja.timeline.kind, k) ? t(`timeline.kind.${k}`) : k),
    contactKind: (k: string) => (known(ja.contact.kindValue, k) ? t(`contact.kindValue.${k}`) : k),
    consentMethod: (m: string) => (known(ja.consent.methodValue, m) ? t(`consent.methodValue.${m}`) : m),
    lifeArea: (a: string) => (known(ja.assessment.area, a) ? t(`assessment.area.${a}`) : a),
    participantRole: (r: string) => (known(ja.case.role, r) ? t(`case.role.${r}`) : r),
    urgency: (u: string) => (known(ja.consultation.urgencyValue, u) ? t(`consultation.urgencyValue.${u}`) : u),
  };
}

const CASE_TONE: Record<CaseStatus, BadgeTone> = {
  intake: 'planned', assessment: 'internal', support: 'active', monitoring: 'wide-area', closed: 'ended',
};

export function CaseStatusBadge({ status }: { status: CaseStatus }) {
  const labels = useCaseLabels();
  return <Badge tone={CASE_TONE[status] ?? 'muted'}>{labels.caseStatus(status)}</Badge>;
}

const REFERRAL_TONE: Record<ReferralStatus, BadgeTone> = {
  sent: 'planned', accepted: 'internal', first_contact: 'internal', ongoing: 'active', completed: 'active', declined: 'ended', returned: 'ended',
};

export function ReferralStatusBadge({ status }: { status: ReferralStatus }) {
  const labels = useCaseLabels();
  return <Badge tone={REFERRAL_TONE[status] ?? 'muted'}>{labels.referralStatus(status)}</Badge>;
}

export function UrgencyBadge({ urgency }: { urgency: string }) {
  const labels = useCaseLabels();
  if (urgency === 'emergency') return <Badge tone="emergency">{labels.urgency(urgency)}</Badge>;
  if (urgency === 'urgent') return <Badge tone="urgent">{labels.urgency(urgency)}</Badge>;
  return null;
}

/** A person's name as recorded, marked Japanese; 「氏名未登録」 when none was recorded. */
export function PersonNameText({ name }: { name: string | null }) {
  const { t } = useTranslation();
  return name ? <span lang="ja">{name}</span> : <span className="muted-text">{t('cases.nameUnknown')}</span>;
}

/** 「昭和49年2月11日（52歳）」, 「50代」, or 「不明」. */
export function BirthText({ birthDate, ageBand }: { birthDate: string | null; ageBand: AgeBand | null }) {
  const { t } = useTranslation();
  if (birthDate) {
    const age = ageOn(birthDate, japanToday(new Date()));
    return <><DateText value={birthDate} />{age !== null && t('person.ageYears', { age })}</>;
  }
  if (ageBand) return <>{ageBandLabel(t, ageBand)}</>;
  return <>{t('form.unknown')}</>;
}
