import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { mayFollowActionItems, mayReadAgreedRules, mayRunMeetings, mayUseMeetings } from '../access.ts';
import { allPages, ApiError } from '../api.ts';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { japanToday } from '../lib/cases.ts';
import { formatDate } from '../lib/dates.ts';
import { monthGrid, monthOf, parseMonth, shiftMonth } from '../lib/meetings.ts';
import { meetingsApi } from '../meetings/api.ts';
import { MonthCalendar } from '../meetings/MonthCalendar.tsx';
import { SeriesCard } from '../meetings/SeriesCard.tsx';
import { useSignedInSession } from '../session.tsx';
import type { MeetingSeriesView } from '../types.ts';
import { useResource } from '../useResource.ts';

/**
 * 会議: the month's sessions of every series, and the series themselves with
 * their legal basis. The coordinator schedules a series ahead by a recurrence
 * and gives calendar programs its feed; members of a 支援会議 acknowledge the
 * duty of confidentiality. The month lives in the URL (?month=2026-05).
 */
export function MeetingsPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedInSession();
  const coordinator = mayRunMeetings(session.role);
  const [params, setParams] = useSearchParams();
  const today = japanToday(new Date());
  const month = parseMonth(params.get('month')) ?? monthOf(today);
  const grid = monthGrid(month);
  const [revision, setRevision] = useState(0);
  // the grid shows every session of its six weeks, so it reads every page of them
  const [sessions, reloadSessions] = useResource(`meeting-sessions:${month}:${revision}`, (signal) =>
    allPages((cursor) => meetingsApi.listSessions({ from: grid.from, to: grid.to, cursor, limit: 200 }, signal)).then((items) => ({ items })));
  const [seriesResource, reloadSeries] = useResource('meeting-series', (signal) => meetingsApi.listSeries(signal));
  const [changed, setChanged] = useState<Record<string, MeetingSeriesView>>({});
  usePageTitle(t('meetings.title'));

  const go = (m: string) => setParams(m === monthOf(today) ? {} : { month: m });

  return (
    <article className="page meetings">
      <div className="page__heading">
        <h1>{t('meetings.title')}</h1>
        <div className="page__actions no-print">
          <PrintButton />
        </div>
      </div>
      <p className="page__intro">{t('meetings.intro')}</p>
      <nav aria-label={t('meetings.related')} className="no-print">
        <ul className="inline-list">
          {mayFollowActionItems(session.role) && <li><Link to="/action-items">{t('actionItems.title')}</Link></li>}
          {mayReadAgreedRules(session.role) && <li><Link to="/rules">{t('agreedRules.title')}</Link></li>}
        </ul>
      </nav>

      <section aria-labelledby="meetings-calendar" className="section">
        <h2 id="meetings-calendar">{t('meetings.calendar.title')}</h2>
        <div className="meeting-calendar__nav no-print">
          <button type="button" className="button button--secondary button--small" onClick={() => go(shiftMonth(month, -1))}>{t('meetings.calendar.previous')}</button>
          <p className="meeting-calendar__month" aria-live="polite">{formatDate(month, i18n.language)}</p>
          <button type="button" className="button button--secondary button--small" onClick={() => go(shiftMonth(month, 1))}>{t('meetings.calendar.next')}</button>
          {month !== monthOf(today) && <button type="button" className="button button--secondary button--small" onClick={() => go(monthOf(today))}>{t('meetings.calendar.thisMonth')}</button>}
        </div>
        {sessions.status === 'loading' && <Loading />}
        {sessions.status === 'error' && (sessions.error instanceof ApiError && sessions.error.status === 403
          ? <p className="empty">{t('meetings.calendar.notForGuests')}</p>
          : <ErrorPanel error={sessions.error} onRetry={reloadSessions} />)}
        {sessions.status === 'ok' && (
          <>
            <MonthCalendar month={month} sessions={sessions.data.items} today={today} linkSessions={mayUseMeetings(session.role)} />
            {sessions.data.items.filter((s) => monthOf(s.date) === month).length === 0 && <p className="empty">{t('meetings.calendar.none')}</p>}
          </>
        )}
      </section>

      <section aria-labelledby="meetings-series" className="section">
        <h2 id="meetings-series">{t('meetings.series.title')}</h2>
        {seriesResource.status === 'loading' && <Loading />}
        {seriesResource.status === 'error' && (seriesResource.error instanceof ApiError && seriesResource.error.status === 403
          ? <p className="empty">{t('meetings.calendar.notForGuests')}</p>
          : <ErrorPanel error={seriesResource.error} onRetry={reloadSeries} />)}
        {seriesResource.status === 'ok' && (
          <ul className="cards cards--wide" data-testid="meeting-series-list">
            {seriesResource.data.items.map((s) => (
              <SeriesCard
                key={s.id} series={changed[s.id] ?? s} coordinator={coordinator} role={session.role}
                onChanged={(next) => setChanged((c) => ({ ...c, [next.id]: next }))}
                onScheduled={() => setRevision((n) => n + 1)}
              />
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}
