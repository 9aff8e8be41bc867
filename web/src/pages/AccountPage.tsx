import { startRegistration } from '@simplewebauthn/browser';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { ErrorSummary, FormField } from '../components/Form.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useSaid } from '../cases/useSaid.tsx';
import { browserSupportsPasskeys, isPasskeyName, PASSKEY_NAME_MAX, passkeyName } from '../lib/passkeys.ts';
import { passkeyApi, type PasskeyListing } from '../passkeys/api.ts';
import { passkeyRefusal } from '../passkeys/messages.ts';
import { useResource } from '../useResource.ts';

/**
 * アカウント設定: how the signed-in user confirms a sign-in. The
 * authenticator app stays for everyone (it cannot be switched off); passkeys
 * can be added beside it, named, and removed (src/modules/auth/passkeys.ts).
 * Adding and removing ask for the second factor again when the last one is
 * old (StepUpDialog).
 */
export function AccountPage() {
  const { t } = useTranslation();
  usePageTitle(t('account.title'));
  return (
    <article className="page account-settings">
      <div className="page__heading">
        <h1>{t('account.title')}</h1>
      </div>
      <p className="page__intro">{t('account.intro')}</p>
      <section className="section" aria-labelledby="totp-heading">
        <h2 id="totp-heading">{t('account.totpTitle')}</h2>
        <p>{t('account.totp')}</p>
      </section>
      <PasskeysSection />
    </article>
  );
}

function PasskeysSection() {
  const { t } = useTranslation();
  const [resource, reload] = useResource('passkeys', (signal) => passkeyApi.list(signal));
  return (
    <section className="section" aria-labelledby="passkeys-heading" data-testid="passkeys">
      <h2 id="passkeys-heading">{t('account.passkeysTitle')}</h2>
      <p>{t('account.passkeysIntro')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && <PasskeyList initial={resource.data.items} available={resource.data.available} />}
    </section>
  );
}

function PasskeyList({ initial, available }: { initial: PasskeyListing[]; available: boolean }) {
  const { t } = useTranslation();
  const [items, setItems] = useState(initial);
  const [said, say] = useSaid();
  const supported = browserSupportsPasskeys();

  /** After a change: the list again, in place, so the focus stays on what was said. */
  async function refresh() {
    try {
      setItems((await passkeyApi.list()).items);
    } catch {
      // The change was made and said; the list shows it on the next visit.
    }
  }

  return (
    <>
      {said}
      <p className="count" role="status">{t('account.count', { count: items.length })}</p>
      {items.length === 0
        ? <p className="empty">{t('account.empty')}</p>
        : (
          <ul className="records" data-testid="passkey-list">
            {items.map((k) => (
              <PasskeyItem
                key={k.id} passkey={k}
                onRemoved={async () => {
                  await refresh();
                  say((t) => t('account.removed', { name: k.name }));
                }}
              />
            ))}
          </ul>
        )}
      <section className="subsection" aria-labelledby="add-passkey-heading">
        <h3 id="add-passkey-heading">{t('account.addTitle')}</h3>
        {!supported
          ? <p className="notice">{t('account.unsupported')}</p>
          : !available
            ? <p className="notice">{t('account.unavailable')}</p>
            : (
              <AddPasskeyForm
                onAdded={async (k) => {
                  await refresh();
                  say((t) => t('account.added', { name: k.name }));
                }}
              />
            )}
      </section>
    </>
  );
}

function PasskeyItem({ passkey: k, onRemoved }: { passkey: PasskeyListing; onRemoved(): Promise<void> }) {
  const { t } = useTranslation();
  const [confirming, setConfirming] = useState(false);
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const removeRef = useRef<HTMLButtonElement>(null);
  const confirmId = `remove-${k.id}`;

  async function remove() {
    if (removing) return;
    setRemoving(true);
    setError(null);
    try {
      await passkeyApi.remove(k.id);
      await onRemoved();
    } catch (e) {
      setRemoving(false);
      setError(passkeyRefusal(t, e) ?? t('login.secondFactorExpired'));
    }
  }

  return (
    <li className="record card" data-testid="passkey" data-name={k.name}>
      <h3 className="record__title"><span>{k.name}</span></h3>
      <p className="badges"><Badge tone="muted">{k.deviceType === 'multiDevice' ? t('account.synced') : t('account.deviceBound')}</Badge></p>
      <Facts>
        <Fact label={t('account.created')}><DateTimeText value={k.createdAt} /></Fact>
        <Fact label={t('account.lastUsed')}>{k.lastUsedAt ? <DateTimeText value={k.lastUsedAt} /> : t('account.neverUsed')}</Fact>
      </Facts>
      {error && <p className="field__error" role="alert">{error}</p>}
      {confirming
        ? (
          <div role="group" aria-labelledby={confirmId}>
            <p id={confirmId}>{t('account.removeConfirm', { name: k.name })}</p>
            <div className="form-actions">
              <button type="button" className="button button--danger" disabled={removing} onClick={() => void remove()}>{t('account.removeYes')}</button>
              <button
                type="button" className="button button--secondary" disabled={removing}
                onClick={() => { setConfirming(false); requestAnimationFrame(() => removeRef.current?.focus()); }}
              >
                {t('account.removeNo')}
              </button>
            </div>
          </div>
        )
        : (
          <button type="button" ref={removeRef} className="button button--secondary" aria-label={t('account.removeLabel', { name: k.name })} onClick={() => setConfirming(true)}>
            {t('account.remove')}
          </button>
        )}
    </li>
  );
}

/** A name first, then the browser's own dialog (touch the key, or the fingerprint or PIN), then the server checks and keeps it. */
function AddPasskeyForm({ onAdded }: { onAdded(k: PasskeyListing): Promise<void> }) {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [general, setGeneral] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);

  function refuse(field: string | null, message: string | null) {
    setError(field);
    setGeneral(message);
    setAttempt((n) => n + 1);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    if (!isPasskeyName(name)) return refuse(t(passkeyName(name) ? 'account.nameTooLong' : 'account.nameRequired'), null);
    setError(null);
    setGeneral(null);
    setBusy(true);
    try {
      const credential = await startRegistration({ optionsJSON: await passkeyApi.registrationOptions() });
      const added = await passkeyApi.register(passkeyName(name), credential);
      setBusy(false);
      setName('');
      await onAdded(added);
    } catch (e) {
      setBusy(false);
      if (e instanceof ApiError && e.status === 400) {
        const onName = e.fields.find((f) => f.field.replace(/^(\/|body[./])/, '') === 'name');
        if (onName) return refuse(onName.message, null);
      }
      return refuse(null, passkeyRefusal(t, e) ?? t('login.secondFactorExpired'));
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-busy={busy} data-testid="add-passkey">
      <ErrorSummary errors={error ? [{ id: 'passkey-name', message: error }] : []} general={general} attempt={attempt} />
      <FormField id="passkey-name" label={t('account.name')} required hint={t('account.nameHint')} error={error ?? undefined}>
        {(control) => (
          <input {...control} name="passkey-name" type="text" value={name} maxLength={PASSKEY_NAME_MAX} autoComplete="off" onChange={(e) => setName(e.target.value)} />
        )}
      </FormField>
      <button type="submit" className="button" disabled={busy}>{t('account.add')}</button>
      <p className="field__hint" role="status">{busy ? t('account.adding') : ''}</p>
    </form>
  );
}
