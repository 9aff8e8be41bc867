import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { mayAnswerProposals, mayWriteVisits } from '../access.ts';
import { DateText } from '../components/DateText.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { visitDocumentOf, withItemKind } from '../lib/prefecture.ts';
import { prefectureApi } from '../prefecture/api.ts';
import { KindLabel, ProposalEntry } from '../prefecture/parts.tsx';
import type { Visit, VisitItem, VisitItemKind } from '../prefecture/types.ts';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';
import { NotFound } from './NotFoundPage.tsx';
import { VISIT_ITEM_KINDS } from '../../../src/modules/prefecture/visitDocument/itemKinds.ts';
import { visitDocumentBlocks, type VisitBlock } from '../../../src/modules/prefecture/visitDocument/layout.ts';

/**
 * One visit record in the centre's own layout (【市名】, ■ fields, ○ headings,
 * ・ points, ⇒ sub-points), for A4; below it the centre's items with their
 * kinds and, for proposals, where each stands.
 */
export function PrefectureVisitPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { role } = useSignedInSession();
  const [resource, reload] = useResource(`prefecture-visit:${id}`, (signal) => prefectureApi.getVisit(id, signal));
  const [updated, setUpdated] = useState<Visit | null>(null);
  const visit = updated && updated.id === id ? updated : resource.status === 'ok' ? resource.data : null;
  usePageTitle(visit ? t('prefecture.visit.title', { name: visit.municipality.name }) : t('prefecture.visits.title'));
  if (!visit) {
    if (resource.status === 'error') {
      if (resource.error instanceof ApiError && resource.error.status === 404) return <NotFound message={t('prefecture.visit.notFound')} />;
      return <ErrorPanel error={resource.error} onRetry={reload} />;
    }
    return <Loading />;
  }
  const replaceItem = (item: VisitItem) => setUpdated({
    ...visit,
    items: visit.items.map((i) => (i.id === item.id ? item : i)),
    earlierOpenProposals: visit.earlierOpenProposals.map((i) => (i.id === item.id ? item : i)),
  });
  const reloadAll = () => { setUpdated(null); reload(); };
  return (
    <article className="page visit-page">
      <div className="page__heading no-print">
        <p><Link to="/prefecture/visits">{t('prefecture.visit.back')}</Link></p>
        <div className="page__actions">
          <PrintButton />
          <Downloads visit={visit} />
        </div>
      </div>
      <h1 className="no-print">{t('prefecture.visit.title', { name: visit.municipality.name })}</h1>
      <VisitDocumentView visit={visit} />
      {visit.unplaced.length > 0 && (
        <section className="section notice notice--limited" aria-labelledby="unplaced-title" data-testid="unplaced">
          <h2 id="unplaced-title">{t('prefecture.visit.unplaced')}</h2>
          <p>{t('prefecture.visit.unplacedHint')}</p>
          <ul className="plain-list">{visit.unplaced.map((l, i) => <li key={i} lang="ja" className="prewrap">{l}</li>)}</ul>
        </section>
      )}
      <CentreItems visit={visit} canCorrect={mayWriteVisits(role)} canAnswer={mayAnswerProposals(role)} onChanged={setUpdated} onItem={replaceItem} onStale={reloadAll} />
      <section className="section" aria-labelledby="earlier-title">
        <h2 id="earlier-title">{t('prefecture.visit.earlierOpen')}</h2>
        {visit.earlierOpenProposals.length === 0 ? <p>{t('prefecture.visit.noEarlierOpen')}</p> : (
          <ul className="plain-list" data-testid="earlier-open">
            {visit.earlierOpenProposals.map((p) => (
              <li key={p.id} className="doc-record">
                <p className="doc-note">{p.visitDate ? <DateText value={p.visitDate} /> : t('prefecture.proposals.fromFindings')}</p>
                <ProposalEntry proposal={p} canAnswer={mayAnswerProposals(role)} onAnswered={replaceItem} />
              </li>
            ))}
          </ul>
        )}
      </section>
    </article>
  );
}

/** The record as the centre prints it, block by block from the document layer's layout. */
function VisitDocumentView({ visit }: { visit: Visit }) {
  const { t } = useTranslation();
  const blocks = visitDocumentBlocks(visitDocumentOf(visit));
  return (
    <section className="visit-doc" lang="ja" aria-label={t('prefecture.visit.document')} data-testid="visit-document">
      {blocks.map((b, i) => <Block key={i} block={b} />)}
    </section>
  );
}

