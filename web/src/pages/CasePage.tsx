import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ApiError, api } from '../api.ts';
import { isHub } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText, DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { SensitiveNote } from '../components/SensitiveNote.tsx';
import { Sentence, SLOT } from '../components/Sentence.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { AssessmentSection } from '../cases/AssessmentSection.tsx';
import { CaseStatusBadge, PersonNameText, useCaseLabels } from '../cases/CaseParts.tsx';
import { ContactRecordsSection, TimelineSection } from '../cases/CaseRecords.tsx';
import { ConsentSection } from '../cases/ConsentSection.tsx';
import { CaseReadOnlyContext } from '../cases/readOnly.ts';
import { EmergencyBanner, useRememberedUse } from '../breakGlass/EmergencyBanner.tsx';
import { PersonSection } from '../cases/PersonSection.tsx';
import { PlanSection } from '../cases/PlanSection.tsx';
import { StatusSection } from '../cases/StatusSection.tsx';
import { OrgName } from '../network/Names.tsx';
import { CaseReferralsSection } from '../referrals/CaseReferrals.tsx';
import { CaseOutreachSection } from '../programs/outreach/CaseOutreachSection.tsx';
import { useSignedInSession } from '../session.tsx';
import type { RememberedUse } from '../lib/breakGlass.ts';
import { formatDate } from '../lib/dates.ts';
import type { MeetingPassage } from '../meetings/AgendaSection.tsx';
import type { CaseDetail } from '../types.ts';
import { useResource } from '../useResource.ts';
import { NotFound } from './NotFoundPage.tsx';

/**
 * What the page says on arrival, passed on from the new-case form. What is
 * done on the page is confirmed in its own section (cases/useSaid.tsx).
 */
export type CaseNotice = { kind: 'opened'; reference: string };

/**
 * 支援ケース. A case the organisation may not see answers 404 and shows the
 * ordinary 見つかりません, saying nothing more. With referral-level access
 * only what was referred to this organisation is shown, never the person.
 */
