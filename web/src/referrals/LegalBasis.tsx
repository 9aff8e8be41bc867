import { useTranslation } from 'react-i18next';
import { DateText } from '../components/DateText.tsx';
import { Choice, ChoiceGroup, FormField } from '../components/Form.tsx';
import { useLocalName } from '../components/LocalName.tsx';
import { Sentence, SLOT } from '../components/Sentence.tsx';
import { useCaseLabels } from '../cases/CaseParts.tsx';
import type { FormErrors } from '../cases/useFormErrors.ts';
import ja from '../i18n/ja.json';
import { api } from '../api.ts';
import { ART69_ITEMS, needsSession, type ReferralDraft } from '../lib/cases.ts';
import { formatWareki } from '../lib/dates.ts';
import { useResource } from '../useResource.ts';
import { OrgName } from '../network/Names.tsx';
import { useNetwork, useVocabulary } from '../network/NetworkProvider.tsx';
import type { Consent, Organization, ReferralLegalBasis, ShareBasisTerm } from '../types.ts';

type BasisField = 'basis' | 'consentId' | 'meetingSessionId' | 'meetingSeriesId' | 'meetingDate' | 'paragraph' | 'basisReason';

const explained = (code: string): code is keyof typeof ja.legalBasis.explain => Object.hasOwn(ja.legalBasis.explain, code);

interface FieldsProps {
  caseId: string;
  draft: ReferralDraft;
  /** The chosen basis as the vocabulary gives it (what it needs), or undefined when none is chosen. */
  spec: ShareBasisTerm | undefined;
  /** The organisation the referral would reach (a program's serving organisation), once a destination is chosen. */
  receiver: Organization | undefined;
  /** The person's active consents naming the receiver, and the one the share points to (chosenConsent). */
  consents: Consent[];
  consentId: string;
  errors: FormErrors;
  id(field: string): string;
  set<K extends BasisField>(key: K, value: ReferralDraft[K]): void;
}

/**
 * 共有の法的根拠 in the referral form (DOMAIN.md §3): the basis, then only
 * what that basis needs — the person's consent naming the receiver, the
 * 支援会議 session that had the case on its agenda, the 重層的支援会議 and its
 * date, or the item of 個人情報保護法
 * 第69条第2項 with a written reason. The server checks it again
 * (src/modules/referrals/service.ts checkLegalBasis).
 */
