import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { ApiError } from '../api.ts';
import { Choice, ChoiceGroup, ErrorSummary, FormField, focusControl, useRecheckOnLanguageChange } from '../components/Form.tsx';
import { ErrorPanel, Loading, errorMessage } from '../components/Status.tsx';
import { PublicLayout } from '../public/PublicLayout.tsx';
import { WindowCard } from '../public/WindowCard.tsx';
import { asksForMunicipality, MunicipalityChooser, publicPath, useMunicipalityCode } from '../public/municipality.tsx';
import {
  ABOUT, AGE_BANDS, SCHOOL_STAGES, WORRIES, navigatorApi,
  type About, type AgeBand, type NavigatorAnswer, type PublicPartnerGroup, type Question, type SchoolStage, type Worry,
} from '../public/navigatorApi.ts';
import { useResource } from '../useResource.ts';

interface Answers {
  about: About | '';
  age: string;
  ageBand: AgeBand | '';
  schoolStage: SchoolStage | '';
  worries: Worry[];
  canGoOut: 'yes' | 'no' | '';
  area: string;
}
const EMPTY: Answers = { about: '', age: '', ageBand: '', schoolStage: '', worries: [], canGoOut: '', area: '' };

type Field = 'about' | 'age' | 'ageBand' | 'area';
const FIELD_IDS: Record<Field | Question, string> = {
  about: 'navi-about', age: 'navi-age', ageBand: 'navi-age-band', area: 'navi-area', schoolStage: 'navi-school', canGoOut: 'navi-going-out',
};

/**
 * 相談先ナビ: a resident answers a few questions and sees which windows can
 * help, and why, by the same rules staff use at intake. Nothing typed here
 * is kept: the answers go to the server once, in the body of a request that
 * writes nothing, and leave the page when it is closed.
 */
