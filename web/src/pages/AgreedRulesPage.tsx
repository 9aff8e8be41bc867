import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { mayViewRules } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateText } from '../components/DateText.tsx';
import { Choice, FormField } from '../components/Form.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { supersededBy } from '../lib/meetings.ts';
import { meetingsApi } from '../meetings/api.ts';
import { useSignedInSession } from '../session.tsx';
import { useImmediate } from '../useImmediate.ts';
import { useResource } from '../useResource.ts';

/** A routing rule's id as profiles write it (profile.schema.json); anything else is shown, not linked. */
const ROUTING_RULE_ID = /^[a-z0-9][a-z0-9-]*$/;

/**
 * 統一見解: the rules the city agreed in its meetings and applies from then
 * on, each with the session it came from; changed only by a later decision,
 * so an ended rule says which rule replaced it. Search and filter live in the
 * URL (?q=…&ended=1).
 */
export function AgreedRulesPage() {
  const { t } = useTranslation();
  const { role } = useSignedInSession();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const ended = params.get('ended') === '1';
  const [typed, setTyped] = useState(q);
  const [endedShown, showEnded] = useImmediate(ended);
  const [resource, reload] = useResource(`agreed-rules:${q}:${ended}`, (signal) =>
    meetingsApi.listRules({ ...(q ? { q } : {}), ...(ended ? { include: 'ended' as const } : {}) }, signal));
  usePageTitle(t('agreedRules.title'));
  const apply = (next: { q?: string; ended?: boolean }) => {
    const p = new URLSearchParams();
    const query = (next.q ?? q).trim();
    if (query) p.set('q', query);
    if (next.ended ?? ended) p.set('ended', '1');
    setParams(p, { replace: true });
  };
  const rules = resource.status === 'ok' ? resource.data.items : [];
  const replacedBy = supersededBy(rules);
  const linkRouting = mayViewRules(role);

  return (
    <article className="page agreed-rules">
      <div className="page__heading">
        <h1>{t('agreedRules.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p className="page__intro">{t('agreedRules.intro')}</p>
      <form role="search" className="filter no-print" aria-label={t('agreedRules.search')} onSubmit={(e: FormEvent) => { e.preventDefault(); apply({ q: typed }); }}>
        <div className="filter__row">
          <FormField id="rules-q" label={t('agreedRules.search')}>
            {(control) => <input {...control} type="search" lang="ja" maxLength={100} value={typed} onChange={(e) => setTyped(e.target.value)} />}
          </FormField>
          <button type="submit" className="button button--secondary">{t('agreedRules.searchButton')}</button>
        </div>
        <Choice type="checkbox" name="rules-ended" value="1" checked={endedShown} onChange={(on) => { showEnded(on); apply({ ended: on }); }} label={t('agreedRules.includeEnded')} />
      </form>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <p className="count" role="status">{t('agreedRules.count', { count: rules.length })}</p>
          {rules.length === 0 ? <p className="empty">{q ? t('agreedRules.noneFound') : t('agreedRules.none')}</p> : (
            <ul className="records" data-testid="agreed-rules">
              {rules.map((r) => {
                const next = replacedBy.get(r.id);
                return (
                  <li key={r.id} id={`agreed-rule-${r.number}`} className={r.endedAt ? 'record card agreed-rule agreed-rule--ended' : 'record card agreed-rule'} data-testid="agreed-rule" aria-labelledby={`agreed-rule-${r.id}`}>
                    <h2 className="record__title" id={`agreed-rule-${r.id}`}>
                      {t('agreedRules.number', { n: r.number })} <span lang="ja">{r.title}</span>
                      {' '}{r.endedAt ? <Badge tone="ended">{t('agreedRules.ended')}</Badge> : <Badge tone="active">{t('agreedRules.inForce')}</Badge>}
                    </h2>
                    <p className="prewrap" lang="ja">{r.body}</p>
                    <dl className="queue__facts">
                      <div><dt>{t('agreedRules.inForceFrom')}</dt><dd><DateText value={r.inForceFrom} /></dd></div>
                      <div>
                        <dt>{t('agreedRules.source')}</dt>
                        <dd><Link to={`/meetings/sessions/${encodeURIComponent(r.source.sessionId)}`}><span lang="ja">{r.source.seriesName}</span>（<DateText value={r.source.date} />）</Link></dd>
                      </div>
                      {r.routingRuleKey && (
                        <div>
                          <dt>{t('agreedRules.routingRule')}</dt>
                          <dd>{linkRouting && ROUTING_RULE_ID.test(r.routingRuleKey) ? <Link to={`/routing/rules#rule-${r.routingRuleKey}`}>{r.routingRuleKey}</Link> : <code>{r.routingRuleKey}</code>}</dd>
                        </div>
                      )}
                      {r.supersedes && (
                        <div><dt>{t('agreedRules.supersedes')}</dt><dd><a href={`#agreed-rule-${r.supersedes.number}`}>{t('agreedRules.number', { n: r.supersedes.number })}</a></dd></div>
                      )}
                      {r.endedAt && (
                        <div>
                          <dt>{t('agreedRules.endedBy')}</dt>
                          <dd>
                            {next ? <a href={`#agreed-rule-${next.number}`}>{t('agreedRules.replacedBy', { n: next.number })}</a> : t('agreedRules.endedByDecision')}
                            {r.endedBy && <>（<Link to={`/meetings/sessions/${encodeURIComponent(r.endedBy.sessionId)}`}><DateText value={r.endedBy.date} /></Link>）</>}
                          </dd>
                        </div>
                      )}
                    </dl>
                  </li>
                );
              })}
            </ul>
          )}
        </>
      )}
    </article>
  );
}
