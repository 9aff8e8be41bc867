import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api.ts';
import { mayChangeGrants } from '../access.ts';
import { Badge } from '../components/Badge.tsx';
import { DateTimeText } from '../components/DateText.tsx';
import { ErrorSummary, FormField } from '../components/Form.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { RoleLabel } from '../components/RoleLabel.tsx';
import { Sentence, SLOT } from '../components/Sentence.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useSaid } from '../cases/useSaid.tsx';
import { summaryOf, useFormErrors, type FormErrors } from '../cases/useFormErrors.ts';
import { OrgName, useNameText } from '../network/Names.tsx';
import { useSignedInSession } from '../session.tsx';
import type { UserListing, UserMembership } from '../types.ts';
import { useResource } from '../useResource.ts';

/**
 * 利用者と権限: the municipality's staff accounts, each membership's role,
 * and the 要配慮 grant with who gave it and when. System administrators give
 * and take back the grant with a reason (the server asks for the code again:
 * StepUpDialog); privacy officers read.
 */
export function UsersPage() {
  const { t } = useTranslation();
  const [resource, reload] = useResource('users', (signal) => api.listUsers(signal));
  usePageTitle(t('users.title'));
  return (
    <article className="page users">
      <div className="page__heading">
        <h1>{t('users.title')}</h1>
        <PrintButton />
      </div>
      <p className="page__intro">{t('users.intro')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && <UserList initial={resource.data.items} />}
    </article>
  );
}

function UserList({ initial }: { initial: UserListing[] }) {
  const { t } = useTranslation();
  const session = useSignedInSession();
  const admin = mayChangeGrants(session.role);
  const [users, setUsers] = useState(initial);

  /** After a change: the list again, in place (no loading state, so focus stays where the change was said). */
  async function refresh() {
    try {
      setUsers((await api.listUsers()).items);
    } catch {
      // The change was made and said; the list shows it on the next visit.
    }
  }

  return (
    <>
      {!admin && <p className="section__hint" data-testid="users-read-only">{t('users.readOnly')}</p>}
      <p className="count" role="status">{t('users.count', { count: users.length })}</p>
      {users.length === 0
        ? <p className="empty">{t('users.empty')}</p>
        : (
          <ul className="records" data-testid="users">
            {users.map((u) => (
              <li key={u.id} className="record card user" data-testid="user" data-login={u.login}>
                <h2 className="record__title">
                  <span lang="ja">{u.displayName}</span>
                  <span className="record__when">{u.login}</span>
                </h2>
                {(!u.active || !u.mfaEnrolled) && (
                  <p className="badges">
                    {!u.active && <Badge tone="ended">{t('users.accountInactive')}</Badge>}
                    {!u.mfaEnrolled && <Badge tone="muted">{t('users.mfaNotEnrolled')}</Badge>}
                  </p>
                )}
                <ul className="memberships" aria-label={t('users.memberships')}>
                  {u.memberships.map((m) => (
                    <MembershipItem key={m.organizationId} user={u} membership={m} admin={admin} onChanged={refresh} />
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        )}
    </>
  );
}

function MembershipItem({ user, membership: m, admin, onChanged }: { user: UserListing; membership: UserMembership; admin: boolean; onChanged(): Promise<void> }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  const org = { id: m.organizationId, name: m.organizationName };
  return (
    <li className="membership" data-testid="membership" data-organization={m.organizationId}>
      <p className="membership__head">
        <strong><OrgName org={org} /></strong>
        <span className="membership__role"><RoleLabel role={m.role} /></span>
        {!m.active && <Badge tone="ended">{t('users.membershipInactive')}</Badge>}
      </p>
      <p className="membership__grant" data-testid="grant" data-granted={m.sensitiveAccess}>
        <span className="trail__label">{t('users.sensitive')}：</span>
        {m.sensitiveAccess ? <Badge tone="consent">{t('users.granted')}</Badge> : <Badge tone="muted">{t('users.notGranted')}</Badge>}
        {m.sensitiveAccess && m.sensitiveGrantedAt && (
          <span className="trail__meta">
            {' '}
            <Sentence text={m.sensitiveGrantedBy ? t('users.grantedBy', { name: m.sensitiveGrantedBy, date: SLOT }) : t('users.grantedOn', { date: SLOT })}>
              <DateTimeText value={m.sensitiveGrantedAt} />
            </Sentence>
          </span>
        )}
      </p>
      {said}
      {admin && (
        <GrantControl
          user={user} membership={m}
          onChanged={async (granted) => {
            await onChanged();
            say((t) => t(granted ? 'users.grantedDone' : 'users.revokedDone', { name: user.displayName, organization: m.organizationName }));
          }}
        />
      )}
    </li>
  );
}

/** Give or take back the grant: a reason first; the server may ask for the code again, then the change goes on. */
function GrantControl({ user, membership: m, onChanged }: { user: UserListing; membership: UserMembership; onChanged(granted: boolean): Promise<void> }) {
  const { t } = useTranslation();
  const names = useNameText();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const granting = !m.sensitiveAccess;
  const id = `grant-${user.id}-${m.organizationId}`;
  const form = useFormErrors((): FormErrors => (reason.trim() ? {} : { reason: t('users.reasonRequired') }));
  const organization = names.org({ id: m.organizationId, name: m.organizationName });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      await api.setSensitiveAccess(user.id, m.organizationId, { granted: granting, reason: reason.trim() });
      setOpen(false);
      setReason('');
      form.reset();
      setSaving(false);
      await onChanged(granting);
    } catch (error) {
      setSaving(false);
      form.fail(error, (f) => (f.replace(/^\//, '') === 'reason' ? 'reason' : null));
    }
  }

  if (!open) {
    return (
      <p className="no-print">
        <button
          ref={buttonRef} type="button" aria-expanded="false" aria-controls={id}
          className={granting ? 'button button--secondary button--small' : 'button button--danger button--small'}
          onClick={() => { setOpen(true); requestAnimationFrame(() => document.getElementById(`${id}-reason`)?.focus()); }}
        >
          {t(granting ? 'users.grant' : 'users.revoke')}
        </button>
      </p>
    );
  }
  return (
    <form
      id={id} className={granting ? 'inline-form no-print' : 'inline-form inline-form--danger no-print'} onSubmit={onSubmit} noValidate aria-busy={saving}
      aria-labelledby={`${id}-title`}
    >
      <h3 id={`${id}-title`}>
        {t(granting ? 'users.grantTitle' : 'users.revokeTitle', { name: user.displayName, organization })}
      </h3>
      <ErrorSummary errors={summaryOf(form.errors, ['reason'], () => `${id}-reason`)} general={form.general} attempt={form.attempt} />
      <FormField id={`${id}-reason`} label={t('users.reason')} hint={t('users.reasonHint')} error={form.errors.reason} required>
        {(control) => <textarea {...control} lang="ja" rows={2} maxLength={500} value={reason} onChange={(e) => { setReason(e.target.value); form.clear('reason'); }} />}
      </FormField>
      <div className="form-actions">
        <button type="submit" className={granting ? 'button' : 'button button--danger'} disabled={saving}>
          {saving ? t('form.saving') : t(granting ? 'users.confirmGrant' : 'users.confirmRevoke')}
        </button>
        <button
          type="button" className="button button--secondary"
          onClick={() => { setOpen(false); setReason(''); form.reset(); requestAnimationFrame(() => buttonRef.current?.focus()); }}
        >
          {t('users.cancel')}
        </button>
      </div>
    </form>
  );
}
