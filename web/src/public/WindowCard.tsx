import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocalName } from '../components/LocalName.tsx';
import type { PublicWindow } from './navigatorApi.ts';

/** A phone number as a tel: link (digits and + only, so a phone dials it). */
const telHref = (n: string) => `tel:${n.normalize('NFKC').replace(/[^0-9+]/g, '')}`;

/**
 * One window (窓口) for residents: its name, what it does, who runs it, and
 * how to reach it. `headingLevel` keeps the page's outline right where it is
 * used; `children` come after the description (the reasons, on the navigator).
 */
export function WindowCard({ window: w, headingLevel = 3, children, testId }: { window: PublicWindow; headingLevel?: 2 | 3; children?: ReactNode; testId?: string }) {
  const { t } = useTranslation();
  const localName = useLocalName();
  const name = localName(w);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const c = w.contact;
  const hasContact = c.phones.length > 0 || c.email || c.website || c.address || c.hours.length > 0;
  return (
    <article className="window-card" data-testid={testId} data-window-id={w.id} aria-labelledby={`window-${w.id}`}>
      <Heading id={`window-${w.id}`} className="window-card__name"><span lang={name.lang}>{name.text}</span></Heading>
      {w.organization && (
        <p className="window-card__runner">{t('windows.runBy')} <span lang={localName(w.organization).lang}>{localName(w.organization).text}</span></p>
      )}
      {w.notice && <p className="window-card__notice" lang="ja">{w.notice}</p>}
      {w.description && <p className="window-card__description" lang="ja">{w.description}</p>}
      {children}
      <dl className="window-card__facts">
        {w.eligibility && (
          <>
            <dt>{t('windows.forWhom')}</dt>
            <dd lang="ja">{w.eligibility}</dd>
          </>
        )}
        {w.services.length > 0 && (
          <>
            <dt>{t('windows.services')}</dt>
            <dd>
              <ul className="window-card__services">
                {w.services.map((s) => <li key={s.id} lang={localName(s).lang}>{localName(s).text}</li>)}
              </ul>
            </dd>
          </>
        )}
        {w.channels.length > 0 && (
          <>
            <dt>{t('windows.howToReach')}</dt>
            <dd>{w.channels.map((ch) => t(`windows.channel.${ch}`, { defaultValue: ch })).join(t('windows.listSeparator'))}</dd>
          </>
        )}
        {c.phones.map((p) => (
          <PhoneFact key={p.number} number={p.number} note={p.note} />
        ))}
        {c.address && (
          <>
            <dt>{t('windows.address')}</dt>
            <dd lang="ja">{c.address}</dd>
          </>
        )}
        {c.hours.length > 0 && (
          <>
            <dt>{t('windows.hours')}</dt>
            <dd lang="ja">{c.hours.join(' / ')}</dd>
          </>
        )}
        {c.email && (
          <>
            <dt>{t('windows.email')}</dt>
            <dd><a href={`mailto:${c.email}`}>{c.email}</a></dd>
          </>
        )}
        {c.website && /^https?:\/\//.test(c.website) && (
          <>
            <dt>{t('windows.website')}</dt>
            <dd><a href={c.website} rel="noopener noreferrer">{c.website}</a></dd>
          </>
        )}
      </dl>
      {!hasContact && <p className="window-card__no-contact">{t('windows.noContact')}</p>}
    </article>
  );
}

function PhoneFact({ number, note }: { number: string; note: string | null }) {
  const { t } = useTranslation();
  return (
    <>
      <dt>{t('windows.phone')}</dt>
      <dd>
        <a className="window-card__phone" href={telHref(number)}>{number}</a>
        {note && <span className="window-card__phone-note" lang="ja">{note}</span>}
      </dd>
    </>
  );
}
