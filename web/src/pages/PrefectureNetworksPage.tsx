import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Badge } from '../components/Badge.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { formatCadence } from '../lib/cadence.ts';
import { proposalSentence } from '../lib/prefecture.ts';
import { prefectureApi } from '../prefecture/api.ts';
import { FiscalYearPicker, ProposalStatusBadge, useFiscalYearParam } from '../prefecture/parts.tsx';
import type { Count, GapFinding, MunicipalityNetwork, NetworkPart } from '../prefecture/types.ts';
import type { Cadence } from '../types.ts';
import { useResource } from '../useResource.ts';
import i18n from '../i18n/index.ts';

/**
 * ネットワーク比較: the municipalities the centre works with side by side,
 * network part by part (organisations, programs, meetings, the fiscal year's
 * counts with small ones suppressed), and each one's gap findings, which the
 * centre turns into proposals.
 */
export function PrefectureNetworksPage() {
  const { t, i18n: { language } } = useTranslation();
  const en = language === 'en';
  const { fiscalYear, current } = useFiscalYearParam();
  const [resource, reload] = useResource(`prefecture-networks:${fiscalYear}`, (signal) => prefectureApi.networks(fiscalYear, signal));
  usePageTitle(t('prefecture.networks.title'));
  return (
    <article className="page networks-page">
      <div className="page__heading">
        <h1>{t('prefecture.networks.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p className="page__intro">{t('prefecture.networks.intro')}</p>
      <FiscalYearPicker id="networks-year" path="/prefecture/networks" fiscalYear={fiscalYear} current={current} />
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (() => {
        const view = resource.data;
        return (
          <>
            <div className="table-wrap">
              <table className="table networks-table" data-testid="networks">
                <caption>{t('prefecture.networks.caption', { year: en ? view.labelEn : view.label })}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('prefecture.networks.part')}</th>
                    {view.municipalities.map((m) => <th key={m.municipality.id} scope="col" lang="ja">{m.municipality.name}</th>)}
                  </tr>
                </thead>
                <tbody>
                  {view.roles.map((r) => (
                    <tr key={r.code}>
                      <th scope="row">{en ? r.en : <span lang="ja">{r.ja}</span>}</th>
                      {view.municipalities.map((m) => {
                        const part = m.parts.find((p) => p.role === r.code);
                        return <td key={m.municipality.id}>{part ? <PartCell part={part} /> : <span className="muted">—</span>}</td>;
                      })}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <p className="doc-note">{t('prefecture.networks.suppressed', { n: view.suppressBelow })}</p>
            <h2>{t('prefecture.networks.findings')}</h2>
            <div className="findings-columns">
              {view.municipalities.map((m) => <Findings key={m.municipality.id} network={m} onChanged={reload} />)}
            </div>
          </>
        );
      })()}
    </article>
  );
}

function count(c: Count): string {
  return typeof c === 'number' ? String(c) : c;
}

function PartCell({ part }: { part: NetworkPart }) {
  const { t, i18n: { language } } = useTranslation();
  const empty = part.organizations.length + part.programs.length + part.meetings.length === 0;
  return (
    <div className="part-cell" lang="ja">
      {empty && <span className="muted">—</span>}
      {part.organizations.length > 0 && <ul className="plain-list">{part.organizations.map((o) => <li key={o.id}>{o.name}</li>)}</ul>}
      {part.programs.length > 0 && (
        <ul className="plain-list part-cell__programs">
          {part.programs.map((p) => <li key={p.id}>{p.name}{p.status === 'planned' && <> <Badge tone="planned">{t('prefecture.networks.planned')}</Badge></>}</li>)}
        </ul>
      )}
      {part.meetings.length > 0 && (
        <ul className="plain-list part-cell__meetings">
          {part.meetings.map((s) => {
            const cadence = formatCadence(s.cadence as Cadence, language);
            return <li key={s.id}>{s.name}{cadence && <>（{cadence}）</>}</li>;
          })}
        </ul>
      )}
      <p className="part-cell__counts">{t('prefecture.networks.counts', { consultations: count(part.consultations), referrals: count(part.referralsReceived) })}</p>
    </div>
  );
}

function Findings({ network, onChanged }: { network: MunicipalityNetwork; onChanged: () => void }) {
  const { t } = useTranslation();
  return (
    <section className="findings" aria-labelledby={`findings-${network.municipality.code}`} data-testid={`findings-${network.municipality.code}`}>
      <h3 id={`findings-${network.municipality.code}`} lang="ja">{network.municipality.name}</h3>
      {network.findings.length === 0 ? <p>{t('prefecture.networks.noFindings')}</p> : (
        <ul className="plain-list">
          {network.findings.map((f, i) => (
            <li key={`${f.rule.key}:${i}`} className="doc-record finding" data-testid="finding" data-rule={f.rule.key}>
              <Finding finding={f} code={network.municipality.code} onChanged={onChanged} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function Finding({ finding, code, onChanged }: { finding: GapFinding; code: string; onChanged: () => void }) {
  const { t, i18n: { language } } = useTranslation();
  const en = language === 'en';
  const [open, setOpen] = useState(false);
  const [text, setText] = useState(() => proposalSentence(finding));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = t(`prefecture.checks.${finding.rule.check}`, { defaultValue: finding.rule.check });
  const id = `proposal-${code}-${finding.rule.key}-${(finding.subject ?? '').length}`;
  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      // the heading is stored in the record's language: Japanese whatever the screen shows
      await prefectureApi.propose({ municipalityCode: code, gapRuleKey: finding.rule.key, heading: i18n.getFixedT('ja')(`prefecture.checks.${finding.rule.check}`, { defaultValue: finding.rule.check }), text: text.trim() });
      onChanged();
    } catch (e) {
      setError(errorMessage(t, e));
      setBusy(false);
    }
  };
  return (
    <>
      <p className="doc-record__title">{label}{finding.proposal && <> <ProposalStatusBadge status={finding.proposal.status} /></>}</p>
      {(finding.subject || finding.subjectEn) && <p lang={en && finding.subjectEn ? 'en' : 'ja'}>{en ? finding.subjectEn ?? finding.subject : finding.subject}</p>}
      <p className="finding__reason" lang={en && finding.rule.reasonEn ? 'en' : 'ja'}>{en ? finding.rule.reasonEn ?? finding.rule.reason : finding.rule.reason}</p>
      {!finding.proposal && !open && (
        <button type="button" className="button button--secondary no-print" onClick={() => setOpen(true)}>{t('prefecture.networks.propose')}</button>
      )}
      {!finding.proposal && open && (
        <form className="no-print" onSubmit={(e) => { e.preventDefault(); if (text.trim()) void send(); }}>
          <div className="field">
            <label htmlFor={id}>{t('prefecture.networks.proposalText')}</label>
            <textarea id={id} lang="ja" rows={3} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
          </div>
          {error && <p className="field__error" role="alert">{error}</p>}
          <div className="form-actions">
            <button type="submit" className="button" disabled={busy || !text.trim()}>{t('prefecture.networks.send')}</button>
            <button type="button" className="button button--secondary" onClick={() => setOpen(false)}>{t('prefecture.visits.cancel')}</button>
          </div>
        </form>
      )}
    </>
  );
}
