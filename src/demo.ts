import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Actor, Deps } from './lib/context.ts';
import { systemActor } from './lib/context.ts';
import { profileEntityId, municipalityId } from './lib/ids.ts';
import type { Role } from './modules/auth/roles.ts';
import { createUser } from './modules/auth/service.ts';
import { importProfile } from './modules/network/importer.ts';
import { readProfileFile } from './modules/network/profile.ts';
import { generateSynthetic, GenerateRefused, type Featured } from './tools/generate.ts';
import { inviteOrganizations, returnOverdueActions, setRecurrence } from './modules/meetings/service.ts';
import { addDays, japanDate } from './lib/fiscal.ts';
import { createMeeting, register } from './modules/prefecture/supporterMeetings.ts';
import { importVisit } from './modules/prefecture/visits.ts';

export const MUSASHINO_PROFILE = fileURLToPath(new URL('../profiles/musashino.yaml', import.meta.url));
const MUSASHINO = '132039';
/** The prefecture's centre and a second (fictional) municipality beside Musashino, so the centre's pages compare two networks. */
const OTHER_PROFILES = ['../profiles/tokyo-prefecture.yaml', '../profiles/hoshino-fictional.yaml'].map((p) => fileURLToPath(new URL(p, import.meta.url)));
const TOKYO = '130001';
/** The centre's record of its visit to Musashino on 2024-12-03: the document the project comes from. */
const MUSASHINO_VISIT = fileURLToPath(new URL('../profiles/visits/musashino-2024-12-03.txt', import.meta.url));

/** Known only in demo mode, and printed at start: never use demo mode with real data. */
export const DEMO_PASSWORD = 'tsunagu-demo-2026';
/** The demo accounts' authenticator secret, printed at start; `npx tsunagu totp-code` gives its current code. */
export const DEMO_TOTP_SECRET = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';

export const DEMO_USERS: { login: string; displayName: string; organization: string; role: Role; what: string; sensitive?: boolean; municipality?: string }[] = [
  { login: 'demo-desk', displayName: 'デモ 窓口担当', organization: 'welfare-desk', role: 'hub_coordinator', what: '福祉総合相談窓口 (hub coordinator, 要配慮 grant)', sensitive: true },
  { login: 'demo-agency', displayName: 'デモ 自立相談支援員', organization: 'self-reliance-agency', role: 'org_staff', what: '生活困窮者自立相談支援機関 (organisation staff, 要配慮 grant)', sensitive: true },
  { login: 'demo-soreiyu', displayName: 'デモ それいゆ職員', organization: 'soreiyu', role: 'org_staff', what: 'それいゆ (organisation staff, no 要配慮 grant)' },
  { login: 'demo-admin', displayName: 'デモ 管理者', organization: 'livelihood-welfare-section', role: 'system_admin', what: '生活福祉課 (system admin)' },
  { login: 'demo-privacy', displayName: 'デモ 保護管理者', organization: 'livelihood-welfare-section', role: 'privacy_officer', what: '生活福祉課 (privacy officer, 保護管理者)' },
  { login: 'demo-auditor', displayName: 'デモ 監査担当', organization: 'livelihood-welfare-section', role: 'auditor', what: '生活福祉課 (auditor)' },
  { login: 'demo-centre', displayName: 'デモ サポートネット職員', organization: 'support-net', role: 'prefecture_staff', what: '東京都ひきこもりサポートネット (prefecture centre staff)', municipality: TOKYO },
];

/** The demo's synthetic data set: always the same (fictional) persons, dated up to the day of the first start. */
const DEMO_SEED = 2026;

/**
 * What each demo user finds waiting the first time: consultations in the
 * desk's triage queue and in the queues of それいゆ and the self-reliance agency,
 * and referrals coming in to both, some overdue.
 */
