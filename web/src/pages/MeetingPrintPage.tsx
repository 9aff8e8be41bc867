import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { japanToday } from '../lib/cases.ts';
import { AgendaItemBody, AgendaItemTitle } from '../meetings/AgendaSection.tsx';
import { meetingsApi } from '../meetings/api.ts';
import { ActionItemsTable } from '../meetings/DecisionSection.tsx';
import { MovedFrom, ReasonText, SessionWhen, useMeetingLabels } from '../meetings/parts.tsx';
import { OrgName } from '../network/Names.tsx';
import { useResource } from '../useResource.ts';
import { NotFound } from './NotFoundPage.tsx';

/**
 * 議題 or 議事録 of a session as a document for A4 (the browser's print or
 * PDF): what the viewer may see of it, nothing to click. ?what=agenda|minutes
 */
export function MeetingPrintPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const what = params.get('what') === 'minutes' ? 'minutes' : 'agenda';
  const labels = useMeetingLabels();
  const [resource, reload] = useResource(`meeting-print:${id}`, (signal) => meetingsApi.getSession(id, signal));
  const detail = resource.status === 'ok' ? resource.data : null;
  const docTitle = t(`meetings.print.${what}Title`);
  usePageTitle(detail ? `${detail.series.name} ${docTitle}` : docTitle);
  if (!detail) {
    if (resource.status === 'error') {
      if (resource.error instanceof ApiError && resource.error.status === 404) return <NotFound message={t('meetings.session.notFound')} />;
      return <ErrorPanel error={resource.error} onRetry={reload} />;
    }
    return <Loading />;
  }
  const general = detail.decisions.filter((d) => !d.agendaItemId);
  return (
    <article className="page meeting-doc" data-testid="meeting-document">
      <div className="page__actions no-print">
        <Link to={`/meetings/sessions/${encodeURIComponent(detail.id)}`}>{t('meetings.print.back')}</Link>
        <button type="button" className="button" onClick={() => window.print()}>{t('meetings.print.button')}</button>
      </div>
      <header className="doc-header">
        <h1><span lang="ja">{detail.series.name}</span> {docTitle}</h1>
        <p>
          <SessionWhen session={detail} />
          {detail.movedFrom && <>（<MovedFrom from={detail.movedFrom} />）</>}
          {detail.place && <>　{t('meetings.recurrence.place')}：<span lang="ja">{detail.place}</span></>}
        </p>
        <p className="doc-note">{labels.both(detail.series.legalBasisLabel)}{detail.series.statutory && `　${t('meetings.print.confidential')}`}</p>
      </header>

      {what === 'minutes' && (
        <section className="doc-section">
          <h2>{t('meetings.attendance.title')}</h2>
          {detail.attendance.length === 0 ? <p>{t('meetings.attendance.none')}</p> : (
            <ul className="plain-list">
              {detail.attendance.map((a) => (
                <li key={a.organization.id}>
                  <OrgName org={a.organization} />：{a.present === null ? t('meetings.attendance.unknown') : a.present ? t('meetings.attendance.yes') : t('meetings.attendance.no')}
                  {a.attendeeNames && <>（<span lang="ja">{a.attendeeNames}</span>）</>}
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <section className="doc-section">
        <h2>{t('meetings.agenda.title')}</h2>
        {detail.agenda.length === 0 ? <p>{t('meetings.agenda.empty')}</p> : (
          <ol className="agenda agenda--doc">
            {detail.agenda.map((item, n) => (
              <li key={item.id} className="agenda__item doc-record">
                <h3 className="doc-record__title">{t('meetings.agenda.number', { n: n + 1 })} <AgendaItemTitle item={item} /></h3>
                <p><ReasonText reason={item.reason} detail={item.reasonDetail} /></p>
                <AgendaItemBody item={item} detail={detail} />
                {what === 'minutes' && item.view !== 'hidden' && (
                  <>
                    <h4>{t('meetings.minutes.title')}</h4>
                    {item.minutes ? <p className="prewrap" lang="ja">{item.minutes}</p> : <p>{t('meetings.minutes.none')}</p>}
                    {detail.decisions.filter((d) => d.agendaItemId === item.id).map((d) => (
                      <p key={d.id} className="prewrap" lang="ja"><strong>{t('meetings.decisions.forItem')}：</strong>{d.text}</p>
                    ))}
                  </>
                )}
              </li>
            ))}
          </ol>
        )}
      </section>

      {what === 'minutes' && (
        <>
          {general.length > 0 && (
            <section className="doc-section">
              <h2>{t('meetings.decisions.general')}</h2>
              <ul className="plain-list">{general.map((d) => <li key={d.id} className="prewrap" lang="ja">{d.text}</li>)}</ul>
            </section>
          )}
          <section className="doc-section">
            <h2>{t('meetings.actions.title')}</h2>
            <ActionItemsTable items={detail.actionItems} />
          </section>
        </>
      )}
      <p className="doc-note">{t('meetings.print.printedOn')}<DateText value={japanToday(new Date())} /></p>
    </article>
  );
}
