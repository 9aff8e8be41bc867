import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { ErrorSummary } from '../components/Form.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { ageBandLabel } from '../consultations/ConsultationParts.tsx';
import { japanToday } from '../lib/cases.ts';
import {
  caseFieldOf, changedPersonFields, checkPersonDraft, PERSON_FIELDS, personDraftFrom, personDraftToInput, recordedPerson,
  type PersonDraft, type PersonField,
} from '../lib/person.ts';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { CaseDetail, Person, PersonInput } from '../types.ts';
import { useResource } from '../useResource.ts';
import { BirthText, PersonNameText } from './CaseParts.tsx';
import { PersonFields, personErrors, personFieldId } from './PersonFields.tsx';
import { summaryOf, useFormErrors } from './useFormErrors.ts';
import { useSaid } from './useSaid.tsx';

/** 本人・世帯 (full access only): who the person is, their household, and correcting the details. */
export function PersonSection({ detail, onSaved }: { detail: CaseDetail; onSaved(): void }) {
  const { t } = useTranslation();
  const [said, say] = useSaid();
  const personId = detail.person?.id ?? '';
  // Read again only after a correction here (each read is audited).
  const [saved, setSaved] = useState(0);
  const [resource, reload] = useResource(`person:${personId}:${saved}`, (signal) => api.getPerson(personId, signal));
  return (
    <section id="case-person" aria-labelledby="case-person-heading" className="section" tabIndex={-1}>
      <h2 id="case-person-heading">{t('case.personSection')}</h2>
      {said}
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && <PersonView key={resource.data.id} initial={resource.data} onSaved={() => { say((t) => t('case.notice.personSaved')); setSaved((n) => n + 1); onSaved(); }} />}
      <Household detail={detail} />
    </section>
  );
}

function PersonView({ initial, onSaved }: { initial: Person; onSaved(): void }) {
  const [person, setPerson] = useState(initial);
  return (
    <>
      <PersonFacts person={person} />
      <EditPerson person={person} onSaved={onSaved} onReloaded={setPerson} />
    </>
  );
}

function PersonFacts({ person: p }: { person: Person }) {
  const { t } = useTranslation();
  const { areasById } = useNetwork();
  const none = <span className="muted-text">{t('person.notRecorded')}</span>;
  return (
    <div className="person-box card" data-testid="person-box">
      <Facts>
        <Fact label={t('person.name')}><strong><PersonNameText name={p.name} /></strong></Fact>
        <Fact label={t('person.nameKana')}>{p.nameKana ? <span lang="ja">{p.nameKana}</span> : none}</Fact>
        <Fact label={t('person.age')}><BirthText birthDate={p.birthDate} ageBand={p.ageBand} /></Fact>
        <Fact label={t('person.gender')}>{p.gender ? <span lang="ja">{p.gender}</span> : none}</Fact>
        <Fact label={t('person.phone')}>{p.phone ? <a href={`tel:${p.phone.replace(/[^\d+]/g, '')}`}>{p.phone}</a> : none}</Fact>
        <Fact label={t('person.email')}>{p.email ? <a href={`mailto:${p.email}`}>{p.email}</a> : none}</Fact>
        <Fact label={t('person.address')}>{p.address ? <span lang="ja">{p.address}</span> : none}</Fact>
        <Fact label={t('person.area')}>{p.areaId ? <span lang="ja">{areasById.get(p.areaId)?.name ?? p.areaId}</span> : none}</Fact>
      </Facts>
    </div>
  );
}