export function CasePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [resource, reload] = useResource(`case:${id}`, (signal) => api.getCase(id, signal));
  usePageTitle(resource.status === 'ok' ? t('cases.titleWithReference', { reference: resource.data.reference }) : null);

  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') {
    const e = resource.error;
    if (e instanceof ApiError && (e.status === 404 || (e.status === 400 && e.fields.some((f) => f.field.replace(/^\//, '') === 'id')))) {
      return <NotFound message={t('case.notFound')} />;
    }
    return <ErrorPanel error={e} onRetry={reload} />;
  }
  return <CaseView key={resource.data.id} initial={resource.data} />;
}

/**
 * A case opened through 緊急時の閲覧 is shown read only, under a banner that
 * says until when; so is one read through a 支援会議's agenda (access
 * 'meeting'), under a banner that names the meeting.
 */
function CaseView({ initial }: { initial: CaseDetail }) {
  const emergency = useRememberedUse(initial.id);
  return (
    <CaseReadOnlyContext.Provider value={!!emergency || initial.access === 'meeting'}>
      <CaseContent initial={initial} emergency={emergency} />
    </CaseReadOnlyContext.Provider>
  );
}

function CaseContent({ initial, emergency }: { initial: CaseDetail; emergency: RememberedUse | null }) {
  const { t, i18n } = useTranslation();
  const session = useSignedInSession();
  const labels = useCaseLabels();
  const location = useLocation();
  const navigate = useNavigate();
  const [detail, setDetail] = useState(initial);
  // Bumped after anything is recorded, so the timeline loads again (each section reloads its own list).
  const [revision, setRevision] = useState(0);
  const passedOn = (location.state as { notice?: CaseNotice } | null)?.notice ?? null;
  const [notice] = useState<CaseNotice | null>(passedOn);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // After the page's own focus handling, so the notice is what is read out.
    if (passedOn) requestAnimationFrame(() => noticeRef.current?.focus());
  }, []);
  useEffect(() => {
    if (passedOn) navigate(location.pathname, { replace: true, state: null });
  }, []);

  const full = detail.access === 'full';
  const meeting = detail.access === 'meeting';
  // which meeting: the server's answer when it gives one, else what the agenda's link passed on
  const passage = detail.meeting ?? (location.state as Partial<MeetingPassage> | null)?.meeting ?? null;
  const mayChangeStatus = full && !emergency && (detail.lead.id === session.organization.id || isHub(session.role));
  const title = t('cases.titleWithReference', { reference: detail.reference });

  /** Something was recorded: reload the timeline and the case itself (last contact, consents, participants… may have changed). */
  async function recorded() {
    setRevision((n) => n + 1);
    try {
      setDetail(await api.getCase(detail.id));
    } catch {
      // The lists reload on their own and show their own errors.
    }
  }

  const contents = [
    full && ['case-person', t('case.personSection')],
    full && ['case-consents', t('consent.title')],
    full && ['case-status', t('caseStatus.title')],
    !meeting && ['case-timeline', t('timeline.title')],
    !meeting && ['case-contacts', t('contact.title')],
    full && ['case-assessments', t('assessment.title')],
    (full || meeting) && ['case-plans', t('plan.title')],
    !meeting && ['case-referrals', t('referral.caseTitle')],
  ].filter((x): x is [string, string] => !!x);

  return (
    <article className="page case">
      <nav aria-label={t('detail.breadcrumb')} className="breadcrumb no-print">
        <ol>
          <li><Link to="/cases">{t('cases.title')}</Link></li>
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <div className="page__heading">
        <h1>{title}</h1>
        <PrintButton />
      </div>
      {emergency && <EmergencyBanner caseId={detail.id} reference={detail.reference} use={emergency} />}
      {meeting && (
        <p className="notice notice--limited meeting-banner" role="note" data-testid="meeting-banner">
          {passage
            ? t('case.meetingBanner', { meeting: passage.seriesName, date: formatDate(passage.date, i18n.language) })
            : t('case.meetingBannerUnnamed')}
          {passage?.sessionId && <> <Link className="no-print" to={`/meetings/sessions/${encodeURIComponent(passage.sessionId)}`}>{t('case.backToMeeting')}</Link></>}
        </p>
      )}
      <p className="badges">
        <CaseStatusBadge status={detail.status} />
        {detail.complex && <Badge tone="co-owned">{t('cases.complex')}</Badge>}
        {meeting && <Badge tone="consent">{t('case.meetingBadge')}</Badge>}
        {!full && !meeting && <Badge tone="muted">{t('case.referralBadge')}</Badge>}
      </p>
      {(full || meeting) && detail.person && (
        <p className="case__person" data-testid="case-person-name">
          <PersonNameText name={detail.person.name} />
          {detail.person.nameKana && <span className="candidate__kana" lang="ja">{detail.person.nameKana}</span>}
        </p>
      )}
      {full && <p className="no-print"><Link to={`/cases/${encodeURIComponent(detail.id)}/placements`}>{t('placements.match.open')}</Link></p>}
      {full && !emergency && (detail.lead.id === session.organization.id || isHub(session.role)) && (
        <p className="no-print"><Link to={`/cases/${encodeURIComponent(detail.id)}/expert-team`} data-testid="expert-team-link">{t('experts.submit.open')}</Link></p>
      )}
      {!full && !meeting && <p className="notice notice--limited" data-testid="referral-notice">{t('case.referralNotice')}</p>}
      <SensitiveNote />
      <p ref={noticeRef} tabIndex={-1} role="status" className={notice ? 'notice notice--done' : undefined} data-testid="notice">
        {notice && t('newCase.opened', { reference: notice.reference })}
      </p>

      <section aria-labelledby="case-summary-heading" className="section">
        <h2 id="case-summary-heading">{t('case.summary')}</h2>
        <Facts wide>
          <Fact label={t('cases.status')}>{labels.caseStatus(detail.status)}</Fact>
          <Fact label={t('cases.lead')}><OrgName org={detail.lead} /></Fact>
          <Fact label={t('case.participants')}>
            <ul className="participants">
              {detail.participants.map((p) => (
                <li key={p.organization.id}>
                  <OrgName org={p.organization} />
                  <span className="participants__role">
                    <Sentence text={t('case.roleSince', { role: labels.participantRole(p.role), date: SLOT })}><DateText value={p.since} /></Sentence>
                  </span>
                </li>
              ))}
            </ul>
          </Fact>
          <Fact label={t('cases.openedAt')}><DateText value={detail.openedAt} /></Fact>
          <Fact label={t('cases.lastContact')}>{detail.lastContactAt ? <DateTimeText value={detail.lastContactAt} /> : t('cases.noContact')}</Fact>
          {detail.closedAt && <Fact label={t('cases.closedAt')}><DateText value={detail.closedAt} /></Fact>}
          {detail.closureReason && <Fact label={t('case.closureReason')}><span lang="ja">{detail.closureReason}</span></Fact>}
          {detail.consultations.length > 0 && (
            <Fact label={t('case.consultations')}>
              <ul className="plain-list plain-list--flush">
                {detail.consultations.map((c) => (
                  <li key={c.id}>
                    <Link to={`/consultations/${encodeURIComponent(c.id)}`}>{t('consultation.titleWithReference', { reference: c.reference })}</Link>
                    <span className="plain-list__meta"><DateTimeText value={c.receivedAt} /></span>
                  </li>
                ))}
              </ul>
            </Fact>
          )}
        </Facts>
      </section>

      <nav aria-label={t('case.contents')} className="page-contents no-print">
        <ul>{contents.map(([id, label]) => <li key={id}><a href={`#${id}`}>{label}</a></li>)}</ul>
      </nav>

      {full && <PersonSection detail={detail} onSaved={() => void recorded()} />}
      {full && <ConsentSection detail={detail} onChanged={recorded} />}
      {full && (
        <StatusSection
          detail={detail} mayChange={mayChangeStatus}
          onChanged={(next) => { setDetail(next); setRevision((n) => n + 1); }}
          onReloaded={setDetail}
        />
      )}
      {!meeting && <TimelineSection caseId={detail.id} revision={revision} limited={!full} />}
      {!meeting && <ContactRecordsSection caseId={detail.id} limited={!full} onAdded={() => void recorded()} />}
      {full && <AssessmentSection caseId={detail.id} onAdded={() => void recorded()} />}
      {(full || meeting) && <PlanSection caseId={detail.id} onCreated={() => void recorded()} />}
      {!meeting && <CaseReferralsSection detail={detail} onChanged={() => void recorded()} />}
      {!meeting && <CaseOutreachSection detail={detail} onChanged={() => void recorded()} />}
    </article>
  );
}
