import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import { ErrorPanel } from '../components/Status.tsx';
import type { CaseSummary, Person } from '../types.ts';
import { BirthText, PersonNameText } from './CaseParts.tsx';

type SearchState =
  | { status: 'idle' }
  | { status: 'loading' }
  | { status: 'ok'; items: Person[] }
  | { status: 'error'; error: unknown };

/**
 * 氏名・ふりがなで検索: persons this organisation may see, by kanji or kana
 * (any width). The server answers persons, not cases; a found person's cases
 * are linked only when they are on the case list page already loaded —
 * otherwise the page says so plainly rather than guess. Each search is
 * recorded on the server (audit), and the query is kept out of the URL.
 */
export function PersonSearch({ loadedCases }: { loadedCases: readonly CaseSummary[] }) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const [state, setState] = useState<SearchState>({ status: 'idle' });
  const [missing, setMissing] = useState(false);
  const controller = useRef<AbortController | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const q = query.trim();
    if (!q) {
      setMissing(true);
      return;
    }
    setMissing(false);
    controller.current?.abort();
    const c = new AbortController();
    controller.current = c;
    setState({ status: 'loading' });
    try {
      const res = await api.searchPersons(q, c.signal);
      if (!c.signal.aborted) setState({ status: 'ok', items: res.items });
    } catch (error) {
      if (!c.signal.aborted) setState({ status: 'error', error });
    }
  }

  function clear() {
    controller.current?.abort();
    setQuery('');
    setState({ status: 'idle' });
    setMissing(false);
  }

  return (
    <section className="person-search filter no-print" aria-labelledby="person-search-label">
      <form role="search" onSubmit={onSubmit} noValidate aria-labelledby="person-search-label">
        <label id="person-search-label" htmlFor="person-search-input">{t('cases.search.label')}</label>
        <p id="person-search-hint" className="filter__hint">{t('cases.search.hint')}</p>
        <div className="filter__row">
          <input
            id="person-search-input" type="search" lang="ja" maxLength={100} autoComplete="off" value={query}
            aria-describedby={missing ? 'person-search-hint person-search-error' : 'person-search-hint'} aria-invalid={missing ? true : undefined}
            onChange={(e) => { setQuery(e.target.value); if (missing) setMissing(false); }}
          />
          <button type="submit" className="button">{t('cases.search.submit')}</button>
          {state.status !== 'idle' && <button type="button" className="button button--secondary" onClick={clear}>{t('cases.search.clear')}</button>}
        </div>
        {missing && <p id="person-search-error" className="field__error" role="alert">{t('cases.search.required')}</p>}
      </form>
      <div className="person-search__results">
        <p role="status" className="filter__result">
          {state.status === 'loading' ? t('cases.search.searching') : state.status === 'ok' ? t('cases.search.results', { count: state.items.length }) : ''}
        </p>
        {state.status === 'error' && <ErrorPanel error={state.error} />}
        {state.status === 'ok' && state.items.length > 0 && (
          <ul className="person-results" data-testid="person-results">
            {state.items.map((p) => <PersonResult key={p.id} person={p} cases={loadedCases.filter((c) => c.person?.id === p.id)} />)}
          </ul>
        )}
      </div>
    </section>
  );
}

function PersonResult({ person: p, cases }: { person: Person; cases: CaseSummary[] }) {
  const { t } = useTranslation();
  return (
    <li className="person-result" data-testid="person-result">
      <p className="person-result__name">
        <strong><PersonNameText name={p.name} /></strong>
        {p.nameKana && <span className="candidate__kana" lang="ja">{p.nameKana}</span>}
        <span className="person-result__birth"><BirthText birthDate={p.birthDate} ageBand={p.ageBand} /></span>
      </p>
      {cases.length > 0
        ? (
          <p className="person-result__cases">
            {t('cases.search.casesHere')}
            <span className="inline-list">
              {cases.map((c, i) => (
                <span key={c.id}>{i > 0 && t('cases.search.separator')}<Link to={`/cases/${encodeURIComponent(c.id)}`}>{c.reference}</Link></span>
              ))}
            </span>
          </p>
        )
        : <p className="person-result__cases muted-text">{t('cases.search.notOnPage')}</p>}
    </li>
  );
}
