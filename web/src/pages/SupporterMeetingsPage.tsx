import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { MeetingError, MeetingState, MeetingWhen, RegisterForm } from '../prefecture/SupporterMeetingParts.tsx';
import { supporterMeetingsApi, type SupporterMeeting } from '../prefecture/supporterMeetings.ts';
import { useResource } from '../useResource.ts';

/**
 * 支援者交流会・研修 for a municipality's hub and window staff: the
 * centre's meetings their municipality is invited to, with free places and
 * the deadline; register themselves or a colleague, and cancel their
 * municipality's registrations.
 */
export function SupporterMeetingsPage() {
  const { t } = useTranslation();
  usePageTitle(t('supporterMeetings.title'));
  const [version, setVersion] = useState(0);
  const [list, reload] = useResource(`supporter-meetings:${version}`, (signal) => supporterMeetingsApi.list({}, signal));
  const [openId, setOpenId] = useState<string | null>(null);
  return (
    <article className="page">
      <div className="page__heading"><h1>{t('supporterMeetings.title')}</h1></div>
      <p className="page__intro">{t('supporterMeetings.intro')}</p>
      {list.status === 'loading' && <Loading />}
      {list.status === 'error' && <ErrorPanel error={list.error} onRetry={reload} />}
      {list.status === 'ok' && (list.data.items.length === 0 ? <p className="empty">{t('supporterMeetings.none')}</p> : (
        <table className="data-table" data-testid="supporter-meetings">
          <caption className="visually-hidden">{t('supporterMeetings.listCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('supporterMeetings.kindLabel')}</th><th scope="col">{t('supporterMeetings.meetingTitle')}</th><th scope="col">{t('supporterMeetings.when')}</th>
              <th scope="col">{t('supporterMeetings.free')}</th><th scope="col">{t('supporterMeetings.deadline')}</th><th scope="col">{t('supporterMeetings.stateLabel')}</th><th scope="col"><span className="visually-hidden">{t('supporterMeetings.open')}</span></th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((m) => (
              <tr key={m.id} data-testid="supporter-meeting-row">
                <td>{t(`supporterMeetings.kind.${m.kind}`)}</td>
                <td lang="ja">{m.title}</td>
                <td><MeetingWhen m={m} /></td>
                <td>{t('supporterMeetings.freeOf', { free: m.free, capacity: m.capacity })}</td>
                <td><DateText value={m.registrationDeadline} /></td>
                <td><MeetingState m={m} /></td>
                <td><button type="button" className="button" aria-pressed={openId === m.id} onClick={() => setOpenId(m.id)}>{t('supporterMeetings.open')}<span className="visually-hidden">: {m.title}</span></button></td>
              </tr>
            ))}
          </tbody>
        </table>
      ))}
      {openId && <MunicipalMeeting id={openId} key={openId} onChanged={() => setVersion((v) => v + 1)} />}
    </article>
  );
}

function MunicipalMeeting({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const [resource, reload] = useResource(`supporter-meeting:${id}`, (signal) => supporterMeetingsApi.get(id, signal));
  const [shown, setShown] = useState<SupporterMeeting | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') return <ErrorPanel error={resource.error} onRetry={reload} />;
  const m = shown ?? resource.data;
  const changed = (next: SupporterMeeting) => {
    setShown(next);
    onChanged();
  };
  const unregister = async (registrationId: string) => {
    setError(null);
    try {
      changed(await supporterMeetingsApi.unregister(registrationId));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <section data-testid="supporter-meeting" aria-labelledby="supporter-meeting-title">
      <h2 id="supporter-meeting-title" lang="ja">{t(`supporterMeetings.kind.${m.kind}`)}：{m.title}</h2>
      <p><MeetingWhen m={m} />　<MeetingState m={m} /></p>
      <p>{t('supporterMeetings.freeOf', { free: m.free, capacity: m.capacity })}　{t('supporterMeetings.deadline')}: <DateText value={m.registrationDeadline} /></p>
      {m.cancelled && <p className="doc-note" role="note">{t('supporterMeetings.cancelledBecause', { reason: m.cancelled.reason })}</p>}
      {m.description && <p className="doc-note" lang="ja">{m.description}</p>}
      <h3>{t('supporterMeetings.ourRegistrations')}</h3>
      {m.registrations.length === 0 ? <p className="empty">{t('supporterMeetings.noRegistrations')}</p> : (
        <ul className="plain-list" data-testid="our-registrations">
          {m.registrations.map((r) => (
            <li key={r.id} className="doc-record" data-testid="registration">
              <span lang="ja">{r.name}</span>{r.section ? `（${r.section}` : ''}{r.section && r.job ? `・${r.job}）` : r.section ? '）' : r.job ? `（${r.job}）` : ''}
              {r.attended !== null && `　${t(r.attended ? 'supporterMeetings.attended' : 'supporterMeetings.absent')}`}
              {!m.held && !m.cancelled && (
                <button type="button" className="button" onClick={() => unregister(r.id)}>{t('supporterMeetings.unregister')}<span className="visually-hidden">: {r.name}</span></button>
              )}
            </li>
          ))}
        </ul>
      )}
      {error != null && <MeetingError error={error} />}
      {m.open ? <RegisterForm meeting={m} onDone={changed} /> : !m.cancelled && !m.held && <p className="doc-note">{t('supporterMeetings.closed')}</p>}
    </section>
  );
}