export function PublicNavigatorPage() {
  const { t } = useTranslation();
  const code = useMunicipalityCode();
  const [questions, reloadQuestions] = useResource(`questions:${code ?? ''}`, (signal) => navigatorApi.getQuestions(code, signal));
  const [answers, setAnswers] = useState<Answers>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [checkedHere, setCheckedHere] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<NavigatorAnswer | null>(null);
  const resultsRef = useRef<HTMLHeadingElement>(null);
  const search = useRef<AbortController | null>(null);

  useEffect(() => {
    if (answer) resultsRef.current?.focus();
  }, [answer]);
  useEffect(() => () => search.current?.abort(), []);
  useRecheckOnLanguageChange(checkedHere, () => setErrors(check()));

  const set = <K extends keyof Answers>(key: K, value: Answers[K]) => {
    setAnswers((a) => ({ ...a, [key]: value }));
    if (key in errors) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([f]) => f !== key && !(key === 'age' && f === 'ageBand'))));
  };

  function check(): Partial<Record<Field, string>> {
    const found: Partial<Record<Field, string>> = {};
    if (!answers.about) found.about = t('navigator.errors.aboutRequired');
    const age = answers.age.trim();
    if (age && !/^[0-9０-９]{1,3}$/.test(age)) found.age = t('navigator.errors.ageInvalid');
    else if (age && Number(age.normalize('NFKC')) > 120) found.age = t('navigator.errors.ageInvalid');
    if (age && answers.ageBand) found.ageBand = t('navigator.errors.ageAndBand');
    return found;
  }

  const municipality = questions.status === 'ok' ? questions.data.municipality : answer?.municipality ?? null;
  const areas = questions.status === 'ok' ? questions.data.areas : [];

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    setFailure(null);
    const found = check();
    setErrors(found);
    setCheckedHere(true);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    search.current?.abort();
    const controller = new AbortController();
    search.current = controller;
    setBusy(true);
    try {
      const age = answers.age.trim();
      const result = await navigatorApi.navigate({
        ...(code ? { municipality: code } : {}),
        about: answers.about as About,
        age: age ? Number(age.normalize('NFKC')) : null,
        ageBand: age ? null : answers.ageBand || null,
        schoolStage: answers.schoolStage || null,
        worries: answers.worries,
        canGoOut: answers.canGoOut || null,
        area: answers.area || null,
      }, controller.signal);
      setAnswer(result);
    } catch (error) {
      if (controller.signal.aborted) return;
      if (error instanceof ApiError && error.status === 429) setFailure(t('navigator.errors.throttled'));
      else if (error instanceof ApiError && error.status === 400 && error.fields.length > 0) setFailure(error.fields.map((f) => f.message).join(' '));
      else setFailure(errorMessage(t, error));
      setAttempt((n) => n + 1);
    } finally {
      if (!controller.signal.aborted) setBusy(false);
    }
  }

  const title = t('navigator.title');
  if (questions.status === 'error' && asksForMunicipality(questions.error)) {
    return (
      <PublicLayout municipality={null} title={title} tagline={t('navigator.tagline')}>
        <h1>{title}</h1>
        <MunicipalityChooser page="navigator" />
      </PublicLayout>
    );
  }
  if (questions.status === 'error') {
    return (
      <PublicLayout municipality={null} title={title} tagline={t('navigator.tagline')}>
        <h1>{title}</h1>
        {questions.error instanceof ApiError && questions.error.status === 404
          ? <p>{t('navigator.notServed')}</p>
          : <ErrorPanel error={questions.error} onRetry={reloadQuestions} />}
      </PublicLayout>
    );
  }

  const summary = (['about', 'age', 'ageBand', 'area'] as Field[]).filter((f) => errors[f]).map((f) => ({ id: FIELD_IDS[f], message: errors[f]! }));
  const ageGiven = answers.age.trim() !== '';
  return (
    <PublicLayout municipality={municipality?.name ?? null} title={title} tagline={t('navigator.tagline')}>
      <h1>{title}</h1>
      <div className="public-intro">
        <p>{t('navigator.intro1')}</p>
        <p className="navigator__privacy"><strong>{t('navigator.nothingKept')}</strong></p>
      </div>
      <PublicLinks code={code} here="navigator" />

      {questions.status === 'loading' ? <Loading /> : (
        <form className="concern-form navigator-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
          <ErrorSummary errors={summary} attempt={attempt} general={failure} />

          <ChoiceGroup id={FIELD_IDS.about} label={t('navigator.about')} error={errors.about} required>
            {ABOUT.map((a) => (
              <Choice key={a} type="radio" name="about" value={a} checked={answers.about === a} onChange={() => set('about', a)} label={t(`navigator.aboutValue.${a}`)} />
            ))}
          </ChoiceGroup>

          <fieldset className="field navigator__age">
            <legend>{t('navigator.ageLegend')}</legend>
            <p className="field__hint">{t('navigator.ageHint')}</p>
            <FormField id={FIELD_IDS.age} label={t('navigator.age')} error={errors.age} className="field--short">
              {(control) => (
                <input {...control} type="text" inputMode="numeric" autoComplete="off" maxLength={3}
                  value={answers.age} onChange={(e) => set('age', e.target.value)} />
              )}
            </FormField>
            <FormField id={FIELD_IDS.ageBand} label={t('navigator.ageBand')} error={errors.ageBand}>
              {(control) => (
                <select {...control} value={answers.ageBand} disabled={ageGiven && !answers.ageBand} onChange={(e) => set('ageBand', e.target.value as AgeBand | '')}>
                  <option value="">{t('navigator.unknown')}</option>
                  {AGE_BANDS.map((b) => <option key={b} value={b}>{t(`concern.ageBandValue.${b}`)}</option>)}
                </select>
              )}
            </FormField>
            <FormField id={FIELD_IDS.schoolStage} label={t('navigator.schoolStage')} hint={t('navigator.schoolStageHint')}>
              {(control) => (
                <select {...control} value={answers.schoolStage} onChange={(e) => set('schoolStage', e.target.value as SchoolStage | '')}>
                  <option value="">{t('navigator.notApplicable')}</option>
                  {SCHOOL_STAGES.map((s) => <option key={s} value={s}>{t(`navigator.schoolStageValue.${s}`)}</option>)}
                </select>
              )}
            </FormField>
          </fieldset>

          <ChoiceGroup id="navi-worries" label={t('navigator.worries')} hint={t('navigator.worriesHint')} className="choices--grid">
            {WORRIES.map((w) => (
              <Choice key={w} type="checkbox" name="worries" value={w} checked={answers.worries.includes(w)}
                onChange={(on) => set('worries', on ? [...answers.worries, w] : answers.worries.filter((x) => x !== w))}
                label={t(`navigator.worryValue.${w}`)} />
            ))}
          </ChoiceGroup>

          <ChoiceGroup id={FIELD_IDS.canGoOut} label={t('navigator.canGoOut')}>
            {(['yes', 'no', ''] as const).map((v) => (
              <Choice key={v || 'unknown'} type="radio" name="canGoOut" value={v || 'unknown'} checked={answers.canGoOut === v}
                onChange={() => set('canGoOut', v)} label={t(`navigator.canGoOutValue.${v || 'unknown'}`)} />
            ))}
          </ChoiceGroup>

          {areas.length > 0 && (
            <FormField id={FIELD_IDS.area} label={t('navigator.area')} hint={t('navigator.areaHint')} error={errors.area}>
              {(control) => (
                <select {...control} value={answers.area} onChange={(e) => set('area', e.target.value)}>
                  <option value="">{t('navigator.unknown')}</option>
                  {areas.map((a) => <option key={a.key} value={a.key} lang="ja">{a.name}</option>)}
                </select>
              )}
            </FormField>
          )}

          <div className="form-actions">
            <button type="submit" className="button button--large" disabled={busy}>{t('navigator.submit')}</button>
          </div>
          <p className="status-loading" role="status">{busy ? t('navigator.searching') : ''}</p>
        </form>
      )}

      {answer && <Results answer={answer} code={code} headingRef={resultsRef} />}

      <aside className="emergency" aria-labelledby="emergency-heading">
        <h2 id="emergency-heading">{t('concern.emergencyTitle')}</h2>
        <p>{t('concern.emergency')}</p>
        <ul>
          <li><a href="tel:110">{t('concern.police')}</a></li>
          <li><a href="tel:119">{t('concern.ambulance')}</a></li>
        </ul>
      </aside>
    </PublicLayout>
  );
}

