import { useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Fact, Facts } from '../components/Facts.tsx';
import { useLocalName } from '../components/LocalName.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { matchesQuery } from '../lib/search.ts';
import { AreaTable } from '../network/AreaTable.tsx';
import { MeetingSeriesCard } from '../network/MeetingSeriesCard.tsx';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import { OrganizationCard } from '../network/OrganizationCard.tsx';
import { ProgramCard } from '../network/ProgramCard.tsx';
import type { Organization, Program } from '../types.ts';

const STATUS_ORDER: Record<Program['status'], number> = { active: 0, planned: 1, ended: 2 };

/** 支援ネットワーク: the signed-in municipality's organisations, programs, meetings and areas. */
export function NetworkPage() {
  const { t, i18n } = useTranslation();
  const { network } = useNetwork();
  const localName = useLocalName();
  const [query, setQuery] = useState('');
  const municipality = localName(network.municipality);
  const title = t('network.title', { municipality: municipality.text });
  usePageTitle(title);
  useScrollToHashOnce();

  const organizations = useMemo(
    () => network.organizations.filter((o) => matchesQuery(query, [o.name, o.nameKana, o.nameEn])),
    [network, query],
  );
  const programs = useMemo(
    () => network.programs
      .filter((p) => matchesQuery(query, [p.name, p.nameEn]))
      // Stable sort: the profile's order within each status.
      .sort((a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status]),
    [network, query],
  );
  const filtering = query.trim() !== '';

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{title}</h1>
        <PrintButton />
      </div>
      <Facts wide>
        <Fact label={t('network.prefecture')}><span lang="ja">{network.municipality.prefecture}</span></Fact>
        <Fact label={t('network.municipalityCode')}>{network.municipality.code}</Fact>
        {network.municipality.population !== null && (
          <Fact label={t('network.population')}>
            {t('network.populationValue', { value: network.municipality.population.toLocaleString(i18n.language) })}
          </Fact>
        )}
      </Facts>

      <nav aria-label={t('network.contents')} className="page-contents no-print">
        <ul>
          <li><a href="#organizations">{t('network.organizations')}</a></li>
          <li><a href="#programs">{t('network.programs')}</a></li>
          <li><a href="#meeting-series">{t('network.meetingSeries')}</a></li>
          <li><a href="#areas">{t('network.areas')}</a></li>
        </ul>
        <p className="page-contents__map"><Link to="/network/map">{t('networkMap.linkText')}</Link></p>
      </nav>

      <NameFilter
        query={query}
        onChange={setQuery}
        result={filtering ? t('network.filterResult', { organizations: organizations.length, programs: programs.length }) : ''}
      />

      <OrganizationSection organizations={organizations} filtering={filtering} />

      <ProgramSection programs={programs} filtering={filtering} />

      <section id="meeting-series" aria-labelledby="meeting-series-heading" className="section" tabIndex={-1}>
        <h2 id="meeting-series-heading">{t('network.meetingSeries')} <Count n={network.meetingSeries.length} /></h2>
        <EmptyNote shown={network.meetingSeries.length === 0} filtering={false} />
        <ul className="cards cards--wide">
          {network.meetingSeries.map((series) => <MeetingSeriesCard key={series.id} series={series} />)}
        </ul>
      </section>

      <section id="areas" aria-labelledby="areas-heading" className="section" tabIndex={-1}>
        <h2 id="areas-heading">{t('network.areas')} <Count n={network.areas.length} /></h2>
        <EmptyNote shown={network.areas.length === 0} filtering={false} />
        {network.areas.length > 0 && <AreaTable areas={network.areas} />}
      </section>
    </article>
  );
}

function OrganizationSection({ organizations, filtering }: { organizations: Organization[]; filtering: boolean }) {
  const { t } = useTranslation();
  const { label, order } = useVocabulary();
  const groups = useMemo(() => groupByKind(organizations, order('organizationKinds')), [organizations, order]);
  return (
    <section id="organizations" aria-labelledby="organizations-heading" className="section" data-testid="organization-list" tabIndex={-1}>
      <h2 id="organizations-heading">{t('network.organizations')} <Count n={organizations.length} /></h2>
      <EmptyNote shown={organizations.length === 0} filtering={filtering} />
      {groups.map(([kind, members]) => (
        <section key={kind} aria-labelledby={`organization-kind-${kind}`} className="subsection">
          <h3 id={`organization-kind-${kind}`}>{label('organizationKinds', kind)} <Count n={members.length} /></h3>
          <ul className="cards">
            {members.map((o) => <OrganizationCard key={o.id} organization={o} />)}
          </ul>
        </section>
      ))}
    </section>
  );
}

function ProgramSection({ programs, filtering }: { programs: Program[]; filtering: boolean }) {
  const { t } = useTranslation();
  const { label, order } = useVocabulary();
  const groups = useMemo(() => groupByKind(programs, order('programKinds')), [programs, order]);
  return (
    <section id="programs" aria-labelledby="programs-heading" className="section" tabIndex={-1}>
      <h2 id="programs-heading">{t('network.programs')} <Count n={programs.length} /></h2>
      <EmptyNote shown={programs.length === 0} filtering={filtering} />
      {groups.map(([kind, members]) => (
        <section key={kind} aria-labelledby={`program-kind-${kind}`} className="subsection">
          <h3 id={`program-kind-${kind}`}>{label('programKinds', kind)} <Count n={members.length} /></h3>
          <ul className="cards cards--wide">
            {members.map((p) => <ProgramCard key={p.id} program={p} headingLevel={4} />)}
          </ul>
        </section>
      ))}
    </section>
  );
}

/** Items grouped by kind, kinds in vocabulary order, unknown kinds last; order within a kind kept. */
function groupByKind<T extends { kind: string }>(items: readonly T[], kindOrder: readonly string[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(item.kind);
    if (group) group.push(item);
    else groups.set(item.kind, [item]);
  }
  const rank = (kind: string) => {
    const i = kindOrder.indexOf(kind);
    return i === -1 ? kindOrder.length : i;
  };
  return [...groups].sort(([a], [b]) => rank(a) - rank(b));
}

function NameFilter({ query, onChange, result }: { query: string; onChange(q: string): void; result: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className="filter no-print" role="search">
      <label htmlFor={`${id}-q`}>{t('network.filterLabel')}</label>
      <div className="filter__row">
        <input
          id={`${id}-q`} type="search" value={query} onChange={(e) => onChange(e.target.value)}
          aria-describedby={`${id}-hint`}
        />
        {query && (
          <button type="button" className="button button--secondary" onClick={() => onChange('')}>
            {t('network.clearFilter')}
          </button>
        )}
      </div>
      <p id={`${id}-hint`} className="filter__hint">{t('network.filterHint')}</p>
      <p className="filter__result" role="status">{result}</p>
    </div>
  );
}

function Count({ n }: { n: number }) {
  const { t } = useTranslation();
  return <span className="count">{t('network.count', { count: n })}</span>;
}

function EmptyNote({ shown, filtering }: { shown: boolean; filtering: boolean }) {
  const { t } = useTranslation();
  if (!shown) return null;
  return <p className="empty">{filtering ? t('network.noMatches') : t('network.empty')}</p>;
}

/**
 * On a fresh load of '/#meeting-series-…' the target only exists once the
 * network has loaded, after the layout's own scroll-to-hash has run.
 */
function useScrollToHashOnce() {
  useEffect(() => {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const target = id ? document.getElementById(id) : null;
    target?.scrollIntoView({ block: 'start' });
  }, []);
}
