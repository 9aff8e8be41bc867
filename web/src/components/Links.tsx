import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { Ref } from '../types.ts';
import { LocalName } from './LocalName.tsx';

export const organizationPath = (id: string) => `/organizations/${encodeURIComponent(id)}`;
export const meetingSeriesPath = (id: string) => `/#meeting-series-${id}`;

/**
 * A link to an organisation's page. References carry only the Japanese name,
 * so the English one comes from the loaded network.
 */
export function OrgLink({ org, current }: { org: Ref; current?: string }) {
  const { t } = useTranslation();
  const { organizationsById } = useNetwork();
  const known = organizationsById.get(org.id);
  const name = <LocalName item={known ?? org} />;
  if (org.id === current) {
    return <span className="self">{name}{t('organization.thisOrganization')}</span>;
  }
  return <Link to={organizationPath(org.id)}>{name}</Link>;
}

/** Organisations as an inline list, 「A、B、C」. */
export function OrgLinkList({ orgs, current }: { orgs: readonly Ref[]; current?: string }) {
  return (
    <ul className="inline-list">
      {orgs.map((org) => <li key={org.id}><OrgLink org={org} current={current} /></li>)}
    </ul>
  );
}

export function MeetingSeriesLink({ series }: { series: Ref }) {
  const { meetingSeriesById } = useNetwork();
  return <Link to={meetingSeriesPath(series.id)}><LocalName item={meetingSeriesById.get(series.id) ?? series} /></Link>;
}
