import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DateText } from '../components/DateText.tsx';
import { Choice, ErrorSummary } from '../components/Form.tsx';
import { PrintButton } from '../components/PageTools.tsx';
import { japanToday } from '../lib/cases.ts';
import type { EnrollmentResult } from '../types.ts';

/**
 * The ten recovery codes, shown this once: print them or write them down,
 * say they are kept safe, then continue into the app.
 */
export function RecoveryCodesStep({ result, onContinue }: { result: EnrollmentResult; onContinue(): void }) {
  const { t } = useTranslation();
  const headingRef = useRef<HTMLHeadingElement>(null);
  const [kept, setKept] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [today] = useState(() => japanToday(new Date()));
  useEffect(() => headingRef.current?.focus(), []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!kept) {
      setError(t('login.keptRequired'));
      setAttempt((n) => n + 1);
      return;
    }
    onContinue();
  }

  const { user } = result.session;
  return (
    <section aria-labelledby="recovery-codes-heading" className="recovery-codes">
      <h2 id="recovery-codes-heading" ref={headingRef} tabIndex={-1}>{t('login.recoveryCodesTitle')}</h2>
      <p className="notice no-print">{t('login.enrolled')}</p>
      <p>{t('login.recoveryCodesIntro')}</p>
      <p className="no-print"><strong>{t('login.recoveryCodesOnce')}</strong></p>
      {/* On paper, whose codes they are and since when. */}
      <p className="recovery-codes__owner">
        {t('login.recoveryCodesFor', { login: user.login })} ・ <DateText value={today} />
      </p>
      <ol className="recovery-codes__list" data-testid="recovery-codes" lang="en">
        {result.recoveryCodes.map((code) => <li key={code}><code>{code}</code></li>)}
      </ol>
      <p className="recovery-codes__keep">{t('login.recoveryCodesKeep')}</p>
      <p className="no-print"><PrintButton /></p>
      <form onSubmit={onSubmit} noValidate className="no-print">
        <ErrorSummary errors={error ? [{ id: 'recovery-kept', message: error }] : []} attempt={attempt} />
        <div id="recovery-kept" className={error ? 'field field--invalid' : 'field'}>
          <Choice
            type="checkbox" name="recovery-kept" value="yes" checked={kept}
            onChange={(checked) => { setKept(checked); if (checked) setError(null); }}
            label={<>{t('login.kept')}<span className="required-mark">{t('form.required')}</span></>}
          />
          {error && <p className="field__error">{error}</p>}
        </div>
        <button type="submit" className="button">{t('login.continue')}</button>
      </form>
    </section>
  );
}
