import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { api } from '../api.ts';
import { DateText } from '../components/DateText.tsx';
import { usePageTitle } from '../components/PageTools.tsx';
import { ErrorPanel, Loading } from '../components/Status.tsx';
import { japanToday, PLACEMENT_KINDS, placementsApi, SUPPORT_KINDS, WEEKDAYS, type Placement, type PlacementInput } from '../programs/placements/api.ts';
import { useResource } from '../useResource.ts';

/** Keys built from codes the server sends (kinds, aspects, weekdays) are checked by the i18n key test, not by the compiler. */
type Loose = (key: string, options?: Record<string, unknown>) => string;

const list = (text: string) => text.split(/[、,\n]/).map((s) => s.trim()).filter(Boolean);
const num = (text: string) => (text.trim() === '' ? null : Number(text));

/**
 * 受け入れ先と職場定着: the queue of 職場定着 check-ins due, and the placements
 * (参加体験・中間的就労・就労) with an editor for the staff who run the work programs.
 */
export function PlacementsPage() {
  const { t: typed } = useTranslation();
  const t = typed as unknown as Loose;
  usePageTitle(t('placements.title'));
  const [placements, reload] = useResource('placements', (signal) => placementsApi.list(signal));
  const [queue, reloadQueue] = useResource('placement-check-ins', (signal) => placementsApi.dueCheckIns(signal));
  const [editing, setEditing] = useState<Placement | 'new' | null>(null);
  return (
    <article className="page">
      <div className="page__heading">
        <h1>{t('placements.title')}</h1>
        <div className="page__actions no-print">
          <button type="button" className="button" onClick={() => setEditing('new')}>{t('placements.new')}</button>
        </div>
      </div>
      <p className="page__intro">{t('placements.intro')}</p>

      <section aria-labelledby="check-in-queue">
        <h2 id="check-in-queue">{t('placements.queue.title')}</h2>
        {queue.status === 'loading' && <Loading />}
        {queue.status === 'error' && <ErrorPanel error={queue.error} onRetry={reloadQueue} />}
        {queue.status === 'ok' && (queue.data.items.length === 0 ? <p className="empty">{t('placements.queue.empty')}</p> : (
          <ul className="plain-list" data-testid="check-in-queue">
            {queue.data.items.map((q) => <CheckInItem key={`${q.recordId}-${q.months}`} item={q} onDone={reloadQueue} />)}
          </ul>
        ))}
      </section>

      {editing && <PlacementEditor key={editing === 'new' ? 'new' : editing.id} placement={editing === 'new' ? null : editing} onClose={() => setEditing(null)} onSaved={() => { setEditing(null); reload(); }} />}

      <section aria-labelledby="placement-list">
        <h2 id="placement-list">{t('placements.list')}</h2>
        {placements.status === 'loading' && <Loading />}
        {placements.status === 'error' && <ErrorPanel error={placements.error} onRetry={reload} />}
        {placements.status === 'ok' && (placements.data.items.length === 0 ? <p className="empty">{t('placements.empty')}</p> : (
          <div className="table-wrap">
            <table className="table" data-testid="placements">
              <thead>
                <tr>
                  <th scope="col">{t('placements.name')}</th><th scope="col">{t('placements.kindLabel')}</th><th scope="col">{t('placements.tasks')}</th>
                  <th scope="col">{t('placements.hours')}</th><th scope="col">{t('placements.area')}</th><th scope="col">{t('placements.placesLeft')}</th><th scope="col" />
                </tr>
              </thead>
              <tbody>
                {placements.data.items.map((p) => (
                  <tr key={p.id}>
                    <td>{p.name}{!p.active && ` (${t('placements.inactive')})`}</td>
                    <td>{t(`placements.kind.${p.kind}`)}</td>
                    <td>{p.tasks.join('、')}</td>
                    <td>{t('placements.hoursValue', { min: p.hoursMin ?? '—', max: p.hoursMax ?? '—' })}</td>
                    <td>{p.area?.name ?? p.place ?? '—'}</td>
                    <td>{t('placements.placesValue', { left: p.placesLeft, capacity: p.capacity })}</td>
                    <td><button type="button" className="button button--secondary" onClick={() => setEditing(p)}>{t('placements.edit', { name: p.name })}</button></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
      </section>
    </article>
  );
}

function CheckInItem({ item, onDone }: { item: { recordId: string; caseId: string; caseReference: string; placement: { name: string }; months: number; dueOn: string }; onDone: () => void }) {
  const { t: typed } = useTranslation();
  const t = typed as unknown as Loose;
  const [error, setError] = useState<string | null>(null);
  const record = async (stillWorking: boolean) => {
    try {
      await placementsApi.recordCheckIn(item.recordId, item.months, { doneOn: japanToday(), stillWorking });
      onDone();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <li className="card">
      <p>
        <Link to={`/cases/${encodeURIComponent(item.caseId)}/placements`}>{item.caseReference}</Link>{' '}
        {t('placements.queue.item', { placement: item.placement.name, months: item.months })} — {t('placements.queue.due')} <DateText value={item.dueOn} />
      </p>
      <div className="page__actions">
        <button type="button" className="button" onClick={() => record(true)}>{t('placements.queue.stillWorking')}</button>
        <button type="button" className="button button--secondary" onClick={() => record(false)}>{t('placements.queue.left')}</button>
      </div>
      {error && <p className="field__error" role="alert">{error}</p>}
    </li>
  );
}

function PlacementEditor({ placement, onClose, onSaved }: { placement: Placement | null; onClose: () => void; onSaved: () => void }) {
  const { t: typed } = useTranslation();
  const t = typed as unknown as Loose;
  const [network] = useResource('network', (signal) => api.getNetwork(signal));
  const [error, setError] = useState<string | null>(null);
  const p = placement;
  const submit = async (ev: FormEvent<HTMLFormElement>) => {
    ev.preventDefault();
    const f = new FormData(ev.currentTarget);
    const s = (k: string) => String(f.get(k) ?? '');
    const body: PlacementInput = {
      name: s('name'), kind: s('kind'), programId: s('programId') || null, tasks: list(s('tasks')), hoursMin: num(s('hoursMin')), hoursMax: num(s('hoursMax')),
      days: f.getAll('days').map(String), areaId: s('areaId') || null, place: s('place') || null, travelNotes: s('travelNotes') || null,
      supportOffered: f.getAll('supportOffered').map(String), supportNotes: s('supportNotes') || null, capacity: Number(s('capacity') || 0), contact: s('contact') || null,
      active: f.get('active') === 'on',
    };
    try {
      if (p) await placementsApi.update(p.id, { ...body, version: p.version });
      else await placementsApi.create(body);
      onSaved();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  // programs and areas come with the network: the form waits for them so the saved choices show
  if (network.status !== 'ok') return network.status === 'error' ? <ErrorPanel error={network.error} /> : <Loading />;
  const programs = network.data.programs.filter((x) => x.kind === 'work' || x.kind === 'participation');
  const areas = network.data.areas;
  return (
    <section aria-labelledby="placement-editor" className="card">
      <h2 id="placement-editor">{p ? t('placements.editTitle', { name: p.name }) : t('placements.new')}</h2>
      <form onSubmit={submit} className="form">
        <div className="field"><label htmlFor="pl-name">{t('placements.name')}</label><input id="pl-name" name="name" required maxLength={200} defaultValue={p?.name} /></div>
        <div className="field">
          <label htmlFor="pl-kind">{t('placements.kindLabel')}</label>
          <select id="pl-kind" name="kind" defaultValue={p?.kind ?? 'trial'}>{PLACEMENT_KINDS.map((k) => <option key={k} value={k}>{t(`placements.kind.${k}`)}</option>)}</select>
        </div>
        <div className="field">
          <label htmlFor="pl-program">{t('placements.program')}</label>
          <select id="pl-program" name="programId" defaultValue={p?.program?.id ?? ''}>
            <option value="">{t('placements.none')}</option>
            {programs.map((x) => <option key={x.id} value={x.id}>{x.name}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor="pl-tasks">{t('placements.tasks')}</label><p className="field__hint">{t('placements.listHint')}</p><input id="pl-tasks" name="tasks" defaultValue={p?.tasks.join('、')} /></div>
        <div className="field"><label htmlFor="pl-hours-min">{t('placements.hoursMin')}</label><input id="pl-hours-min" name="hoursMin" type="number" min={0} max={80} step="0.5" defaultValue={p?.hoursMin ?? ''} /></div>
        <div className="field"><label htmlFor="pl-hours-max">{t('placements.hoursMax')}</label><input id="pl-hours-max" name="hoursMax" type="number" min={0} max={80} step="0.5" defaultValue={p?.hoursMax ?? ''} /></div>
        <fieldset className="field"><legend>{t('placements.days')}</legend>
          {WEEKDAYS.map((d) => <label key={d} className="choice"><input type="checkbox" name="days" value={d} defaultChecked={p?.days.includes(d)} /> {t(`placements.weekday.${d}`)}</label>)}
        </fieldset>
        <div className="field">
          <label htmlFor="pl-area">{t('placements.area')}</label>
          <select id="pl-area" name="areaId" defaultValue={p?.area?.id ?? ''}>
            <option value="">{t('placements.none')}</option>
            {areas.map((a) => <option key={a.id} value={a.id}>{a.name}</option>)}
          </select>
        </div>
        <div className="field"><label htmlFor="pl-place">{t('placements.place')}</label><input id="pl-place" name="place" maxLength={300} defaultValue={p?.place ?? ''} /></div>
        <div className="field"><label htmlFor="pl-travel">{t('placements.travelNotes')}</label><input id="pl-travel" name="travelNotes" maxLength={1000} defaultValue={p?.travelNotes ?? ''} /></div>
        <fieldset className="field"><legend>{t('placements.supportOffered')}</legend>
          {SUPPORT_KINDS.map((k) => <label key={k} className="choice"><input type="checkbox" name="supportOffered" value={k} defaultChecked={p?.supportOffered.includes(k)} /> {t(`placements.support.${k}`)}</label>)}
        </fieldset>
        <div className="field"><label htmlFor="pl-support-notes">{t('placements.supportNotes')}</label><textarea id="pl-support-notes" name="supportNotes" maxLength={2000} defaultValue={p?.supportNotes ?? ''} /></div>
        <div className="field"><label htmlFor="pl-capacity">{t('placements.capacity')}</label><input id="pl-capacity" name="capacity" type="number" min={0} max={1000} required defaultValue={p?.capacity ?? 1} /></div>
        <div className="field"><label htmlFor="pl-contact">{t('placements.contact')}</label><input id="pl-contact" name="contact" maxLength={500} defaultValue={p?.contact ?? ''} /></div>
        <label className="choice"><input type="checkbox" name="active" defaultChecked={p?.active ?? true} /> {t('placements.activeLabel')}</label>
        {error && <p className="field__error" role="alert">{error}</p>}
        <div className="page__actions">
          <button type="submit" className="button">{t('placements.save')}</button>
          <button type="button" className="button button--secondary" onClick={onClose}>{t('placements.cancel')}</button>
        </div>
      </form>
    </section>
  );
}
