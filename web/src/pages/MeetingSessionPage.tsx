import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { formatDate } from '../lib/dates.ts';
import { windowState } from '../lib/meetings.ts';
import { AgendaSection } from '../meetings/AgendaSection.tsx';
import { meetingsApi } from '../meetings/api.ts';
import { DecisionSection } from '../meetings/DecisionSection.tsx';
import { MovedFrom, SessionStatusBadge, SessionWhen, StatutoryBadge, useMeetingLabels } from '../meetings/parts.tsx';
import { Acknowledgement } from '../meetings/SeriesCard.tsx';
import { AttendanceSection, GuestsSection, InviteOrganizations, SessionSettings } from '../meetings/SessionParts.tsx';
import type { MeetingSessionDetail } from '../types.ts';
import { useResource } from '../useResource.ts';
import { NotFound } from './NotFoundPage.tsx';

/**
 * 会議の回: when and where, the sharing window and whether it is open now,
 * the agenda as this viewer may see it, attendance, minutes, decisions and
 * action items. A session the user has no seat at answers 404 and shows
 * 見つかりません, as a hidden case does.
 */
export function MeetingSessionPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [attempt, setAttempt] = useState(0);
  const [resource, reload] = useResource(`meeting-session:${id}:${attempt}`, (signal) => meetingsApi.getSession(id, signal));
  const [fresh, setFresh] = useState<MeetingSessionDetail | null>(null);
  const detail = fresh && fresh.id === id ? fresh : resource.status === 'ok' ? resource.data : null;
  usePageTitle(detail ? `${detail.series.name} ${formatDate(detail.date, i18n.language)}` : t('meetings.session.title'));
  const reloadLatest = () => { setFresh(null); setAttempt((n) => n + 1); };

  if (!detail) {
    if (resource.status === 'error') {
      const e = resource.error;
      if (e instanceof ApiError && (e.status === 404 || (e.status === 400 && e.fields.some((f) => f.field.replace(/^\//, '') === 'id')))) return <NotFound message={t('meetings.session.notFound')} />;
      return <ErrorPanel error={e} onRetry={reload} />;
    }
    return <Loading />;
  }
  return <SessionView detail={detail} onChanged={setFresh} onReload={reloadLatest} />;
}

function SessionView({ detail, onChanged, onReload }: { detail: MeetingSessionDetail; onChanged(next: MeetingSessionDetail): void; onReload(): void }) {
  const { t, i18n } = useTranslation();
  const labels = useMeetingLabels();
  const coordinator = detail.viewer.mode === 'coordinator';
  const title = `${detail.series.name}（${formatDate(detail.date, i18n.language)}）`;
  const state = detail.windowOpen ? 'open' : windowState(detail, new Date());
  const print = (what: 'agenda' | 'minutes') => `/meetings/sessions/${encodeURIComponent(detail.id)}/print?what=${what}`;

  return (
    <article className="page meeting-session">
      <nav aria-label={t('detail.breadcrumb')} className="breadcrumb no-print">
        <ol>
          <li><Link to="/meetings">{t('meetings.title')}</Link></li>
          <li aria-current="page">{title}</li>
        </ol>
      </nav>
      <div className="page__heading">
        <h1><span lang="ja">{detail.series.name}</span>（{formatDate(detail.date, i18n.language)}）</h1>
        <div className="page__actions no-print">
          <button type="button" className="button button--secondary" onClick={() => window.print()}>{t('meetings.print.button')}</button>
          <Link className="button button--secondary" to={print('agenda')}>{t('meetings.print.agenda')}</Link>
          <Link className="button button--secondary" to={print('minutes')}>{t('meetings.print.minutes')}</Link>
        </div>
      </div>
      <p className="badges">
        {detail.series.statutory && <StatutoryBadge />}
        <SessionStatusBadge status={detail.status} />
      </p>

      <section aria-labelledby="session-facts" className="section">
        <h2 id="session-facts" className="visually-hidden">{t('meetings.session.facts')}</h2>
        <Facts wide>
          <Fact label={t('meetings.session.series')}>
            <span lang="ja">{detail.series.name}</span>
            <span className="fact-note">{labels.both(detail.series.legalBasisLabel)}</span>
          </Fact>
          <Fact label={t('meetings.session.when')}>
            <SessionWhen session={detail} />
            {detail.movedFrom && <> <MovedFrom from={detail.movedFrom} /></>}
          </Fact>
          <Fact label={t('meetings.recurrence.place')}>{detail.place ? <span lang="ja">{detail.place}</span> : t('meetings.session.noPlace')}</Fact>
          <Fact label={t('meetings.settings.status')}>{labels.status(detail.status)}</Fact>
          <Fact label={t('meetings.session.window')}>
            <DateTimeText value={detail.shareFrom} />〜<DateTimeText value={detail.shareUntil} />
            <span className={`meeting-window meeting-window--${state}`} data-testid="window-state">{t(`meetings.session.windowState.${state}`)}</span>
            <span className="fact-note">{detail.series.statutory ? t('meetings.session.windowNoteStatutory') : t('meetings.session.windowNote')}</span>
          </Fact>
        </Facts>
        {coordinator && <SessionSettings detail={detail} onChanged={onChanged} onReload={onReload} />}
      </section>

      {detail.viewer.needsAcknowledgement && <AcknowledgementPrompt seriesId={detail.series.id} onDone={onReload} />}

      <AgendaSection detail={detail} coordinator={coordinator} onChanged={onChanged} onReload={onReload} />
      {detail.viewer.mode !== 'guest' && <AttendanceSection key={detail.version} detail={detail} coordinator={coordinator} onChanged={onChanged} onReload={onReload} />}
      {coordinator && <InviteOrganizations detail={detail} onChanged={onChanged} onReload={onReload} />}
      {coordinator && <GuestsSection detail={detail} onChanged={onChanged} onReload={onReload} />}
      <DecisionSection detail={detail} coordinator={coordinator} onChanged={onChanged} />
    </article>
  );
}

/** A member of a 支援会議 who has not acknowledged the duty of confidentiality sees the statement first. */
function AcknowledgementPrompt({ seriesId, onDone }: { seriesId: string; onDone(): void }) {
  const { t } = useTranslation();
  const [series, reload] = useResource(`meeting-series-ack:${seriesId}`, async (signal) => (await meetingsApi.listSeries(signal)).items.find((s) => s.id === seriesId) ?? null);
  return (
    <section aria-labelledby="session-ack" className="section meeting-ack-prompt" data-testid="acknowledgement-prompt">
      <h2 id="session-ack">{t('meetings.ack.title')}</h2>
      <p>{t('meetings.ack.needed')}</p>
      {series.status === 'loading' && <Loading />}
      {series.status === 'error' && <ErrorPanel error={series.error} onRetry={reload} />}
      {series.status === 'ok' && series.data && <Acknowledgement series={series.data} titled={false} onDone={() => onDone()} />}
    </section>
  );
}
