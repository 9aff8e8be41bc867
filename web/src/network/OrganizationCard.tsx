import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { Badge } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { OrgLink, organizationPath } from '../components/Links.tsx';
import { LocalName } from '../components/LocalName.tsx';
import { Notes } from '../components/Notes.tsx';
import type { Organization } from '../types.ts';
import { useNetwork } from './NetworkProvider.tsx';

/** Badges shown wherever an organisation is introduced: 庁内/庁外, 中心窓口, 無効. */
export function OrganizationBadges({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  return (
    <p className="badges">
      {organization.internal
        ? <Badge tone="internal">{t('organization.internal')}</Badge>
        : <Badge tone="external">{t('organization.external')}</Badge>}
      {organization.hub && <Badge tone="hub">{t('organization.hub')}</Badge>}
      {organization.partner && <Badge tone="wide-area">{t('partner.groupLabel', { prefecture: organization.partner.prefectureName })}</Badge>}
      {!organization.active && <Badge tone="muted">{t('organization.inactive')}</Badge>}
    </p>
  );
}

/** Names of the areas an organisation serves; none listed means the whole municipality. */
export function AreaNames({ areaIds }: { areaIds: readonly string[] }) {
  const { t } = useTranslation();
  const { areasById } = useNetwork();
  if (areaIds.length === 0) return <>{t('organization.wholeMunicipality')}</>;
  return (
    <ul className="inline-list" lang="ja">
      {areaIds.map((id) => <li key={id}>{areasById.get(id)?.name ?? id}</li>)}
    </ul>
  );
}

/** One organisation in the network overview. */
export function OrganizationCard({ organization }: { organization: Organization }) {
  const { t } = useTranslation();
  const { organizationsById } = useNetwork();
  const parent = organization.parentId ? organizationsById.get(organization.parentId) : undefined;
  return (
    <li className="card" data-testid="organization-item">
      <h4 className="card__title">
        <Link to={organizationPath(organization.id)}><LocalName item={organization} /></Link>
      </h4>
      {organization.nameKana && <p className="card__kana" lang="ja">{organization.nameKana}</p>}
      <OrganizationBadges organization={organization} />
      <Facts>
        {parent && <Fact label={t('organization.parent')}><OrgLink org={parent} /></Fact>}
        {organization.staffCount !== null && (
          <Fact label={t('organization.staffCount')}>{t('organization.staffCountValue', { count: organization.staffCount })}</Fact>
        )}
        {organization.openedOn && <Fact label={t('organization.openedOn')}><DateText value={organization.openedOn} /></Fact>}
        {organization.areaIds.length > 0 && (
          <Fact label={t('organization.areas')}><AreaNames areaIds={organization.areaIds} /></Fact>
        )}
        {organization.focus && <Fact label={t('organization.focus')}><span lang="ja">{organization.focus}</span></Fact>}
      </Facts>
      {organization.description && <p className="card__description" lang="ja">{organization.description}</p>}
      <Notes notes={organization.notes} />
    </li>
  );
}
