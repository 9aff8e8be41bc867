import type { TFunction } from 'i18next';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, api } from '../api.ts';
import { Badge } from '../components/Badge.tsx';
import { Fact, Facts } from '../components/Facts.tsx';
import { ErrorSummary } from '../components/Form.tsx';
import { MergeView, useMerge } from '../components/MergeView.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { japanToday } from '../lib/cases.ts';
import {
  caseFieldOf, changedPersonFields, checkPersonDraft, PERSON_FIELDS, PERSON_MERGE_GROUPS, personDraftFrom, personDraftToInput, recordedPerson,
  type PersonDraft, type PersonField,
} from '../lib/person.ts';
import { useNetwork } from '../network/NetworkProvider.tsx';
import type { CaseDetail, Person, PersonInput } from '../types.ts';
import { PersonCorrections } from '../privacy/parts.tsx';
import { useResource } from '../useResource.ts';
import { BirthText, PersonNameText } from './CaseParts.tsx';
import { PersonFields, personErrors, personFieldId } from './PersonFields.tsx';
import { useCaseReadOnly } from './readOnly.ts';
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
  const readOnly = useCaseReadOnly();
  return (
    <section id="case-person" aria-labelledby="case-person-heading" className="section" tabIndex={-1}>
      <h2 id="case-person-heading">{t('case.personSection')}</h2>
      {said}
      {resource.status === 'loading' && <Loading />}
      {resource.status === 'error' && <ErrorPanel error={resource.error} onRetry={reload} />}
      {resource.status === 'ok' && (
        <PersonView
          key={resource.data.id} initial={resource.data}
          onSaved={() => { say((t) => t('case.notice.personSaved')); setSaved((n) => n + 1); onSaved(); }}
          onDiscarded={() => say((t) => t('merge.reloaded'))}
        />
      )}
      {/* the history of corrections is not what an emergency needs, and 緊急時の閲覧 does not open it */}
      {personId && !readOnly && <PersonCorrections personId={personId} revision={saved} />}
      <Household detail={detail} />
    </section>
  );
}

function PersonView({ initial, onSaved, onDiscarded }: { initial: Person; onSaved(): void; onDiscarded(): void }) {
  const [person, setPerson] = useState(initial);
  const readOnly = useCaseReadOnly();
  return (
    <>
      <PersonFacts person={person} />
      {!readOnly && <EditPerson person={person} onSaved={onSaved} onDiscarded={(latest) => { setPerson(latest); onDiscarded(); }} />}
    </>
  );
}

const PERSON_LABELS = {
  name: 'person.name', nameKana: 'person.nameKana', age: 'person.age', gender: 'person.gender',
  phone: 'person.phone', email: 'person.email', address: 'person.address', areaId: 'person.area',
} as const;

/** The label of a PERSON_MERGE_GROUPS key. */
const personFieldLabel = (t: TFunction, field: string) => t(PERSON_LABELS[field as keyof typeof PERSON_LABELS] ?? 'person.name');

/** One of the person's details as the case shows it (and the merge view compares it). */
function PersonValue({ field, values: p }: { field: string; values: Required<PersonInput> }) {
  const { t } = useTranslation();
  const { areasById } = useNetwork();
  const none = <span className="muted-text">{t('person.notRecorded')}</span>;
  switch (field) {
    case 'name': return <strong><PersonNameText name={p.name} /></strong>;
    case 'nameKana': return p.nameKana ? <span lang="ja">{p.nameKana}</span> : none;
    case 'age': return <BirthText birthDate={p.birthDate} ageBand={p.ageBand} />;
    case 'gender': return p.gender ? <span lang="ja">{p.gender}</span> : none;
    case 'phone': return p.phone ? <a href={`tel:${p.phone.replace(/[^\d+]/g, '')}`}>{p.phone}</a> : none;
    case 'email': return p.email ? <a href={`mailto:${p.email}`}>{p.email}</a> : none;
    case 'address': return p.address ? <span lang="ja">{p.address}</span> : none;
    case 'areaId': return p.areaId ? <span lang="ja">{areasById.get(p.areaId)?.name ?? p.areaId}</span> : none;
    default: return none;
  }
}

function PersonFacts({ person }: { person: Person }) {
  const { t } = useTranslation();
  const values = recordedPerson(person);
  return (
    <div className="person-box card" data-testid="person-box">
      <Facts>
        {PERSON_MERGE_GROUPS.map(({ key }) => (
          <Fact key={key} label={personFieldLabel(t, key)}><PersonValue field={key} values={values} /></Fact>
        ))}
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
 * saved first, the fields that differ are shown side by side to merge — the
 * same MergeView as the consultation's correction form.
 */
function EditPerson({ person, onSaved, onDiscarded }: { person: Person; onSaved(): void; onDiscarded(latest: Person): void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [draft, setDraft] = useState<PersonDraft>(() => personDraftFrom(person));
  const [saving, setSaving] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const form = useFormErrors(() => personErrors(t, checkPersonDraft(draft, japanToday(new Date()))));
  const merge = useMerge<Person, Required<PersonInput>>({ groups: PERSON_MERGE_GROUPS, fieldsOf: recordedPerson, load: () => api.getPerson(person.id) });

  const update = (change: (d: PersonDraft) => PersonDraft, fields: PersonField[]) => {
    setDraft(change);
    form.clear(...fields);
  };

  function close() {
    setOpen(false);
    setDraft(personDraftFrom(person));
    form.reset();
    merge.end();
    requestAnimationFrame(() => buttonRef.current?.focus());
  }

  /** Saves the fields that differ from `base` over its version; someone saving first opens the merge. */
  async function save(base: Person, values: Required<PersonInput>) {
    const changes = changedPersonFields(recordedPerson(base), values);
    if (Object.keys(changes).length === 0) return discard(base);
    try {
      await api.updatePerson(person.id, { version: base.version, ...changes });
      merge.end();
      setOpen(false);
      onSaved();
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) await merge.begin(recordedPerson(base), values);
      else throw error;
    }
  }

  function discard(latest: Person) {
    merge.end();
    setOpen(false);
    setDraft(personDraftFrom(latest));
    onDiscarded(latest);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (saving || !form.validate()) return;
    if (Object.keys(changedPersonFields(recordedPerson(person), personDraftToInput(draft))).length === 0) {
      form.say(t('detail.noChanges'));
      return;
    }
    setSaving(true);
    try {
      await save(person, personDraftToInput(draft));
    } catch (error) {
      form.fail(error, (f) => { const at = caseFieldOf(f); return at?.kind === 'person' ? at.field : null; });
    } finally {
      setSaving(false);
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
      {merge.conflict || merge.loadError !== null
        ? (
          <MergeView
            merge={merge} idPrefix="person-merge" label={(key) => personFieldLabel(t, key)}
            value={(key, values) => <PersonValue field={key} values={values} />}
            onMerge={save} onDiscard={discard}
          />
        )
        : (
          <>
            <ErrorSummary errors={summaryOf(form.errors, PERSON_FIELDS, idOf)} general={form.general} attempt={form.attempt} />
            <PersonFields draft={draft} onChange={update} errors={form.errors} idPrefix={ID_PREFIX} />
            <div className="form-actions">
              <button type="submit" className="button" disabled={saving}>{saving ? t('detail.editSaving') : t('detail.editSubmit')}</button>
              <button type="button" className="button button--secondary" onClick={close}>{t('rules.form.cancel')}</button>
            </div>
          </>
        )}
    </form>
  );
}