const DEMO_FEATURED: Featured = {
  triage: [
    { organization: 'welfare-desk', count: 4 }, { organization: 'soreiyu', count: 3 },
    { organization: 'self-reliance-agency', count: 2 }, { organization: 'community-support-section', count: 1 },
  ],
  incomingReferrals: [{ organization: 'soreiyu', open: 3, overdue: 1 }, { organization: 'self-reliance-agency', open: 3, overdue: 2 }],
};

/**
 * Loads Musashino's network when the database has none, creates the demo
 * users that do not exist yet, and the first time, a small synthetic data set
 * (60 fictional persons and their cases, consultations, records and referrals)
 * so that no screen starts empty. Only ever called in demo mode.
 */
export async function seedDemo(deps: Deps): Promise<{ imported: boolean; users: typeof DEMO_USERS }> {
  const actor = systemActor('demo');
  const mid = municipalityId(MUSASHINO);
  const { rows } = await deps.db.query('SELECT 1 FROM municipality WHERE id = $1', [mid]);
  let imported = false;
  if (!rows.length) {
    const { profile, text } = await readProfileFile(MUSASHINO_PROFILE);
    await importProfile(deps, actor, profile, text);
    imported = true;
  }
  for (const file of OTHER_PROFILES) {
    const { profile, text } = await readProfileFile(file);
    const known = await deps.db.query('SELECT 1 FROM municipality WHERE id = $1', [municipalityId(profile.municipality.code)]);
    if (!known.rows.length) await importProfile(deps, actor, profile, text);
  }
  for (const u of DEMO_USERS) {
    const exists = await deps.db.query('SELECT 1 FROM app_user WHERE lower(login) = lower($1)', [u.login]);
    if (exists.rows.length) continue;
    await createUser(deps, actor, {
      login: u.login, displayName: u.displayName, password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET,
      memberships: [{
        municipalityId: municipalityId(u.municipality ?? MUSASHINO), organizationId: profileEntityId(u.municipality ?? MUSASHINO, 'organization', u.organization),
        role: u.role, sensitiveAccess: u.sensitive ?? false,
      }],
    });
  }
  await seedDemoData(deps);
  await seedDemoMeetings(deps);
  await seedDemoVisit(deps);
  await seedDemoSupporterMeetings(deps);
  return { imported, users: DEMO_USERS };
}

/** The centre's visit to Musashino, once, imported from its text as the centre would. */
async function seedDemoVisit(deps: Deps): Promise<void> {
  const { rows } = await deps.db.query('SELECT 1 FROM network_visit WHERE prefecture_id = $1 LIMIT 1', [municipalityId(TOKYO)]);
  if (rows.length) return;
  const centre: Actor = { userId: null, login: 'system:demo', municipalityId: municipalityId(TOKYO), organizationId: profileEntityId(TOKYO, 'organization', 'support-net'), role: 'prefecture_staff' };
  await importVisit(deps, centre, await readFile(MUSASHINO_VISIT, 'utf8'));
}

/**
 * The centre's supporters' exchange meeting and training, once: both ahead,
 * inviting every municipality it covers, with a colleague of Musashino's desk
 * registered for the exchange meeting (the invitations are in the desk's お知らせ).
 */
