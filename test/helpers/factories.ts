import { readFileSync } from 'node:fs';
import type { Config } from '../../src/config.ts';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/index.ts';
import { createTestDb } from './db.ts';
import { buildApp, type App } from '../../src/http/app.ts';
import { FakeClock, systemClock, type Clock } from '../../src/lib/clock.ts';
import { currentCode } from '../../src/modules/auth/mfa.ts';
import { systemActor } from '../../src/lib/context.ts';
import { municipalityId, profileEntityId } from '../../src/lib/ids.ts';
import type { Role } from '../../src/modules/auth/roles.ts';
import { createUser } from '../../src/modules/auth/service.ts';
import { importProfile } from '../../src/modules/network/importer.ts';
import { parseProfile } from '../../src/modules/network/profile.ts';
import { MUSASHINO_PROFILE } from '../../src/demo.ts';

export const MUSASHINO_CODE = '132039';
export const MUSASHINO_ID = municipalityId(MUSASHINO_CODE);
export const musashinoText = () => readFileSync(MUSASHINO_PROFILE, 'utf8');
export const orgId = (key: string, code = MUSASHINO_CODE) => profileEntityId(code, 'organization', key);
export const programId = (key: string, code = MUSASHINO_CODE) => profileEntityId(code, 'program', key);

export async function importMusashino(db: Db, clock: Clock = new FakeClock()) {
  const text = musashinoText();
  return importProfile({ db, clock }, systemActor('test'), parseProfile(text, 'musashino.yaml'), text);
}

/**
 * Musashino with its 総合支援調整会議 held as a 支援会議 (社会福祉法第106条の6)
 * with the given member organisations. The seed does not say which basis the
 * city uses; a city that holds it as one sets this in its profile.
 */
export async function importMusashinoWithSupportMeeting(db: Db, members: string[], clock: Clock = new FakeClock()) {
  const text = musashinoText();
  const profile = parseProfile(text, 'musashino.yaml');
  const series = profile.meetingSeries!.find((s) => s.id === 'comprehensive-support-coordination-meeting')!;
  Object.assign(series, { legalBasis: 'social_welfare_act_106_6', members });
  return importProfile({ db, clock }, systemActor('test'), profile, text);
}

export const meetingSeriesId = (key: string, code = MUSASHINO_CODE) => profileEntityId(code, 'meeting_series', key);

export const HOSHINO_CODE = '990001';
export const HOSHINO_PROFILE = new URL('../../profiles/hoshino-fictional.yaml', import.meta.url).pathname;

/** Imports the fictional second municipality, whose network has another shape. */
export async function importHoshino(db: Db, clock: Clock = new FakeClock()) {
  const text = readFileSync(HOSHINO_PROFILE, 'utf8');
  return importProfile({ db, clock }, systemActor('test'), parseProfile(text, 'hoshino-fictional.yaml'), text);
}

export const TOKYO_CODE = '130001';
export const TOKYO_PROFILE = new URL('../../profiles/tokyo-prefecture.yaml', import.meta.url).pathname;

/** Imports the prefecture's centre (東京都ひきこもりサポートネット) as a tenant of its own. */
export async function importTokyoPrefecture(db: Db, clock: Clock = new FakeClock()) {
  const text = readFileSync(TOKYO_PROFILE, 'utf8');
  return importProfile({ db, clock }, systemActor('test'), parseProfile(text, 'tokyo-prefecture.yaml'), text);
}

export const TEST_PASSWORD = 'correct horse battery staple';
/** Every test user's authenticator secret, so tests can compute codes. */
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

let userSeq = 0;
/**
 * A staff user with one membership in an organisation (of Musashino unless `code` names another).
 * Fixtures hold the 要配慮 grant unless `sensitive: false`; the grant's own tests turn it off.
 */
