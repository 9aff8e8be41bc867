import { fileURLToPath } from 'node:url';
import type { Deps } from './lib/context.ts';
import { systemActor } from './lib/context.ts';
import { profileEntityId, municipalityId } from './lib/ids.ts';
import type { Role } from './modules/auth/roles.ts';
import { createUser } from './modules/auth/service.ts';
import { importProfile } from './modules/network/importer.ts';
import { readProfileFile } from './modules/network/profile.ts';
import { generateSynthetic, GenerateRefused, type Featured } from './tools/generate.ts';

export const MUSASHINO_PROFILE = fileURLToPath(new URL('../profiles/musashino.yaml', import.meta.url));
const MUSASHINO = '132039';

/** Known only in demo mode, and printed at start: never use demo mode with real data. */
export const DEMO_PASSWORD = 'tsunagu-demo-2026';
/** The demo accounts' authenticator secret, printed at start; `npx tsunagu totp-code` gives its current code. */
export const DEMO_TOTP_SECRET = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';

export const DEMO_USERS: { login: string; displayName: string; organization: string; role: Role; what: string; sensitive?: boolean }[] = [
  { login: 'demo-desk', displayName: 'デモ 窓口担当', organization: 'welfare-desk', role: 'hub_coordinator', what: '福祉総合相談窓口 (hub coordinator, 要配慮 grant)', sensitive: true },
  { login: 'demo-agency', displayName: 'デモ 自立相談支援員', organization: 'self-reliance-agency', role: 'org_staff', what: '生活困窮者自立相談支援機関 (organisation staff, 要配慮 grant)', sensitive: true },
  { login: 'demo-soreiyu', displayName: 'デモ それいゆ職員', organization: 'soreiyu', role: 'org_staff', what: 'それいゆ (organisation staff, no 要配慮 grant)' },
  { login: 'demo-admin', displayName: 'デモ 管理者', organization: 'livelihood-welfare-section', role: 'system_admin', what: '生活福祉課 (system admin)' },
  { login: 'demo-privacy', displayName: 'デモ 保護管理者', organization: 'livelihood-welfare-section', role: 'privacy_officer', what: '生活福祉課 (privacy officer, 保護管理者)' },
  { login: 'demo-auditor', displayName: 'デモ 監査担当', organization: 'livelihood-welfare-section', role: 'auditor', what: '生活福祉課 (auditor)' },
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
  for (const u of DEMO_USERS) {
    const exists = await deps.db.query('SELECT 1 FROM app_user WHERE lower(login) = lower($1)', [u.login]);
    if (exists.rows.length) continue;
    await createUser(deps, actor, {
      login: u.login, displayName: u.displayName, password: DEMO_PASSWORD, totpSecret: DEMO_TOTP_SECRET,
      memberships: [{ municipalityId: mid, organizationId: profileEntityId(MUSASHINO, 'organization', u.organization), role: u.role, sensitiveAccess: u.sensitive ?? false }],
    });
  }
  await seedDemoData(deps);
  return { imported, users: DEMO_USERS };
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
