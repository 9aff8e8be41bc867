import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { mayWriteVisits } from '../access.ts';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { visitDocumentOf } from '../lib/prefecture.ts';
import { prefectureApi } from '../prefecture/api.ts';
import { ProposalEntry } from '../prefecture/parts.tsx';
import type { MunicipalityRef, VisitDraft } from '../prefecture/types.ts';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';
import { renderVisitDocument } from '../../../src/modules/prefecture/visitDocument/layout.ts';

/**
 * 訪問記録: the centre's network-building visits (a municipality's hub: the
 * visits to it). The centre writes a new record in its own text format,
 * filled in from the municipality's profile and counts, or imports one it
 * wrote elsewhere.
 */
export function PrefectureVisitsPage() {
  const { t } = useTranslation();
  const { role } = useSignedInSession();
  const centre = mayWriteVisits(role);
  const [params, setParams] = useSearchParams();
  const municipality = params.get('municipality') ?? '';
  const [mode, setMode] = useState<'list' | 'new' | 'import'>('list');
  const [municipalities] = useResource(`prefecture-municipalities:${centre}`, (signal) =>
    centre ? prefectureApi.municipalities(signal) : Promise.resolve({ items: [] as MunicipalityRef[] }));
  const [visits, reload] = useResource(`prefecture-visits:${municipality}`, (signal) => prefectureApi.listVisits({ municipality: municipality || undefined }, signal));
  usePageTitle(t(centre ? 'prefecture.visits.title' : 'prefecture.visits.titleHub'));
  const choices = municipalities.status === 'ok' ? municipalities.data.items : [];

  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t(centre ? 'prefecture.visits.title' : 'prefecture.visits.titleHub')}</h1>
        {centre && mode === 'list' && (
          <div className="page__actions no-print">
            <button type="button" className="button" onClick={() => setMode('new')}>{t('prefecture.visits.new')}</button>
            <button type="button" className="button button--secondary" onClick={() => setMode('import')}>{t('prefecture.visits.import')}</button>
          </div>
        )}
      </div>
      <p className="page__intro">{t(centre ? 'prefecture.visits.intro' : 'prefecture.visits.introHub')}</p>

      {mode === 'new' && <NewVisit municipalities={choices} onCancel={() => setMode('list')} />}
      {mode === 'import' && <ImportVisit onCancel={() => setMode('list')} />}

      {mode === 'list' && (
        <>
          {centre && (
            <div className="field filter-bar no-print">
              <label htmlFor="visit-municipality">{t('prefecture.visits.filter')}</label>
              <select
                id="visit-municipality" value={municipality}
                onChange={(e) => setParams(e.target.value ? { municipality: e.target.value } : {})}
              >
                <option value="">{t('prefecture.visits.all')}</option>
                {choices.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
              </select>
            </div>
          )}
          {visits.status === 'loading' && <Loading />}
          {visits.status === 'error' && <ErrorPanel error={visits.error} onRetry={reload} />}
          {visits.status === 'ok' && (visits.data.items.length === 0
            ? <p className="empty">{t('prefecture.visits.empty')}</p>
            : (
              <div className="table-wrap">
                <table className="table" data-testid="visits">
                  <thead>
                    <tr>
                      <th scope="col">{t('prefecture.visits.municipality')}</th>
                      <th scope="col">{t('prefecture.visits.date')}</th>
                      <th scope="col">{t('prefecture.visits.purpose')}</th>
                      <th scope="col">{t('prefecture.visits.proposals')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {visits.data.items.map((v) => (
                      <tr key={v.id}>
                        <td lang="ja">{v.municipality.name}</td>
                        <td>
                          <Link to={`/prefecture/visits/${encodeURIComponent(v.id)}`}>
                            <DateText value={v.date} />{v.startTime && <> {v.startTime}～{v.endTime ?? ''}</>}
                          </Link>
                        </td>
                        <td lang="ja">{v.purpose}</td>
                        <td>{t('prefecture.visits.counts', v.proposals)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </>
      )}
    </article>
  );
}

/** The server's refusal of a text, said next to the text area (messages arrive in the UI language). */
function useImport() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [general, setGeneral] = useState<string | null>(null);
  const send = async (text: string) => {
    setBusy(true);
    setProblems([]);
    setGeneral(null);
    try {
      const visit = await prefectureApi.importText(text);
      navigate(`/prefecture/visits/${encodeURIComponent(visit.id)}`);
    } catch (e) {
      // the text is the only thing sent: every field the server names is a line of it to correct
      const fields = e instanceof ApiError ? e.fields : [];
      if (fields.length) setProblems(fields.map((f) => f.message));
      else setGeneral(errorMessage(t, e));
      setBusy(false);
    }
  };
  return { busy, problems, general, send };
}

function RecordText({ id, label, value, onChange, problems, hint }: { id: string; label: string; value: string; onChange: (v: string) => void; problems: string[]; hint?: string }) {
  return (
    <div className={problems.length ? 'field field--invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {hint && <p id={`${id}-hint`} className="field__hint">{hint}</p>}
      <textarea
        id={id} className="record-text" lang="ja" rows={30} value={value} onChange={(e) => onChange(e.target.value)}
        aria-invalid={problems.length ? true : undefined}
        aria-describedby={[hint ? `${id}-hint` : null, problems.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined}
      />
      {problems.length > 0 && (
        <ul id={`${id}-error`} className="field__error" role="alert">
          {problems.map((p, i) => <li key={i}>{p}</li>)}
        </ul>
      )}
    </div>
  );
}

function NewVisit({ municipalities, onCancel }: { municipalities: MunicipalityRef[]; onCancel: () => void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [draft, setDraft] = useState<{ data: VisitDraft; text: string } | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const { busy, problems, general, send } = useImport();
  const load = async () => {
    if (!code) return;
    setLoading(true);
    setLoadError(null);
    try {
      const data = await prefectureApi.draft(code);
      setDraft({ data, text: renderVisitDocument(visitDocumentOf(data)) });
    } catch (e) {
      setLoadError(e);
    } finally {
      setLoading(false);
    }
  };
  return (
    <section className="section" aria-labelledby="new-visit-title">
      <h2 id="new-visit-title">{t('prefecture.visits.new')}</h2>
      {!draft && (
        <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); void load(); }}>
          <div className="field">
            <label htmlFor="new-visit-municipality">{t('prefecture.visits.chooseMunicipality')}</label>
            <select id="new-visit-municipality" value={code} required onChange={(e) => setCode(e.target.value)}>
              <option value="">{t('prefecture.visits.choose')}</option>
              {municipalities.map((m) => <option key={m.code} value={m.code}>{m.name}</option>)}
            </select>
          </div>
          <button type="submit" className="button" disabled={!code || loading}>{t('prefecture.visits.startDraft')}</button>
          <button type="button" className="button button--secondary" onClick={onCancel}>{t('prefecture.visits.cancel')}</button>
        </form>
      )}
      {loading && <Loading />}
      {loadError !== null && <ErrorPanel error={loadError} onRetry={() => void load()} />}
      {draft && (
        <div className="visit-editor">
          <form onSubmit={(e) => { e.preventDefault(); void send(draft.text); }}>
            <RecordText
              id="new-visit-text" label={t('prefecture.visits.recordText', { name: draft.data.municipality.name })} hint={t('prefecture.visits.textHint')}
              value={draft.text} onChange={(text) => setDraft({ ...draft, text })} problems={problems}
            />
            {general && <p className="form-error" role="alert">{general}</p>}
            <div className="form-actions">
              <button type="submit" className="button" disabled={busy}>{t('prefecture.visits.record')}</button>
              <button type="button" className="button button--secondary" onClick={onCancel}>{t('prefecture.visits.cancel')}</button>
            </div>
          </form>
          <aside className="visit-editor__aside" aria-labelledby="open-proposals-title">
            <h3 id="open-proposals-title">{t('prefecture.visit.earlierOpen')}</h3>
            {draft.data.openProposals.length === 0 ? <p>{t('prefecture.visit.noEarlierOpen')}</p> : (
              <ul className="plain-list" data-testid="open-proposals">
                {draft.data.openProposals.map((p) => (
                  <li key={p.id} className="doc-record">
                    <p className="doc-note">{p.visitDate ? <DateText value={p.visitDate} /> : t('prefecture.proposals.fromFindings')}</p>
                    <ProposalEntry proposal={p} canAnswer={false} onAnswered={() => {}} />
                  </li>
                ))}
              </ul>
            )}
          </aside>
        </div>
      )}
    </section>
  );
}

function ImportVisit({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [fileError, setFileError] = useState<string | null>(null);
  const { busy, problems, general, send } = useImport();
  const readFile = async (file: File | undefined) => {
    if (!file) return;
    setFileError(null);
    try {
      setText(await file.text());
    } catch {
      setFileError(t('prefecture.visits.fileUnreadable'));
    }
  };
  return (
    <section className="section" aria-labelledby="import-visit-title">
      <h2 id="import-visit-title">{t('prefecture.visits.import')}</h2>
      <form onSubmit={(e) => { e.preventDefault(); if (text.trim()) void send(text); }}>
        <div className="field">
          <label htmlFor="import-file">{t('prefecture.visits.file')}</label>
          <input id="import-file" type="file" accept=".txt,text/plain" onChange={(e) => void readFile(e.target.files?.[0])} />
          {fileError && <p className="field__error" role="alert">{fileError}</p>}
        </div>
        <RecordText id="import-text" label={t('prefecture.visits.pasteText')} hint={t('prefecture.visits.textHint')} value={text} onChange={setText} problems={problems} />
        {general && <p className="form-error" role="alert">{general}</p>}
        <div className="form-actions">
          <button type="submit" className="button" disabled={busy || !text.trim()}>{t('prefecture.visits.record')}</button>
          <button type="button" className="button button--secondary" onClick={onCancel}>{t('prefecture.visits.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