export function LegalBasisFields({ caseId, draft, spec, receiver, consents, consentId, errors, id, set }: FieldsProps) {
  const { t } = useTranslation();
  const { vocabularies, network } = useNetwork();
  const vocabulary = useVocabulary();
  const localName = useLocalName();
  const labels = useCaseLabels();
  const meetings = spec?.meeting ? network.meetingSeries.filter((m) => m.active && m.legalBasis === spec.code) : [];
  const bySession = !!spec && needsSession(spec);
  const [reviewed] = useResource(`sessions-reviewing:${caseId}:${bySession}`, (signal) => (bySession ? api.sessionsReviewingCase(caseId, signal) : Promise.resolve({ items: [] })));
  const sessions = reviewed.status === 'ok' ? reviewed.data.items.filter((s) => s.status !== 'cancelled' && meetings.some((m) => m.id === s.series.id)) : [];

  return (
    <fieldset className="member-row legal-basis-fields" aria-describedby={id('legalBasis-hint')}>
      <legend>{t('legalBasis.title')}</legend>
      <p id={id('legalBasis-hint')} className="field__hint">{t('legalBasis.hint')}</p>
      <FormField
        id={id('basis')} label={t('legalBasis.basis')} error={errors.basis} required
        hint={draft.basis && explained(draft.basis) ? t(`legalBasis.explain.${draft.basis}`) : undefined}
      >
        {(control) => (
          <select {...control} value={draft.basis} onChange={(e) => set('basis', e.target.value)}>
            <option value="">{t('form.choose')}</option>
            {vocabularies.shareBases.map((b) => <option key={b.code} value={b.code}>{vocabulary.label('shareBases', b.code)}</option>)}
          </select>
        )}
      </FormField>

      {spec?.consent && (!receiver
        ? (
          <div id={id('consentId')} tabIndex={-1} className={errors.consentId ? 'field field--invalid' : 'field'}>
            <p className="field__hint">{t('legalBasis.chooseDestinationFirst')}</p>
            {errors.consentId && <p className="field__error">{errors.consentId}</p>}
          </div>
        )
        : consents.length === 0
          ? (
            <div id={id('consentId')} tabIndex={-1} className={errors.consentId ? 'field field--invalid' : 'field'} data-testid="no-consent">
              <p className="notice notice--limited legal-basis__missing">
                <Sentence text={t('legalBasis.noConsent', { organization: SLOT })}><OrgName org={receiver} /></Sentence>
                {' '}{t('legalBasis.noConsentNext')}
                {' '}<a href="#case-consents">{t('legalBasis.toConsents')}</a>
              </p>
              {errors.consentId && <p className="field__error">{errors.consentId}</p>}
            </div>
          )
          : (
            <ChoiceGroup id={id('consentId')} label={t('legalBasis.consent')} hint={t('legalBasis.consentHint')} error={errors.consentId} required>
              {consents.map((c) => (
                <Choice
                  key={c.id} type="radio" name={id('consentId')} value={c.id} checked={consentId === c.id} onChange={() => set('consentId', c.id)}
                  label={(
                    <>
                      <Sentence text={t('legalBasis.consentOption', { date: SLOT, method: labels.consentMethod(c.method) })}><DateText value={c.givenOn} /></Sentence>
                      <span className="choice__note legal-basis__scope">
                        {t('legalBasis.consentScope')}<span lang="ja">{c.scope}</span>
                      </span>
                    </>
                  )}
                />
              ))}
            </ChoiceGroup>
          ))}

      {bySession && reviewed.status !== 'loading' && (sessions.length === 0
        ? (
          <div id={id('meetingSessionId')} tabIndex={-1} className={errors.meetingSessionId ? 'field field--invalid' : 'field'}>
            <p className="notice notice--limited legal-basis__missing">{t('legalBasis.noSession')}</p>
            {errors.meetingSessionId && <p className="field__error">{errors.meetingSessionId}</p>}
          </div>
        )
        : (
          <FormField id={id('meetingSessionId')} label={t('legalBasis.session')} hint={t('legalBasis.sessionHint')} error={errors.meetingSessionId} required>
            {(control) => (
              <select {...control} value={draft.meetingSessionId} onChange={(e) => set('meetingSessionId', e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {sessions.map((s) => <option key={s.id} value={s.id}>{t('legalBasis.sessionOption', { name: localName(network.meetingSeries.find((m) => m.id === s.series.id) ?? s.series).text, date: formatWareki(s.date) })}</option>)}
              </select>
            )}
          </FormField>
        ))}

      {spec?.meeting && !bySession && (meetings.length === 0
        ? (
          <div id={id('meetingSeriesId')} tabIndex={-1} className={errors.meetingSeriesId ? 'field field--invalid' : 'field'}>
            <p className="notice notice--limited legal-basis__missing">{t('legalBasis.noMeeting')}</p>
            {errors.meetingSeriesId && <p className="field__error">{errors.meetingSeriesId}</p>}
          </div>
        )
        : (
          <FormField id={id('meetingSeriesId')} label={t('legalBasis.meeting')} hint={t('legalBasis.meetingHint')} error={errors.meetingSeriesId} required>
            {(control) => (
              <select {...control} value={draft.meetingSeriesId} onChange={(e) => set('meetingSeriesId', e.target.value)}>
                <option value="">{t('form.choose')}</option>
                {meetings.map((m) => <option key={m.id} value={m.id}>{localName(m).text}</option>)}
              </select>
            )}
          </FormField>
        ))}
      {spec?.meeting && !bySession && (
        <FormField id={id('meetingDate')} label={t('legalBasis.meetingDate')} hint={t('legalBasis.meetingDateHint')} error={errors.meetingDate} required className="field--short">
          {(control) => <input {...control} type="date" value={draft.meetingDate} onChange={(e) => set('meetingDate', e.target.value)} />}
        </FormField>
      )}

      {spec?.reason && (
        <>
          <ChoiceGroup id={id('paragraph')} label={t('legalBasis.paragraph')} error={errors.paragraph} required>
            {ART69_ITEMS.map((item) => (
              <Choice
                key={item} type="radio" name={id('paragraph')} value={String(item)} checked={draft.paragraph === String(item)}
                onChange={() => set('paragraph', String(item))}
                label={<><strong>{t(`legalBasis.item.${item}`)}</strong><span className="choice__note">{t(`legalBasis.itemHint.${item}`)}</span></>}
              />
            ))}
          </ChoiceGroup>
          <FormField id={id('basisReason')} label={t('legalBasis.reason')} hint={t('legalBasis.reasonHint')} error={errors.basisReason} required>
            {(control) => <textarea {...control} lang="ja" rows={3} maxLength={1000} value={draft.basisReason} onChange={(e) => set('basisReason', e.target.value)} />}
          </FormField>
        </>
      )}
    </fieldset>
  );
}

/**
 * What a sent referral's share rests on: the basis, and the consent's date,
 * the meeting and its date (和暦), or the item and the reason.
 */
export function LegalBasisText({ basis: b }: { basis: ReferralLegalBasis }) {
  const { t } = useTranslation();
  const { vocabularies, meetingSeriesById } = useNetwork();
  const vocabulary = useVocabulary();
  const localName = useLocalName();
  const known = vocabularies.shareBases.some((s) => s.code === b.basis);
  const label = b.basis === 'not_recorded' ? t('legalBasis.notRecorded') : known ? vocabulary.label('shareBases', b.basis) : b.label;
  const meeting = b.meeting ? localName(meetingSeriesById.get(b.meeting.seriesId) ?? { name: b.meeting.name }) : null;
  return (
    <div className="legal-basis" data-testid="legal-basis" data-basis={b.basis}>
      <p className="legal-basis__label"><span className="trail__label">{t('legalBasis.title')}：</span>{label}</p>
      {(b.consentId || b.meeting || b.paragraph !== null) && (
        <ul className="legal-basis__details">
          {b.consentId && (
            <li>{b.consentGivenOn
              ? <Sentence text={t('legalBasis.shownConsent', { date: SLOT })}><DateText value={b.consentGivenOn} /></Sentence>
              : t('legalBasis.shownConsentUndated')}
            </li>
          )}
          {b.meeting && meeting && (
            <li>
              <Sentence text={t('legalBasis.shownMeeting', { name: meeting.text, date: SLOT })}><DateText value={b.meeting.date} /></Sentence>
            </li>
          )}
          {b.paragraph !== null && (
            <li>
              {t('legalBasis.shownItem', { item: b.paragraph })}
              {b.reason && <span className="prewrap" lang="ja">{b.reason}</span>}
            </li>
          )}
        </ul>
      )}
    </div>
  );
}
