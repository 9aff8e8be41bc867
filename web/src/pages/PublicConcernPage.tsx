import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../api.ts';
import { CharacterCount, Choice, ChoiceGroup, ErrorSummary, FormField, useRecheckOnLanguageChange } from '../components/Form.tsx';
import { errorMessage } from '../components/Status.tsx';
import { solveChallenge } from '../lib/challenge.ts';
import { PublicLayout } from '../public/PublicLayout.tsx';
import type { ConcernAgeBand, ConcernChallenge, ConcernRelation, ConcernWorry } from '../types.ts';

// The values the server takes (src/modules/public/concerns.ts).
const RELATIONS: readonly ConcernRelation[] = ['self', 'family', 'neighbour'];
const AGE_BANDS: readonly ConcernAgeBand[] = ['10s', '20s', '30s', '40s', '50s', '60s', '70s', '80plus'];
const WORRIES: readonly ConcernWorry[] = [
  'hikikomori', 'mental_health', 'poverty', 'elderly_care', 'school_non_attendance', 'family_relations', 'health', 'other',
];
const CONCERN_MAX = 2000;
/** The server refuses a form sent within 3 s of its challenge; a little more covers clock and network. */
const MIN_FILL_MS = 3_500;
/** Challenges last 2 hours; an older one is replaced before sending rather than refused after. */
const CHALLENGE_MAX_AGE_MS = 2 * 3_600_000 - 5 * 60_000;
const PHONE = /^[0-9０-９+()\- ー－]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

interface ConcernForm {
  aboutRelation: ConcernRelation | '';
  aboutAgeBand: ConcernAgeBand | '';
  worries: ConcernWorry[];
  concern: string;
  anonymous: boolean;
  name: string;
  phone: string;
  email: string;
  /** The honeypot: people never see it. */
  website: string;
}

type Field = 'aboutRelation' | 'concern' | 'contact' | 'name' | 'phone' | 'email';
const FIELD_IDS: Record<Field, string> = {
  aboutRelation: 'concern-about', concern: 'concern-text', contact: 'concern-contact', name: 'concern-name', phone: 'concern-phone', email: 'concern-email',
};
const FIELD_ORDER: readonly Field[] = ['aboutRelation', 'concern', 'contact', 'name', 'phone', 'email'];

/** The errors that no longer apply once a field changes. */
const STALE_ERRORS: Record<keyof ConcernForm, Field[]> = {
  aboutRelation: ['aboutRelation'], aboutAgeBand: [], worries: [], concern: ['concern'], anonymous: ['contact', 'phone', 'email'],
  name: ['name'], phone: ['contact', 'phone'], email: ['contact', 'email'], website: [],
};

type Phase = 'form' | 'preparing' | 'sending';
type GeneralError = 'throttled' | 'expired' | 'unsupported';
interface HeldChallenge {
  value: ConcernChallenge;
  /** When this browser received it (Date.now()), to keep the minimum time and the expiry. */
  receivedAt: number;
}