export async function buildUser(db: Db, opts: { org?: string; role?: Role; login?: string; clock?: Clock; code?: string; enrolled?: boolean; sensitive?: boolean } = {}) {
  const code = opts.code ?? MUSASHINO_CODE;
  const login = opts.login ?? `user${++userSeq}-${Math.random().toString(36).slice(2, 8)}`;
  return createUser({ db, clock: opts.clock ?? new FakeClock() }, systemActor('test'), {
    login, displayName: `テスト ${login}`, password: TEST_PASSWORD, totpSecret: opts.enrolled === false ? undefined : TEST_TOTP_SECRET,
    memberships: [{ municipalityId: municipalityId(code), organizationId: orgId(opts.org ?? 'welfare-desk', code), role: opts.role ?? 'org_staff', sensitiveAccess: opts.sensitive ?? true }],
  });
}

export function testConfig(overrides: Partial<Config['auth']> = {}): Config {
  const base = loadConfig({ TSUNAGU_DATA_DIR: '/nonexistent' } as NodeJS.ProcessEnv, { demo: false });
  // tests sign in many users from one address; the per-address limit has its own test
  // and two test files share two cores, so event-loop delay says nothing about this app: no load shedding.
  // Tests of other features sign in with the password alone; the sign-in tests turn the second factor on.
  return { ...base, auth: { ...base.auth, secureCookies: false, signInAttemptsPerMinute: 10_000, requireMfa: false, ...overrides }, load: { maxEventLoopDelayMs: 0, maxHeapUsedBytes: 0 } };
}

export async function buildTestApp(db: Db, opts: { clock?: Clock; config?: Config } = {}): Promise<App> {
  const app = await buildApp({ db, clock: opts.clock ?? new FakeClock(), config: opts.config ?? testConfig() });
  await app.ready();
  return app;
}

/** Signs in through the API (with the authenticator code when asked) and returns what later requests need. */
export async function signInAs(app: App, login: string, password = TEST_PASSWORD, clock: Clock = systemClock) {
  const res = await app.inject({ method: 'POST', url: '/api/session', payload: { login, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'tsunagu_session')!;
  let body = res.json() as { csrfToken: string; secondFactor?: string };
  if (body.secondFactor === 'verify') {
    const second = await app.inject({ method: 'POST', url: '/api/session/second-factor', headers: { cookie: `tsunagu_session=${cookie.value}` }, payload: { code: currentCode(TEST_TOTP_SECRET, clock.now()) } });
    if (second.statusCode !== 200) throw new Error(`second factor failed: ${second.statusCode} ${second.body}`);
    body = second.json();
  }
  return { cookie: `tsunagu_session=${cookie.value}`, csrfToken: body.csrfToken, headers: { cookie: `tsunagu_session=${cookie.value}`, 'x-csrf-token': body.csrfToken } };
}

/**
 * What the prefecture's tests stand on: Musashino, Hoshino (unless `hoshino`
 * is false) and the prefecture imported, an app on `clock`, and `user(org,
 * role, code)` making a signed-in staff member. `signInAgain` renews every
 * such session after the clock has moved past their lifetime.
 */
export async function prefectureWorld(clock: Clock, opts: { hoshino?: boolean; signInClock?: Clock } = {}) {
  const t = await createTestDb();
  await importMusashino(t.db);
  if (opts.hoshino !== false) await importHoshino(t.db);
  await importTokyoPrefecture(t.db);
  const app = await buildTestApp(t.db, { clock });
  const logins = new Map<Record<string, string>, string>();
  const user = async (org: string, role: Role, code: string, extra: { sensitive?: boolean } = {}) => {
    const u = await buildUser(t.db, { org, role, code, clock, ...extra });
    const headers: Record<string, string> = (await signInAs(app, u.login, undefined, opts.signInClock)).headers;
    logins.set(headers, u.login);
    return { id: u.id as string, headers };
  };
  const signInAgain = async () => {
    for (const [h, login] of logins) Object.assign(h, (await signInAs(app, login, undefined, opts.signInClock)).headers);
  };
  const close = async () => {
    await app.close();
    await t.close();
  };
  return { t, app, user, signInAgain, close };
}

/** A legal basis for referrals in tests that are not about the basis (DOMAIN.md §3). */
export const TEST_SHARE_BASIS = { basis: 'appi_69_2', paragraph: 3, reason: '支援の調整に必要なため（テスト）' } as const;
