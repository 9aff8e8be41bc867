import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { api } from '../api.ts';
import { isHub } from '../access.ts';
import { Choice } from '../components/Form.tsx';
import { Pager } from '../components/Pager.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { ReferralCard } from '../referrals/ReferralCard.tsx';
import { useSignedInSession } from '../session.tsx';
import type { ReferralBox } from '../types.ts';
import { useImmediate } from '../useImmediate.ts';
import { useResource } from '../useResource.ts';

const BOXES: readonly ReferralBox[] = ['incoming', 'outgoing', 'overdue'];

/**
 * つなぎ（紹介）: referrals this organisation received, those it sent, and
 * the overdue ones (the hub: every organisation's). The receiving
 * organisation moves each along from here. Tab and filter live in the URL.
 */
export function ReferralsPage() {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const hub = isHub(session.role);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const raw = params.get('box');
  const box: ReferralBox = (BOXES as readonly string[]).includes(raw ?? '') ? (raw as ReferralBox) : 'incoming';
  const openOnly = params.get('open') === '1';
  const [openShown, showOpen] = useImmediate(openOnly);
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`referrals:${box}:${openOnly}:${cursor ?? ''}`, (signal) =>
    api.listReferrals({ box, ...(openOnly ? { open: true } : {}), cursor }, signal));
  usePageTitle(t('referral.title'));

  const link = (next: { box?: ReferralBox; open?: boolean; cursor?: string }) => {
    const p = new URLSearchParams();
    const b = next.box ?? box;
    if (b !== 'incoming') p.set('box', b);
    if (next.open ?? openOnly) p.set('open', '1');
    if (next.cursor) p.set('cursor', next.cursor);
    const query = p.toString();
    return query ? `/referrals?${query}` : '/referrals';
  };

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('referral.title')}</h1>
        <div className="page__actions no-print">
          <button type="button" className="button button--secondary" onClick={reload}>{t('queue.refresh')}</button>
          <PrintButton />
        </div>
      </div>
      <p className="page__intro">{t('referral.intro')}</p>

      <nav aria-label={t('referral.tabs')} className="tabs no-print">
        <ul>
          {BOXES.map((b) => (
            <li key={b}><Link to={link({ box: b })} aria-current={box === b ? 'page' : undefined}>{t(`referral.box.${b}`)}</Link></li>
          ))}
        </ul>
      </nav>
      <p className="print-only">{t(`referral.box.${box}`)}</p>
      <p className="section__hint box-hint">{box === 'overdue' && hub ? t('referral.boxHint.overdueHub') : t(`referral.boxHint.${box}`)}</p>

      <div className="filter filter--inline no-print">
        <Choice
          type="checkbox" name="referrals-open" value="1" checked={openShown}
          onChange={(on) => { showOpen(on); navigate(link({ open: on }), { replace: true }); }} label={t('referral.openOnly')}
        />
      </div>

      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <p className="count queue-count" role="status">{t('referral.count', { count: resource.data.items.length })}</p>
          {resource.data.items.length === 0
            ? <p className="empty">{t(`referral.empty.${box}`)}</p>
            : (
              <ul className="queue" data-testid="referrals">
                {resource.data.items.map((r) => <ReferralCard key={`${r.id}:${r.version}`} referral={r} showCase level={2} />)}
              </ul>
            )}
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => link({ cursor: c })} />
        </>
      )}
    </article>
  );
}