function Household({ detail }: { detail: CaseDetail }) {
  const { t } = useTranslation();
  return (
    <div className="subsection">
      <h3>{t('household.title')}</h3>
      {!detail.household || detail.household.members.length === 0
        ? <p className="empty">{t('household.none')}</p>
        : (
          <div className="table-wrap">
            <table className="table" data-testid="household">
              <thead>
                <tr>
                  <th scope="col">{t('household.relation')}</th>
                  <th scope="col">{t('person.name')}</th>
                  <th scope="col">{t('person.nameKana')}</th>
                  <th scope="col">{t('person.age')}</th>
                </tr>
              </thead>
              <tbody>
                {detail.household.members.map((m) => (
                  <tr key={m.person.id}>
                    <th scope="row">
                      {m.person.id === detail.person?.id ? <Badge tone="hub">{t('household.self')}</Badge> : <span lang="ja">{m.relation}</span>}
                    </th>
                    <td><PersonNameText name={m.person.name} /></td>
                    <td>{m.person.nameKana ? <span lang="ja">{m.person.nameKana}</span> : '—'}</td>
                    <td><BirthText birthDate={m.person.birthDate} ageBand={m.person.ageBand} /></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
    </div>
  );
}

const ID_PREFIX = 'person-edit';

/**
 * 本人の情報を修正する (PATCH with the version read). When someone else
 * saved first, what the user typed stays on screen until they load the
 * latest; it is then listed, so nothing typed is lost unseen — as the
 * consultation's correction form does.
 */
function EditPerson({ person, onSaved, onReloaded }: { person: Person; onSaved(): void; onReloaded(latest: Person): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<PersonDraft>(() => personDraftFrom(person));
  const [saving, setSaving] = useState(false);
  const [conflict, setConflict] = useState<unknown>(null);
  const [unsaved, setUnsaved] = useState<PersonInput | null>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const form = useFormErrors(() => personErrors(t, checkPersonDraft(draft, japanToday(new Date()))));

  const update = (change: (d: PersonDraft) => PersonDraft, fields: PersonField[]) => {
    setDraft(change);
    form.clear(...fields);
  };

  function close() {
    setOpen(false);
    setDraft(personDraftFrom(person));
    form.reset();
    setConflict(null);
    setUnsaved(null);
    requestAnimationFrame(() => buttonRef.current?.focus());
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving) return;
    setConflict(null);
    if (!form.validate()) return;
    const changes = changedPersonFields(recordedPerson(person), personDraftToInput(draft));
    if (Object.keys(changes).length === 0) {
      form.say(t('detail.noChanges'));
      return;
    }
    setSaving(true);
    try {
      await api.updatePerson(person.id, { version: person.version, ...changes });
      setSaving(false);
      setOpen(false);
      onSaved();
    } catch (error) {
      setSaving(false);
      if (error instanceof ApiError && error.status === 409) setConflict(error);
      else form.fail(error, (f) => { const at = caseFieldOf(f); return at?.kind === 'person' ? at.field : null; });
    }
  }

  async function reloadLatest() {
    try {
      const latest = await api.getPerson(person.id);
      const changes = changedPersonFields(recordedPerson(person), personDraftToInput(draft));
      setUnsaved(Object.keys(changes).length > 0 ? changes : null);
      setDraft(personDraftFrom(latest));
      setConflict(null);
      form.reset();
      onReloaded(latest);
    } catch (e) {
      setConflict(e);
    }
  }

  if (!open) {
    return (
      <p className="no-print">
        <button
          ref={buttonRef} type="button" className="button button--secondary" aria-expanded="false" aria-controls="person-edit-form"
          onClick={() => { setOpen(true); requestAnimationFrame(() => document.getElementById(personFieldId(ID_PREFIX, 'name'))?.focus()); }}
        >
          {t('case.editPerson')}
        </button>
      </p>
    );
  }
  const idOf = (k: string) => personFieldId(ID_PREFIX, k as PersonField);
  return (
    <form id="person-edit-form" className="inline-form no-print" onSubmit={onSubmit} noValidate aria-busy={saving} aria-labelledby="person-edit-heading">
      <h3 id="person-edit-heading">{t('case.editPerson')}</h3>
      <ErrorSummary errors={summaryOf(form.errors, PERSON_FIELDS, idOf)} general={form.general} attempt={form.attempt} />
      {conflict !== null && <ErrorPanel error={conflict} onRetry={() => void reloadLatest()} retryLabel={t('errors.reloadLatest')} />}
      {unsaved && <UnsavedPerson values={unsaved} />}
      <PersonFields draft={draft} onChange={update} errors={form.errors} idPrefix={ID_PREFIX} />
      <div className="form-actions">
        <button type="submit" className="button" disabled={saving}>{saving ? t('detail.editSaving') : t('detail.editSubmit')}</button>
        <button type="button" className="button button--secondary" onClick={close}>{t('rules.form.cancel')}</button>
      </div>
    </form>
  );
}

/** What the user had typed before loading the latest: shown so it can be entered again. */
function UnsavedPerson({ values }: { values: PersonInput }) {
  const { t } = useTranslation();
  const { areasById } = useNetwork();
  const text = (v: string | null | undefined) => (v ? <span lang="ja">{v}</span> : t('consultation.none'));
  return (
    <div className="notice unsaved" data-testid="unsaved">
      <p><strong>{t('detail.unsaved')}</strong></p>
      <Facts>
        {'name' in values && <Fact label={t('person.name')}>{text(values.name)}</Fact>}
        {'nameKana' in values && <Fact label={t('person.nameKana')}>{text(values.nameKana)}</Fact>}
        {'birthDate' in values && (
          <Fact label={t('person.age')}>
            {values.birthDate ? <BirthText birthDate={values.birthDate} ageBand={null} /> : values.ageBand ? ageBandLabel(t, values.ageBand) : t('form.unknown')}
          </Fact>
        )}
        {'gender' in values && <Fact label={t('person.gender')}>{text(values.gender)}</Fact>}
        {'phone' in values && <Fact label={t('person.phone')}>{text(values.phone)}</Fact>}
        {'email' in values && <Fact label={t('person.email')}>{text(values.email)}</Fact>}
        {'address' in values && <Fact label={t('person.address')}>{text(values.address)}</Fact>}
        {'areaId' in values && <Fact label={t('person.area')}>{text(values.areaId ? areasById.get(values.areaId)?.name ?? values.areaId : null)}</Fact>}
      </Facts>
      <p className="section__hint">{t('detail.unsavedHint')}</p>
    </div>
  );
}