function Block({ block }: { block: VisitBlock }) {
  switch (block.type) {
    case 'municipality':
      return <p className="visit-doc__municipality">【{block.text}】</p>;
    case 'field': {
      const [first = '', ...rest] = block.lines;
      return (
        <div className="visit-doc__field">
          <p>■{block.label}：{first}</p>
          {rest.map((l, i) => <p key={i} className="visit-doc__continued">{l}</p>)}
        </div>
      );
    }
    case 'heading':
      return <h2 className="visit-doc__heading">○{block.text}</h2>;
    case 'point':
      return <p className="visit-doc__point">・{block.text}</p>;
    case 'subPoint':
      return <p className="visit-doc__sub">⇒{block.text}</p>;
  }
}

function Downloads({ visit }: { visit: Visit }) {
  const { t } = useTranslation();
  const [state, setState] = useState<{ busy: boolean; message: string }>({ busy: false, message: '' });
  const run = async (format: 'docx' | 'txt') => {
    setState({ busy: true, message: '' });
    try {
      const name = await prefectureApi.downloadRecord(visit.id, format, `${visit.municipality.name}_${visit.date}.${format}`);
      setState({ busy: false, message: t('prefecture.visit.downloaded', { name }) });
    } catch (e) {
      setState({ busy: false, message: errorMessage(t, e) });
    }
  };
  return (
    <>
      <button type="button" className="button button--secondary" disabled={state.busy} onClick={() => void run('docx')}>{t('prefecture.visit.docx')}</button>
      <button type="button" className="button button--secondary" disabled={state.busy} onClick={() => void run('txt')}>{t('prefecture.visit.txt')}</button>
      <p role="status" className="visit-page__download-status">{state.message}</p>
    </>
  );
}

function CentreItems({ visit, canCorrect, canAnswer, onChanged, onItem, onStale }: {
  visit: Visit; canCorrect: boolean; canAnswer: boolean; onChanged: (v: Visit) => void; onItem: (i: VisitItem) => void; onStale: () => void;
}) {
  const { t } = useTranslation();
  if (visit.items.length === 0) return null;
  return (
    <section className="section" aria-labelledby="items-title">
      <h2 id="items-title">{t('prefecture.visit.items')}</h2>
      <ol className="plain-list" data-testid="centre-items">
        {visit.items.map((item) => (
          <li key={item.id} className="doc-record" data-testid="centre-item">
            <p className="doc-note">
              {item.heading && <span lang="ja">{item.heading}　</span>}
              <strong><KindLabel kind={item.kind} /></strong>
              {item.kindSetBy === 'staff' && <> {t('prefecture.visit.kindByStaff')}</>}
            </p>
            {item.kind === 'proposal'
              ? <ProposalEntry proposal={{ ...item, heading: null }} canAnswer={canAnswer} onAnswered={onItem} />
              : <p lang="ja">{item.text}</p>}
            {/* an answered proposal stays a proposal (the server refuses it too) */}
            {canCorrect && !(item.kind === 'proposal' && item.history.length > 1) && <KindCorrection visit={visit} item={item} onChanged={onChanged} onStale={onStale} />}
          </li>
        ))}
      </ol>
    </section>
  );
}

function KindCorrection({ visit, item, onChanged, onStale }: { visit: Visit; item: VisitItem; onChanged: (v: Visit) => void; onStale: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<VisitItemKind>(item.kind);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ text: string; stale: boolean } | null>(null);
  const id = `kind-${item.id}`;
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      onChanged(await prefectureApi.updateVisit(visit.id, withItemKind(visit, item.id, kind)));
    } catch (e) {
      const stale = e instanceof ApiError && e.status === 409;
      const fields = e instanceof ApiError && e.status === 400 ? e.fields.map((f) => f.message).join(' ') : '';
      setError({ text: stale ? t('prefecture.visit.stale') : fields || errorMessage(t, e), stale });
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="kind-form no-print" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <label htmlFor={id}>{t('prefecture.visit.kindLabel')}</label>{' '}
      <select id={id} value={kind} onChange={(e) => setKind(e.target.value as VisitItemKind)}>
        {VISIT_ITEM_KINDS.map((k) => <option key={k.kind} value={k.kind}>{t(`prefecture.kind.${k.kind}`)}</option>)}
      </select>{' '}
      <button type="submit" className="button button--secondary" disabled={busy || kind === item.kind}>{t('prefecture.visit.saveKind')}</button>
      {error && (
        <div role="alert" className="field__error">
          <p>{error.text}</p>
          {error.stale && <button type="button" className="button" onClick={onStale}>{t('prefecture.visit.reload')}</button>}
        </div>
      )}
    </form>
  );
}
