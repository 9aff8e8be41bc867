import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import type { DuplicateCandidate, Person, PersonInput } from '../types.ts';
import { BirthText, PersonNameText } from './CaseParts.tsx';

/** Long enough not to ask on every key, short enough to follow the user (as the routing panel). */
const DEBOUNCE_MS = 400;

/**
 * 「すでに登録されている方かもしれません」 beside the person fields: known
 * persons whose name, reading and birth date match (two of the three), each
 * with 「この方で開始」. Only the outcome is announced, not every update.
 */
export function DuplicateCandidates({ query, onChoose }: { query: PersonInput | null; onChoose(person: Person): void }) {
  const { t } = useTranslation();
  const key = JSON.stringify(query);
  const [items, setItems] = useState<DuplicateCandidate[] | null>(null);
  const [pending, setPending] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!query) {
      setItems(null);
      setPending(false);
      return;
    }
    const controller = new AbortController();
    setPending(true);
    const timer = setTimeout(() => {
      api.findDuplicatePersons(query, controller.signal).then(
        (res) => {
          setItems(res.items);
          setFailed(false);
          setPending(false);
        },
        () => {
          if (controller.signal.aborted) return;
          setFailed(true);
          setPending(false);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
    // `key` is the query's content; the object is new on every render.
  }, [key]);

  if (!query) return null;
  return (
    <section className="duplicates" aria-labelledby="duplicates-heading" data-testid="duplicates">
      <h3 id="duplicates-heading">{t('newCase.duplicates')}</h3>
      <p className="duplicates__status" role="status">
        {items && !pending ? (items.length === 0 ? t('newCase.noDuplicates') : t('newCase.duplicatesCount', { count: items.length })) : ''}
      </p>
      {pending && <p className="status-loading" aria-hidden="true">{t('newCase.checking')}</p>}
      {failed && <p className="form-error">{t('newCase.checkFailed')}</p>}
      {items && items.length > 0 && (
        <>
          <p className="section__hint">{t('newCase.duplicatesHint')}</p>
          <ul className={pending ? 'candidates candidates--stale' : 'candidates'}>
            {items.map(({ person, matches }) => (
              <li key={person.id} className="candidate" data-testid="candidate">
                <p className="candidate__name"><strong><PersonNameText name={person.name} /></strong>{person.nameKana && <span className="candidate__kana" lang="ja">{person.nameKana}</span>}</p>
                <p className="candidate__meta">
                  <BirthText birthDate={person.birthDate} ageBand={person.ageBand} />
                  {' ・ '}{t('newCase.matches')}{matches.map((m) => t(`newCase.match.${m}`)).join(t('newCase.matchJoin'))}
                </p>
                <button type="button" className="button button--small" onClick={() => onChoose(person)}>
                  {t('newCase.useThis')}<span className="visually-hidden">{t('newCase.useThisName', { name: person.name ?? person.nameKana ?? '' })}</span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
