import { useTranslation } from 'react-i18next';
import { Fact, Facts } from '../components/Facts.tsx';
import { PrintButton, usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { useNameText } from '../network/Names.tsx';
import { useVocabulary } from '../network/NetworkProvider.tsx';
import { privacyApi } from '../privacy/requestsApi.ts';
import { useResource } from '../useResource.ts';

/**
 * 個人情報ファイル簿 (個人情報保護法第75条): the register of the city's
 * personal-information files, one printable sheet per file, generated from
 * the database's schema and the register kept in code. The columns behind
 * each item are listed (not printed) so the register can be checked against
 * what is actually stored.
 */
export function FileRegisterPage() {
  const { t } = useTranslation();
  const [resource, reload] = useResource('file-register', (signal) => privacyApi.fileRegister(signal));
  const names = useNameText();
  const { label } = useVocabulary();
  usePageTitle(t('privacy.register.title'));
  return (
    <article className="page register-doc">
      <div className="page__heading">
        <h1>{t('privacy.register.title')}</h1>
        <div className="page__actions no-print"><PrintButton /></div>
      </div>
      <p className="page__intro">{t('privacy.register.intro')}</p>
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <>
          {resource.data.unregistered.length > 0 && (
            <div className="notice notice--limited" role="alert">
              <p>{t('privacy.register.unregistered')}</p>
              <ul>{resource.data.unregistered.map((c) => <li key={c}><code>{c}</code></li>)}</ul>
            </div>
          )}
          {resource.data.files.map((f) => (
            <section key={f.key} className="section register-file" aria-labelledby={`file-${f.key}`} data-testid="register-file">
              <h2 id={`file-${f.key}`} lang="ja">{f.name}</h2>
              <Facts wide>
                <Fact label={t('privacy.register.name')}><span lang="ja">{f.name}</span></Fact>
                <Fact label={t('privacy.register.holder')}><span lang="ja">{f.holder}</span></Fact>
                <Fact label={t('privacy.register.work')}><span lang="ja">{f.work}</span></Fact>
                <Fact label={t('privacy.register.purpose')}><span lang="ja">{f.purpose}</span></Fact>
                <Fact label={t('privacy.register.items')}>
                  <ul className="plain-list">
                    {f.items.map((i) => (
                      <li key={i.key}>
                        <span lang="ja">{i.name}</span>{i.sensitive && <span className="badge badge--consent">{t('privacy.register.sensitiveItem')}</span>}
                        <details className="no-print register-columns"><summary>{t('privacy.register.columns', { count: i.columns.length })}</summary><code>{i.columns.join(', ')}</code></details>
                      </li>
                    ))}
                  </ul>
                </Fact>
                <Fact label={t('privacy.register.scope')}><span lang="ja">{f.scope}</span></Fact>
                <Fact label={t('privacy.register.collection')}><span lang="ja">{f.collection}</span></Fact>
                <Fact label={t('privacy.register.sensitive')}>{f.sensitive ? <span lang="ja">{t('privacy.register.sensitiveYes')}（{f.sensitiveNote}）</span> : t('privacy.register.sensitiveNo')}</Fact>
                <Fact label={t('privacy.register.recipients')}>
                  {f.recipients.length === 0
                    ? <span lang="ja">{f.recipientsNote}</span>
                    : (
                      <>
                        <p lang="ja">{f.recipientsNote}</p>
                        <ul className="inline-list">{f.recipients.map((o) => <li key={o.id}>{names.org(o)}<span className="muted-text">（{label('organizationKinds', o.kind)}）</span></li>)}</ul>
                      </>
                    )}
                </Fact>
                <Fact label={t('privacy.register.requestsTo')}><span lang="ja">{f.requestsTo.join('、')}</span></Fact>
              </Facts>
            </section>
          ))}
        </>
      )}
    </article>
  );
}
