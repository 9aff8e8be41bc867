import { fileURLToPath } from 'node:url';
import type { Deps } from './lib/context.ts';
import { systemActor } from './lib/context.ts';
import { profileEntityId, municipalityId } from './lib/ids.ts';
import type { Role } from './modules/auth/roles.ts';
import { createUser } from './modules/auth/service.ts';
import { importProfile } from './modules/network/importer.ts';
import { readProfileFile } from './modules/network/profile.ts';

export const MUSASHINO_PROFILE = fileURLToPath(new URL('../profiles/musashino.yaml', import.meta.url));
const MUSASHINO = '132039';

/** Known only in demo mode, and printed at start: never use demo mode with real data. */
export const DEMO_PASSWORD = 'tsunagu-demo-2026';

export const DEMO_USERS: { login: string; displayName: string; organization: string; role: Role; what: string }[] = [
  { login: 'demo-desk', displayName: 'デモ 窓口担当', organization: 'welfare-desk', role: 'hub_coordinator', what: '福祉総合相談窓口 (hub coordinator)' },
  { login: 'demo-soreiyu', displayName: 'デモ それいゆ職員', organization: 'soreiyu', role: 'org_staff', what: 'それいゆ (organisation staff)' },
  { login: 'demo-admin', displayName: 'デモ 管理者', organization: 'livelihood-welfare-section', role: 'system_admin', what: '生活福祉課 (system admin)' },
  { login: 'demo-auditor', displayName: 'デモ 監査担当', organization: 'livelihood-welfare-section', role: 'auditor', what: '生活福祉課 (auditor)' },
];

/**
 * Loads Musashino's network when the database has none, and creates the demo
 * users that do not exist yet. Only ever called in demo mode.
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
      login: u.login, displayName: u.displayName, password: DEMO_PASSWORD,
      memberships: [{ municipalityId: mid, organizationId: profileEntityId(MUSASHINO, 'organization', u.organization), role: u.role }],
    });
  }
  return { imported, users: DEMO_USERS };
}