async function seedDemoSupporterMeetings(deps: Deps): Promise<void> {
  const { rows } = await deps.db.query('SELECT 1 FROM supporter_meeting WHERE municipality_id = $1 LIMIT 1', [municipalityId(TOKYO)]);
  if (rows.length) return;
  const centre: Actor = { userId: null, login: 'system:demo', municipalityId: municipalityId(TOKYO), organizationId: profileEntityId(TOKYO, 'organization', 'support-net'), role: 'prefecture_staff' };
  const today = japanDate(deps.clock.now());
  const common = { online: false, allMunicipalities: true, municipalityCodes: [], partnerIds: [] };
  const exchange = await createMeeting(deps, centre, {
    ...common, kind: 'exchange', title: '支援者交流会（多摩地域）', date: addDays(today, 21), startTime: '14:00', endTime: '16:30', place: '都庁第一本庁舎 会議室',
    capacity: 40, registrationDeadline: addDays(today, 14), description: '各区市町村と連携団体の取組を紹介し合い、つなぎ先について情報交換します。',
  });
  await createMeeting(deps, centre, {
    ...common, kind: 'training', title: 'ひきこもり支援研修（アウトリーチの基礎）', date: addDays(today, 42), startTime: '10:00', endTime: '12:00', place: null, online: true,
    capacity: 100, registrationDeadline: addDays(today, 35), description: '訪問支援の基本と、家族への関わり方を学びます。',
  });
  const desk: Actor = { userId: null, login: 'system:demo', municipalityId: municipalityId(MUSASHINO), organizationId: profileEntityId(MUSASHINO, 'organization', 'welfare-desk'), role: 'hub_coordinator' };
  await register(deps, desk, exchange.id, { name: 'デモ 相談員', section: '福祉総合相談窓口', job: '社会福祉士' });
}

/**
 * The meetings, once: the synthetic data holds the past sessions (agendas,
 * minutes, decisions, action items); here 支援調整会議 every month (second
 * Tuesday) and 総合支援調整会議 in odd months (third Thursday) are scheduled
 * ahead, and the overdue action items come back on the next agenda.
 */
async function seedDemoMeetings(deps: Deps): Promise<void> {
  const mid = municipalityId(MUSASHINO);
  const { rows } = await deps.db.query('SELECT 1 FROM meeting_recurrence WHERE municipality_id = $1 LIMIT 1', [mid]);
  if (rows.length) return;
  const org = (key: string) => profileEntityId(MUSASHINO, 'organization', key);
  const series = (key: string) => profileEntityId(MUSASHINO, 'meeting_series', key);
  const desk: Actor = { userId: null, login: 'system:demo', municipalityId: mid, organizationId: org('welfare-desk'), role: 'hub_coordinator' };
  await setRecurrence(deps, desk, series('support-coordination-meeting'), {
    rule: { months: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], weekday: 2, nth: 2, start: '14:00', minutes: 90 }, holidayShift: 'next_weekday', place: '市役所 西棟 会議室', count: 6,
  });
  const { sessions } = await setRecurrence(deps, desk, series('comprehensive-support-coordination-meeting'), {
    rule: { months: [1, 3, 5, 7, 9, 11], weekday: 4, nth: 3, start: '10:00', minutes: 120 }, holidayShift: 'next_weekday', place: '市役所 8階 会議室', count: 3,
  });
  if (sessions[0]) await inviteOrganizations(deps, desk, sessions[0].id, [org('soreiyu'), org('self-reliance-agency'), org('health-section')]);
  await returnOverdueActions(deps);
}

/** The synthetic demo data, once: nothing is added when Musashino already has cases or consultations. */
async function seedDemoData(deps: Deps): Promise<void> {
  const mid = municipalityId(MUSASHINO);
  const { rows } = await deps.db.query<{ busy: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM support_case WHERE municipality_id = $1) OR EXISTS (SELECT 1 FROM consultation WHERE municipality_id = $1) AS busy`, [mid]);
  if (rows[0].busy) return;
  try {
    const summary = await generateSynthetic(deps, systemActor('demo'), { size: 'demo', seed: DEMO_SEED, featured: DEMO_FEATURED });
    const n = (t: string) => summary.rows[t] ?? 0;
    console.log(`Loaded demo data — fictional persons only: ${n('support_case')} cases, ${n('consultation')} consultations, ${n('contact_record')} contact records, ${n('referral')} referrals (${summary.seconds.toFixed(1)} s).`);
  } catch (err) {
    // another municipality's data is in the way: start without demo data rather than not at all
    if (!(err instanceof GenerateRefused)) throw err;
    console.log(`No demo data loaded: ${err.message}`);
  }
}