function Results({ answer, code, headingRef }: { answer: NavigatorAnswer; code: string | null; headingRef: React.RefObject<HTMLHeadingElement | null> }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  return (
    <section className="navigator-results" aria-labelledby="navigator-results-heading" data-testid="navigator-results">
      <h2 id="navigator-results-heading" ref={headingRef} tabIndex={-1}>
        {answer.windows.length > 0 ? t('navigator.resultsTitle', { count: answer.windows.length }) : t('navigator.noResultsTitle')}
      </h2>
      {answer.windows.length === 0 && <p>{t('navigator.noResults')}</p>}
      {answer.couldAsk.length > 0 && (
        <div className="navigator__more">
          <p>{t('navigator.couldAsk')}</p>
          <ul>
            {answer.couldAsk.map((q) => (
              <li key={q}>
                <a href={`#${FIELD_IDS[q]}`} onClick={(e) => { e.preventDefault(); focusControl(FIELD_IDS[q]); }}>{t(`navigator.question.${q}`)}</a>
              </li>
            ))}
          </ul>
        </div>
      )}
      <ol className="navigator-results__list">
        {answer.windows.map((w) => (
          <li key={w.id}>
            <WindowCard window={w} testId="navigator-window">
              <div className="window-card__why">
                <h4>{t('navigator.why')}</h4>
                <ul>
                  {w.reasons.map((r) => (
                    <li key={r.ruleId}>
                      <span lang="ja" data-testid="navigator-reason">{r.text}</span>
                      {r.because.length > 0 && (
                        <details className="window-card__because">
                          <summary>{t('navigator.because')}</summary>
                          <ul>{r.because.map((b, i) => <li key={i} lang={english ? 'en' : 'ja'}>{english ? b.en : b.ja}</li>)}</ul>
                        </details>
                      )}
                    </li>
                  ))}
                </ul>
              </div>
              {w.upcoming.length > 0 && (
                <div className="window-card__upcoming">
                  <h4>{t('navigator.upcoming')}</h4>
                  <ul>
                    {w.upcoming.map((u) => (
                      <li key={`${u.service.id}-${u.date}-${u.when}`} data-testid="navigator-upcoming">
                        <time dateTime={u.date} lang="ja">{u.when}</time> <span lang="ja">{u.title ? `${u.title}（${u.service.name}）` : u.service.name}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </WindowCard>
          </li>
        ))}
      </ol>
      {(answer.partnerGroups ?? []).length > 0 && <PartnerGroups groups={answer.partnerGroups!} />}
      <div className="navigator__contact-me">
        <h3>{t('navigator.contactMeTitle')}</h3>
        <p>{t('navigator.contactMe')}</p>
        <Link className="button button--large" to={publicPath(code, 'concern')}>{t('navigator.toConcern')}</Link>
      </div>
    </section>
  );
}

/**
 * The prefecture's partner groups (連携団体) beside the municipality's own
 * windows, labelled as the prefecture's: the prefecture is their source.
 */
function PartnerGroups({ groups }: { groups: PublicPartnerGroup[] }) {
  const { t } = useTranslation();
  const prefectures = [...new Set(groups.map((g) => g.prefecture))];
  return (
    <section className="navigator-partners" aria-labelledby="navigator-partners-heading" data-testid="navigator-partners">
      <h3 id="navigator-partners-heading">{t('navigator.partnersTitle', { prefecture: prefectures.join('・') })}</h3>
      <p>{t('navigator.partnersIntro', { prefecture: prefectures.join('・') })}</p>
      <ul className="navigator-partners__list">
        {groups.map((g) => (
          <li key={g.id} className="card" data-testid="navigator-partner">
            <h4 lang="ja">{g.name}</h4>
            <p className="badges"><span className="badge badge--external">{t(`partner.kind.${g.kind}`)}</span> <span className="badge badge--muted">{t('partner.groupLabel', { prefecture: g.prefecture })}</span></p>
            <p lang="ja">{g.offers}</p>
            {(g.ageMin !== null || g.ageMax !== null) && <p>{t('partner.ages', { range: g.ageMin !== null && g.ageMax !== null ? t('partner.ageRange', { min: g.ageMin, max: g.ageMax }) : g.ageMin !== null ? t('partner.ageFrom', { min: g.ageMin }) : t('partner.ageTo', { max: g.ageMax }) })}</p>}
            <dl className="queue__facts">
              {g.phone && <div><dt>{t('partner.phone')}</dt><dd><a href={`tel:${g.phone.replace(/[^0-9+]/g, '')}`}>{g.phone}</a>{g.hours && <>（<span lang="ja">{g.hours}</span>）</>}</dd></div>}
              {g.email && <div><dt>{t('partner.email')}</dt><dd><a href={`mailto:${g.email}`}>{g.email}</a></dd></div>}
              {g.website && /^https?:\/\//.test(g.website) && <div><dt>{t('partner.website')}</dt><dd><a href={g.website} rel="noopener noreferrer">{g.website}</a></dd></div>}
            </dl>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The resident pages beside this one, for the same municipality. */
export function PublicLinks({ code, here }: { code: string | null; here: 'navigator' | 'windows' | 'events' }) {
  const { t } = useTranslation();
  return (
    <nav className="public-links no-print" aria-label={t('navigator.otherPages')}>
      <ul>
        {here !== 'navigator' && <li><Link to={publicPath(code, 'navigator')}>{t('navigator.title')}</Link></li>}
        {here !== 'windows' && <li><Link to={publicPath(code, 'windows')}>{t('windows.linkText')}</Link></li>}
        {here !== 'events' && <li><Link to={publicPath(code, 'events')}>{t('events.public.title')}</Link></li>}
        <li><Link to={publicPath(code, 'concern')}>{t('navigator.toConcern')}</Link></li>
      </ul>
    </nav>
  );
}
