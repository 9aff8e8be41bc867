import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { mayAnswerProposals, mayWriteVisits } from '../access.ts';
import { DateText } from '../components/DateText.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { prefectureApi } from '../prefecture/api.ts';
import { ProposalEntry } from '../prefecture/parts.tsx';
import type { Proposal, VisitItem } from '../prefecture/types.ts';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';

/**
 * センターからの提案: every proposal of the centre, open ones first, with
 * where each stands; the municipality's hub answers them here.
 */
export function PrefectureProposalsPage() {
  const { t } = useTranslation();
  const { role } = useSignedInSession();
  const [params, setParams] = useSearchParams();
  // the box follows the click at once; the address follows it for reloads and links
  const [openOnly, setOpenOnly] = useState(params.get('open') === '1');
  const [resource, reload] = useResource(`prefecture-proposals:${openOnly}`, (signal) => prefectureApi.listProposals({ open: openOnly }, signal));
  const [answered, setAnswered] = useState<Record<string, VisitItem>>({});
  usePageTitle(t('prefecture.proposals.title'));
  const canAnswer = mayAnswerProposals(role);
  const showMunicipality = mayWriteVisits(role);
  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('prefecture.proposals.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p className="page__intro">{t(canAnswer ? 'prefecture.proposals.introHub' : 'prefecture.proposals.intro')}</p>
      <label className="choice no-print">
        <input type="checkbox" checked={openOnly} onChange={(e) => { setOpenOnly(e.target.checked); setParams(e.target.checked ? { open: '1' } : {}, { replace: true }); }} /> {t('prefecture.proposals.openOnly')}
      </label>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (resource.data.items.length === 0
        ? <p className="empty">{t('prefecture.proposals.empty')}</p>
        : (
          <ul className="plain-list" data-testid="proposals">
            {resource.data.items.map((p) => {
              const shown: Proposal = { ...p, ...(answered[p.id] ?? {}) };
              return (
                <li key={p.id} className="doc-record" data-testid="proposal">
                  <p className="doc-note">
                    {showMunicipality && <><span lang="ja">{p.municipality.name}</span>　</>}
                    {p.visitDate && p.visitId
                      ? <Link to={`/prefecture/visits/${encodeURIComponent(p.visitId)}`}>{t('prefecture.proposals.visitOf')}<DateText value={p.visitDate} /></Link>
                      : t('prefecture.proposals.fromFindings')}
                  </p>
                  <ProposalEntry proposal={shown} canAnswer={canAnswer} onAnswered={(item) => setAnswered((a) => ({ ...a, [item.id]: item }))} />
                </li>
              );
            })}
          </ul>
        ))}
    </article>
  );
}
