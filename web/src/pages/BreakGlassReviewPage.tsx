import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { mayReviewBreakGlass } from '../access.ts';
import { breakGlassApi } from '../breakGlass/api.ts';
import { summaryOf, useFormErrors, type FormErrors } from '../cases/useFormErrors.ts';
import { useSaid } from '../cases/useSaid.tsx';
import { Badge } from '../components/Badge.tsx';
import { DateTimeText } from '../components/DateText.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { Pager } from '../components/Pager.tsx';
import { CharacterCount, ErrorSummary, FormField } from '../components/Form.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { stateOfUse, type BreakGlassUse, type BreakGlassUsePage } from '../lib/breakGlass.ts';
import { OrgName } from '../network/Names.tsx';
import { useSignedInSession } from '../session.tsx';
import { useResource } from '../useResource.ts';

const FINDING_MAX = 4000;

/**
 * 緊急時の閲覧の確認: every break-the-glass use of the municipality, those
 * still to review first, a page at a time (the page in the URL). The
 * privacy officer closes each with a finding; auditors read.
 */
export function BreakGlassReviewPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const cursor = params.get('cursor') ?? undefined;
  const [resource, reload] = useResource(`break-glass-uses:${cursor ?? ''}`, (signal) => breakGlassApi.list({ cursor }, signal));
  usePageTitle(t('breakGlass.review.title'));
  return (
    <article className="page break-glass-review">
      <div className="page__heading">
        <h1>{t('breakGlass.review.title')}</h1>
        <div className="page__actions no-print">
          <button type="button" className="button button--secondary" onClick={reload}>{t('breakGlass.review.refresh')}</button>
          <PrintButton />
        </div>
      </div>
      <p className="page__intro">{t('breakGlass.review.intro')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          <UseList page={resource.data} />
          <Pager cursor={cursor} nextCursor={resource.data.nextCursor} link={(c) => (c ? `/break-glass?${new URLSearchParams({ cursor: c })}` : '/break-glass')} />
        </>
      )}
    </article>
  );
}

function UseList({ page }: { page: BreakGlassUsePage }) {
  const { t } = useTranslation();
  const { role } = useSignedInSession();
  const reviewer = mayReviewBreakGlass(role);
  // In the server's order: a review closed here keeps its place, so focus stays where it was said.
  const [uses, setUses] = useState(page.items);
  const closedHere = uses.filter((u) => u.reviewedAt !== null).length - page.items.filter((u) => u.reviewedAt !== null).length;
  return (
    <>
      {!reviewer && <p className="section__hint" data-testid="break-glass-read-only">{t('breakGlass.review.readOnly')}</p>}
      <p className="count" role="status">{t('breakGlass.review.count', { count: page.total, open: page.openReviews - closedHere })}</p>
      {uses.length === 0
        ? <p className="empty">{t('breakGlass.review.empty')}</p>
        : (
          <ul className="records" data-testid="break-glass-uses">
            {uses.map((u) => (
              <UseItem key={u.id} use={u} reviewer={reviewer} onClosed={(next) => setUses((all) => all.map((x) => (x.id === next.id ? next : x)))} />
            ))}
          </ul>
        )}
    </>
  );
}

function UseItem({ use: u, reviewer, onClosed }: { use: BreakGlassUse; reviewer: boolean; onClosed(use: BreakGlassUse): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  const state = stateOfUse(u, new Date());
  const headingId = `use-${u.id}-title`;
  return (
    <li className={u.reviewedAt ? 'record card break-glass-use' : 'record card break-glass-use break-glass-use--open'} data-testid="break-glass-use" data-reviewed={u.reviewedAt !== null}>
      <h2 className="record__title" id={headingId}>
        {t('breakGlass.review.caseTitle', { reference: u.caseReference })}
        <span className="record__when"><DateTimeText value={u.startedAt} /></span>
      </h2>
      <p className="badges">
        {u.reviewedAt ? <Badge tone="ended">{t('breakGlass.review.reviewClosed')}</Badge> : <Badge tone="urgent">{t('breakGlass.review.reviewOpen')}</Badge>}
        <Badge tone={state === 'active' ? 'emergency' : 'muted'}>{t(`breakGlass.review.stateLabel.${state}`)}</Badge>
      </p>
      <Facts>
        <Fact label={t('breakGlass.review.user')}><span lang="ja">{u.user.displayName}</span>（{u.user.login}）</Fact>
        <Fact label={t('breakGlass.review.organization')}><OrgName org={{ id: u.organizationId, name: '' }} /></Fact>
        <Fact label={t('breakGlass.review.reason')}><span className="prewrap" lang="ja">{u.reason}</span></Fact>
        <Fact label={t('breakGlass.review.startedAt')}><DateTimeText value={u.startedAt} /></Fact>
        {u.endedAt
          ? <Fact label={t('breakGlass.review.endedAt')}><DateTimeText value={u.endedAt} /></Fact>
          : <Fact label={t('breakGlass.review.expiresAt')}><DateTimeText value={u.expiresAt} /></Fact>}
        <Fact label={t('breakGlass.review.state')}>{t(`breakGlass.review.stateLabel.${state}`)}</Fact>
        {u.reviewedAt && (
          <>
            <Fact label={t('breakGlass.review.finding')}><span className="prewrap" lang="ja">{u.reviewFinding}</span></Fact>
            <Fact label={t('breakGlass.review.reviewedAt')}><DateTimeText value={u.reviewedAt} /></Fact>
          </>
        )}
      </Facts>
      {said}
      {reviewer && !u.reviewedAt && (
        <CloseReview use={u} labelledBy={headingId} onClosed={(next) => { onClosed(next); say((t) => t('breakGlass.review.closed', { reference: next.caseReference })); }} />
      )}
    </li>
  );
}

/** The finding, and 「確認を完了する」. */
function CloseReview({ use, labelledBy, onClosed }: { use: BreakGlassUse; labelledBy: string; onClosed(use: BreakGlassUse): void }) {
  const { t } = useTranslation();
  const [finding, setFinding] = useState('');
  const [saving, setSaving] = useState(false);
  const id = `finding-${use.id}`;
  const form = useFormErrors((): FormErrors => (finding.trim() ? {} : { finding: t('breakGlass.review.findingRequired') }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    setSaving(true);
    try {
      const next = await breakGlassApi.review(use.id, finding.trim());
      onClosed(next);
    } catch (error) {
      setSaving(false);
      form.fail(error, (f) => (f.replace(/^\//, '') === 'finding' ? 'finding' : null));
    }
  }

  return (
    <form className="inline-form no-print" onSubmit={(e) => void onSubmit(e)} noValidate aria-busy={saving} aria-labelledby={labelledBy}>
      <ErrorSummary errors={summaryOf(form.errors, ['finding'], () => id)} general={form.general} attempt={form.attempt} />
      <FormField id={id} label={t('breakGlass.review.finding')} hint={t('breakGlass.review.findingHint')} error={form.errors.finding} required>
        {(control) => (
          <>
            <textarea
              {...control} lang="ja" rows={3} maxLength={FINDING_MAX} value={finding}
              aria-describedby={[control['aria-describedby'], `${id}-count`].filter(Boolean).join(' ')}
              onChange={(e) => { setFinding(e.target.value); form.clear('finding'); }}
            />
            <CharacterCount id={`${id}-count`} value={finding} max={FINDING_MAX} />
          </>
        )}
      </FormField>
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('breakGlass.review.closing') : t('breakGlass.review.close')}</button>
      </div>
    </form>
  );
}