const EMPTY: ConcernForm = {
  aboutRelation: '', aboutAgeBand: '', worries: [], concern: '', anonymous: true, name: '', phone: '', email: '', website: '',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * 気がかり相談: a resident tells the city about someone they worry about,
 * without signing in. The form proves a little work (a hash puzzle) and waits
 * a moment before sending, which stops scripts but not people; after sending,
 * only the receipt code is shown.
 */
export function PublicConcernPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  // Only a site serving several municipalities needs to be told which one: /public/{code}/concern or ?municipality=.
  const municipalityCode = useParams().municipality ?? params.get('municipality');
  const [challenge, setChallenge] = useState<HeldChallenge | null>(null);
  const [form, setForm] = useState<ConcernForm>(EMPTY);
  const [errors, setErrors] = useState<Partial<Record<Field, string>>>({});
  const [checkedHere, setCheckedHere] = useState(false);
  // What went wrong on sending: a message of ours (said in the language of the moment) or the server's text.
  const [failure, setFailure] = useState<{ key: GeneralError } | { text: string } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [phase, setPhase] = useState<Phase>('form');
  const [receipt, setReceipt] = useState<string | null>(null);

  async function fetchChallenge(): Promise<HeldChallenge> {
    const held = { value: await api.getConcernChallenge(municipalityCode), receivedAt: Date.now() };
    setChallenge(held);
    return held;
  }

  // Fetched when the page opens, so the 3 s have usually passed by the time the resident sends.
  useEffect(() => {
    fetchChallenge().catch(() => {
      // Fetched again on sending; an error then is shown.
    });
  }, [municipalityCode]);

  const set = <K extends keyof ConcernForm>(key: K, value: ConcernForm[K]) => {
    setForm((f) => ({ ...f, [key]: value }));
    // A corrected field no longer says it is wrong.
    const stale = STALE_ERRORS[key];
    if (stale.some((f) => errors[f])) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([f]) => !stale.includes(f as Field))));
  };
  useRecheckOnLanguageChange(checkedHere, () => setErrors(check()));

  function check(): Partial<Record<Field, string>> {
    const found: Partial<Record<Field, string>> = {};
    if (!form.aboutRelation) found.aboutRelation = t('concern.errors.aboutRequired');
    if (!form.concern.trim()) found.concern = t('concern.errors.concernRequired');
    else if (form.concern.length > CONCERN_MAX) found.concern = t('concern.errors.concernTooLong');
    if (!form.anonymous) {
      if (!form.phone.trim() && !form.email.trim()) found.contact = t('concern.errors.contactRequired');
      if (form.phone.trim() && !PHONE.test(form.phone.trim())) found.phone = t('concern.errors.phoneInvalid');
      if (form.email.trim() && !EMAIL.test(form.email.trim())) found.email = t('concern.errors.emailInvalid');
    }
    return found;
  }

  async function send(held: HeldChallenge): Promise<string> {
    setPhase('preparing');
    const solution = await solveChallenge(held.value.token, held.value.difficulty);
    const wait = held.receivedAt + MIN_FILL_MS - Date.now();
    if (wait > 0) await sleep(wait);
    setPhase('sending');
    const { receiptCode } = await api.submitConcern({
      ...(municipalityCode ? { municipality: municipalityCode } : {}),
      aboutRelation: form.aboutRelation as ConcernRelation,
      aboutAgeBand: form.aboutAgeBand || null,
      worries: form.worries,
      concern: form.concern.trim(),
      anonymous: form.anonymous,
      name: form.anonymous ? null : form.name.trim() || null,
      phone: form.anonymous ? null : form.phone.trim() || null,
      email: form.anonymous ? null : form.email.trim() || null,
      website: form.website,
      challenge: held.value.token,
      solution,
    });
    return receiptCode;
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (phase !== 'form') return;
    setFailure(null);
    const found = check();
    setErrors(found);
    setCheckedHere(true);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    // SHA-256 in the page needs a secure context (https, or localhost).
    if (!globalThis.crypto?.subtle) {
      setFailure({ key: 'unsupported' });
      setAttempt((n) => n + 1);
      return;
    }
    setPhase('preparing');
    try {
      let held = challenge && Date.now() - challenge.receivedAt < CHALLENGE_MAX_AGE_MS ? challenge : await fetchChallenge();
      let code: string;
      try {
        code = await send(held);
      } catch (error) {
        // Expired, too quick or already used: once, with a fresh challenge.
        if (!isChallengeRefusal(error)) throw error;
        held = await fetchChallenge();
        code = await send(held);
      }
      setForm(EMPTY);
      setReceipt(code);
    } catch (error) {
      setPhase('form');
      // A challenge the server has seen is spent; the next attempt takes a new one.
      fetchChallenge().catch(() => {});
      showFailure(error);
    }
  }

  function showFailure(error: unknown) {
    if (error instanceof ApiError && error.status === 429) setFailure({ key: 'throttled' });
    else if (isChallengeRefusal(error)) setFailure({ key: 'expired' });
    else if (error instanceof ApiError && error.status === 400 && error.fields.length > 0) {
      const server: Partial<Record<Field, string>> = {};
      const others: string[] = [];
      for (const f of error.fields) {
        const name = f.field.replace(/^\//, '');
        if (name === 'concern' || name === 'name' || name === 'phone' || name === 'email' || name === 'aboutRelation') server[name] ??= f.message;
        else others.push(f.message);
      }
      setCheckedHere(false);
      setErrors(server);
      setFailure(others.length > 0 ? { text: others.join(' ') } : null);
    } else setFailure({ text: errorMessage(t, error) });
    setAttempt((n) => n + 1);
  }

  const municipality = challenge?.value.municipality.name ?? null;
  if (receipt) return <Receipt code={receipt} municipality={municipality} />;

  const busy = phase !== 'form';
  const summary = FIELD_ORDER.filter((f) => errors[f]).map((f) => ({ id: FIELD_IDS[f], message: errors[f]! }));
  return (
    <PublicLayout municipality={municipality} title={t('concern.title')}>
      <h1>{t('concern.title')}</h1>
      <div className="public-intro">
        <p>{t('concern.intro1')}</p>
        <p>{t('concern.intro2')}</p>
        <p>{t('concern.intro3')}</p>
      </div>
      <aside className="emergency" aria-labelledby="emergency-heading">
        <h2 id="emergency-heading">{t('concern.emergencyTitle')}</h2>
        <p>{t('concern.emergency')}</p>
        <ul>
          <li><a href="tel:110">{t('concern.police')}</a></li>
          <li><a href="tel:119">{t('concern.ambulance')}</a></li>
        </ul>
      </aside>

      <form className="concern-form" onSubmit={onSubmit} noValidate aria-busy={busy}>
        <ErrorSummary
          errors={summary} attempt={attempt}
          general={failure === null ? null : 'key' in failure ? t(`concern.errors.${failure.key}`) : failure.text}
        />

        <ChoiceGroup id={FIELD_IDS.aboutRelation} label={t('concern.about')} error={errors.aboutRelation} required>
          {RELATIONS.map((r) => (
            <Choice key={r} type="radio" name="aboutRelation" value={r} checked={form.aboutRelation === r}
              onChange={() => set('aboutRelation', r)} label={t(`concern.aboutValue.${r}`)} />
          ))}
        </ChoiceGroup>

        <FormField id="concern-age" label={t('concern.ageBand')}>
          {(control) => (
            <select {...control} value={form.aboutAgeBand} onChange={(e) => set('aboutAgeBand', e.target.value as ConcernAgeBand | '')}>
              <option value="">{t('concern.ageBandUnknown')}</option>
              {AGE_BANDS.map((b) => <option key={b} value={b}>{t(`concern.ageBandValue.${b}`)}</option>)}
            </select>
          )}
        </FormField>

        <ChoiceGroup id="concern-worries" label={t('concern.worries')}>
          {WORRIES.map((w) => (
            <Choice key={w} type="checkbox" name="worries" value={w} checked={form.worries.includes(w)}
              onChange={(on) => set('worries', on ? [...form.worries, w] : form.worries.filter((x) => x !== w))}
              label={t(`concern.worryValue.${w}`)} />
          ))}
        </ChoiceGroup>

        <FormField id={FIELD_IDS.concern} label={t('concern.concern')} hint={t('concern.concernHint')} error={errors.concern} required>
          {(control) => (
            <>
              <textarea
                {...control} rows={7} value={form.concern} onChange={(e) => set('concern', e.target.value)}
                aria-describedby={[control['aria-describedby'], 'concern-text-count'].filter(Boolean).join(' ')}
              />
              <CharacterCount id="concern-text-count" value={form.concern} max={CONCERN_MAX} />
            </>
          )}
        </FormField>

        <ChoiceGroup id={FIELD_IDS.contact} label={t('concern.contact')} error={errors.contact}>
          <Choice type="radio" name="anonymous" value="yes" checked={form.anonymous} onChange={() => set('anonymous', true)} label={t('concern.anonymousYes')} />
          <Choice type="radio" name="anonymous" value="no" checked={!form.anonymous} onChange={() => set('anonymous', false)} label={t('concern.anonymousNo')} />
          {!form.anonymous && (
            <div className="contact-fields">
              <p className="field__hint">{t('concern.contactHint')}</p>
              <FormField id={FIELD_IDS.name} label={t('concern.name')} error={errors.name}>
                {(control) => <input {...control} type="text" autoComplete="name" maxLength={100} value={form.name} onChange={(e) => set('name', e.target.value)} />}
              </FormField>
              <FormField id={FIELD_IDS.phone} label={t('concern.phone')} error={errors.phone}>
                {(control) => <input {...control} type="tel" autoComplete="tel" maxLength={30} value={form.phone} onChange={(e) => set('phone', e.target.value)} />}
              </FormField>
              <FormField id={FIELD_IDS.email} label={t('concern.email')} error={errors.email}>
                {(control) => <input {...control} type="email" autoComplete="email" maxLength={200} value={form.email} onChange={(e) => set('email', e.target.value)} />}
              </FormField>
            </div>
          )}
        </ChoiceGroup>

        {/* Honeypot: hidden from people (sight and screen readers) and from the keyboard; scripts fill it. */}
        <div className="visually-hidden" aria-hidden="true">
          <label htmlFor="concern-website">{t('concern.website')}</label>
          <input id="concern-website" name="website" type="text" tabIndex={-1} autoComplete="off" value={form.website} onChange={(e) => set('website', e.target.value)} />
        </div>

        <div className="form-actions">
          <button type="submit" className="button button--large" disabled={busy}>{t('concern.submit')}</button>
        </div>
        <p className="status-loading" role="status" data-testid="concern-progress">
          {phase === 'preparing' ? t('concern.preparing') : phase === 'sending' ? t('concern.sending') : ''}
        </p>
      </form>
    </PublicLayout>
  );
}

/** The server refused the challenge (expired, too quick, already used, not solved). */
function isChallengeRefusal(error: unknown): boolean {
  return error instanceof ApiError && error.status === 400 && error.fields.some((f) => f.field.replace(/^\//, '') === 'challenge');
}

/** After sending: the receipt code, large, and nothing else about what was sent. */
function Receipt({ code, municipality }: { code: string; municipality: string | null }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  useEffect(() => headingRef.current?.focus(), []);
  return (
    <PublicLayout municipality={municipality} title={t('concern.doneTitle')}>
      <section className="receipt" aria-labelledby="receipt-heading">
        <h1 id="receipt-heading" ref={headingRef} tabIndex={-1}>{t('concern.doneTitle')}</h1>
        <p className="receipt__label">{t('concern.receiptCode')}</p>
        <p className="receipt__code" data-testid="receipt-code">{code}</p>
        <p className="receipt__keep">{t('concern.keepCode')}</p>
      </section>
    </PublicLayout>
  );
}
