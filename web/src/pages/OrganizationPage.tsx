import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError, api } from '../api.ts';
import { DateText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { MeetingSeriesLink, OrgLink, OrgLinkList } from '../components/Links.tsx';
import { LocalName, useLocalName } from '../components/LocalName.tsx';
import { Notes } from '../components/Notes.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { formatCadence } from '../lib/cadence.ts';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import { AreaNames, OrganizationBadges } from '../network/OrganizationCard.tsx';
import { ProgramCard } from '../network/ProgramCard.tsx';
import type { Contact, OrganizationDetail, Program, Ref } from '../types.ts';
import { useResource } from '../useResource.ts';
import { NotFound } from './NotFoundPage.tsx';

export function OrganizationPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [resource, reload] = useResource(`organization:${id}`, (signal) => api.getOrganization(id, signal));
  const localName = useLocalName();
  usePageTitle(resource.status === 'ok' ? localName(resource.data.organization).text : null);

  if (resource.status === 'loading') return <Loading />;
  if (resource.status === 'error') {
    if (isUnknownOrganization(resource.error)) {
      return <NotFound message={t('notFound.organization')} />;
    }
    return <ErrorPanel error={resource.error} onRetry={reload} />;
  }
  return <OrganizationView detail={resource.data} />;
}

/** 404, or 400 on the id itself: an id that is not even well-formed names nothing. */
function isUnknownOrganization(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  return error.status === 404 || (error.status === 400 && error.fields.some((f) => f.field.replace(/^\//, '') === 'id'));
}

function OrganizationView({ detail }: { detail: OrganizationDetail }) {
  const { t, i18n } = useTranslation();
  const { label } = useVocabulary();
  const { organization: org, parent, children } = detail;
  // The name in the other language, so both are on the page (and on paper).
  const otherName = i18n.language === 'en' && org.nameEn
    ? { label: t('organization.otherName'), text: org.name, lang: 'ja' }
    : org.nameEn ? { label: t('organization.englishName'), text: org.nameEn, lang: 'en' } : null;

  return (
    <article className="page">
      <nav aria-label={t('organization.breadcrumb')} className="breadcrumb no-print">
        <ol>
          <li><Link to="/">{t('header.network')}</Link></li>
          <li><Link to="/#organizations">{t('network.organizations')}</Link></li>
          <li aria-current="page"><LocalName item={org} /></li>
        </ol>
      </nav>
      <div className="page__heading">
        <h1><LocalName item={org} /></h1>
        <PrintButton />
      </div>
      {org.nameKana && <p className="card__kana" lang="ja">{org.nameKana}</p>}
      <OrganizationBadges organization={org} />

      <section aria-labelledby="details-heading" className="section">
        <h2 id="details-heading">{t('organization.details')}</h2>
        <Facts wide>
          {otherName && <Fact label={otherName.label}><span lang={otherName.lang}>{otherName.text}</span></Fact>}
          <Fact label={t('organization.kind')}>{label('organizationKinds', org.kind)}</Fact>
          <Fact label={t('organization.placement')}>{org.internal ? t('organization.internal') : t('organization.external')}</Fact>
          {parent && <Fact label={t('organization.parent')}><OrgLink org={parent} /></Fact>}
          {children.length > 0 && <Fact label={t('organization.children')}><OrgLinkList orgs={children} /></Fact>}
          {org.staffCount !== null && (
            <Fact label={t('organization.staffCount')}>{t('organization.staffCountValue', { count: org.staffCount })}</Fact>
          )}
          {org.openedOn && <Fact label={t('organization.openedOn')}><DateText value={org.openedOn} /></Fact>}
          <Fact label={t('organization.areas')}><AreaNames areaIds={org.areaIds} /></Fact>
          {org.focus && <Fact label={t('organization.focus')}><span lang="ja">{org.focus}</span></Fact>}
          {org.description && <Fact label={t('organization.description')}><span lang="ja">{org.description}</span></Fact>}
        </Facts>
        {org.contact && <ContactFacts contact={org.contact} />}
        <Notes notes={org.notes} />
      </section>

      <ProgramSection
        id="programs-owned" title={t('organization.programsOwned')} hint={t('organization.programsOwnedHint')}
        programs={detail.programsOwned} current={org.id}
      />
      <ProgramSection
        id="programs-run" title={t('organization.programsRun')} hint={t('organization.programsRunHint')}
        programs={detail.programsRun} current={org.id}
      />
      <MeetingSeriesSection series={detail.meetingSeries} />
    </article>
  );
}

function ContactFacts({ contact }: { contact: Contact }) {
  const { t } = useTranslation();
  if (!contact.address && !contact.phone && !contact.email && !contact.url && !contact.hours) return null;
  return (
    <>
      <h3>{t('organization.contact')}</h3>
      <Facts>
        {contact.address && <Fact label={t('organization.address')}><span lang="ja">{contact.address}</span></Fact>}
        {contact.phone && <Fact label={t('organization.phone')}><a href={`tel:${contact.phone.replace(/[^\d+]/g, '')}`}>{contact.phone}</a></Fact>}
        {contact.email && <Fact label={t('organization.email')}><a href={`mailto:${contact.email}`}>{contact.email}</a></Fact>}
        {contact.url && isWebUrl(contact.url) && (
          <Fact label={t('organization.url')}><a href={contact.url} rel="noopener noreferrer">{contact.url}</a></Fact>
        )}
        {contact.hours && <Fact label={t('organization.hours')}><span lang="ja">{contact.hours}</span></Fact>}
      </Facts>
    </>
  );
}

/** Only http(s) links are made clickable; a profile could hold any URI scheme. */
function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

interface ProgramSectionProps {
  id: string;
  title: string;
  hint: string;
  programs: Program[];
  current: string;
}

function ProgramSection({ id, title, hint, programs, current }: ProgramSectionProps) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby={`${id}-heading`} className="section">
      <h2 id={`${id}-heading`}>{title} <span className="count">{t('network.count', { count: programs.length })}</span></h2>
      {programs.length === 0
        ? <p className="empty">{t('organization.none')}</p>
        : (
          <>
            <p className="section__hint">{hint}</p>
            <ul className="cards">
              {programs.map((p) => <ProgramCard key={p.id} program={p} current={current} />)}
            </ul>
          </>
        )}
    </section>
  );
}

function MeetingSeriesSection({ series }: { series: Ref[] }) {
  const { t, i18n } = useTranslation();
  const { meetingSeriesById } = useNetwork();
  const { label } = useVocabulary();
  return (
    <section aria-labelledby="meeting-series-heading" className="section">
      <h2 id="meeting-series-heading">{t('organization.meetingSeries')} <span className="count">{t('network.count', { count: series.length })}</span></h2>
      {series.length === 0
        ? <p className="empty">{t('organization.none')}</p>
        : (
          <ul className="plain-list">
            {series.map((s) => {
              const full = meetingSeriesById.get(s.id);
              const cadence = formatCadence(full?.cadence, i18n.language);
              return (
                <li key={s.id}>
                  <MeetingSeriesLink series={s} />
                  {full && (
                    <span className="plain-list__meta">
                      {[cadence, label('legalBases', full.legalBasis)].filter(Boolean).join(' / ')}
                    </span>
                  )}
                </li>
              );
            })}
          </ul>
        )}
    </section>
  );
}
