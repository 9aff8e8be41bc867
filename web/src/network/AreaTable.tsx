import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { OrgLinkList } from '../components/Links.tsx';
import { Notes } from '../components/Notes.tsx';
import type { Area } from '../types.ts';
import { useNetwork } from './NetworkProvider.tsx';

/** Areas (e.g. the six 在宅介護・地域包括支援センター areas) and who serves each. */
export function AreaTable({ areas }: { areas: readonly Area[] }) {
  const { t } = useTranslation();
  const { areasById, network } = useNetwork();
  // Most municipalities have one level of areas; an empty column would only add noise.
  const nested = areas.some((a) => a.parentId !== null);
  return (
    <div className="table-wrap">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('area.name')}</th>
            {nested && <th scope="col">{t('area.parent')}</th>}
            <th scope="col">{t('area.organizations')}</th>
            <th scope="col">{t('area.notes')}</th>
          </tr>
        </thead>
        <tbody>
          {areas.map((area) => {
            const servedBy = network.organizations.filter((o) => o.areaIds.includes(area.id));
            const parent = area.parentId ? areasById.get(area.parentId) : undefined;
            return (
              <tr key={area.id} id={`area-${area.id}`}>
                <th scope="row">
                  <span lang="ja">{area.name}</span>
                  {!area.named && <> <Badge tone="muted">{t('area.unnamed')}</Badge></>}
                </th>
                {nested && <td lang="ja">{parent?.name ?? '—'}</td>}
                <td>{servedBy.length > 0 ? <OrgLinkList orgs={servedBy} /> : '—'}</td>
                <td><Notes notes={area.notes} /></td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
