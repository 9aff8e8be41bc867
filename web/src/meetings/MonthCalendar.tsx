import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { formatDate } from '../lib/dates.ts';
import { japanClock, monthGrid, monthOf } from '../lib/meetings.ts';
import type { MeetingSession } from '../types.ts';
import { MovedFrom, SessionStatusBadge } from './parts.tsx';

const WEEKDAYS = [0, 1, 2, 3, 4, 5, 6] as const;

/**
 * A month of sessions of every series, Sunday to Saturday. A session moved
 * off a public holiday says from which day; a cancelled one says so.
 */
export function MonthCalendar({ month, sessions, today, linkSessions = true }: { month: string; sessions: MeetingSession[]; today: string; linkSessions?: boolean }) {
  const { t, i18n } = useTranslation();
  const grid = monthGrid(month);
  const byDate = new Map<string, MeetingSession[]>();
  for (const s of sessions) byDate.set(s.date, [...(byDate.get(s.date) ?? []), s]);
  return (
    <div className="table-wrap">
      <table className="table meeting-calendar" data-testid="meeting-calendar">
        <caption>{t('meetings.calendar.caption', { month: formatDate(month, i18n.language) })}</caption>
        <thead>
          <tr>{WEEKDAYS.map((d) => <th key={d} scope="col" className={`meeting-calendar__weekday--${d}`}>{t(`meetings.weekdayShort.${d}`)}</th>)}</tr>
        </thead>
        <tbody>
          {grid.weeks.map((week) => (
            <tr key={week[0]}>
              {week.map((date) => {
                const outside = monthOf(date) !== month;
                const list = byDate.get(date) ?? [];
                const classes = ['meeting-calendar__day', outside ? 'meeting-calendar__day--outside' : '', date === today ? 'meeting-calendar__day--today' : ''].filter(Boolean).join(' ');
                return (
                  <td key={date} className={classes} data-date={date} aria-current={date === today ? 'date' : undefined}>
                    <span className="meeting-calendar__date">
                      <span aria-hidden="true">{Number(date.slice(8, 10))}</span>
                      <span className="visually-hidden">{formatDate(date, i18n.language)}</span>
                    </span>
                    {list.length > 0 && (
                      <ul className="meeting-calendar__sessions">
                        {list.map((s) => (
                          <li key={s.id} className={s.status === 'cancelled' ? 'meeting-calendar__session meeting-calendar__session--cancelled' : 'meeting-calendar__session'} data-testid="calendar-session">
                            {linkSessions ? (
                              <Link to={`/meetings/sessions/${encodeURIComponent(s.id)}`}>
                                {japanClock(s.startsAt)} <span lang="ja">{s.series.name}</span>
                              </Link>
                            ) : <>{japanClock(s.startsAt)} <span lang="ja">{s.series.name}</span></>}
                            {s.series.statutory && <span className="meeting-calendar__mark">{t('meetings.series.statutory')}</span>}
                            {s.movedFrom && <MovedFrom from={s.movedFrom} short />}
                            {s.status !== 'scheduled' && <SessionStatusBadge status={s.status} />}
                          </li>
                        ))}
                      </ul>
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
