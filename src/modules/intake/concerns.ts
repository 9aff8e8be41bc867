import type { Deps } from '../../lib/context.ts';
import { systemActor } from '../../lib/context.ts';
import { recordAudit } from '../audit/service.ts';
import type { InboxItem, PublicInbox } from '../public/concerns.ts';
import { recordConsultation } from './service.ts';

const AGE_BAND_RANGES: Record<string, { min: number; max: number }> = {
  '10s': { min: 10, max: 19 }, '20s': { min: 20, max: 29 }, '30s': { min: 30, max: 39 }, '40s': { min: 40, max: 49 },
  '50s': { min: 50, max: 59 }, '60s': { min: 60, max: 69 }, '70s': { min: 70, max: 79 }, '80plus': { min: 80, max: 130 },
};

/**
 * Takes residents' concern reports in from the public inbox: each becomes a
 * consultation in the hub's triage queue, with the reporter's details kept
 * apart in concern_report. A submission already taken in (same id) is only
 * confirmed again, so a retry after a crash never makes a second consultation.
 */
export async function takeInConcerns(deps: Deps, inbox: PublicInbox, limit = 50): Promise<number> {
  const items = await inbox.fetch(limit);
  const done: InboxItem[] = [];
  for (const item of items) {
    await deps.db.transaction(async (tx) => {
      // two instances taking in at once: the second waits here, then sees it taken
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`concern:${item.id}`]);
      const seen = await tx.query('SELECT 1 FROM concern_report WHERE municipality_id = $1 AND id = $2', [item.municipalityId, item.id]);
      if (seen.rows.length) return;
      const hub = await tx.query<{ id: string }>('SELECT id FROM organization WHERE municipality_id = $1 AND hub AND active LIMIT 1', [item.municipalityId]);
      if (!hub.rows[0]) throw new Error(`Municipality ${item.municipalityId} has no hub to receive concern reports.`);
      const actor = { ...systemActor('public-intake'), municipalityId: item.municipalityId, organizationId: hub.rows[0].id, role: 'hub_coordinator' };
      const p = item.payload;
      const c = await recordConsultation({ ...deps, db: tx }, actor, {
        receivedAt: item.receivedAt.toISOString(),
        channel: 'online_form',
        consulterRelation: p.aboutRelation,
        ageBand: p.aboutAgeBand ? AGE_BAND_RANGES[p.aboutAgeBand] : null,
        issueTags: p.worries,
        summary: p.concern,
        urgency: 'normal',
        familyOnly: p.aboutRelation !== 'self',
      }, { source: 'concern_report' });
      await tx.query(
        `INSERT INTO concern_report (municipality_id, id, receipt_code, submitted_at, about_relation, about_age_band, concern,
           reporter_anonymous, reporter_name, reporter_phone, reporter_email, consultation_id, taken_in_at)
         VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13)`,
        [item.municipalityId, item.id, item.receiptCode, item.receivedAt, p.aboutRelation, p.aboutAgeBand ?? null, p.concern, p.anonymous,
          p.name ?? null, p.phone ?? null, p.email ?? null, c.id, deps.clock.now()],
      );
      await recordAudit(tx, deps.clock, actor, { action: 'concern.take_in', entityType: 'concern_report', entityId: item.id, details: { consultationId: c.id } });
    });
    done.push(item);
  }
  if (done.length) await inbox.confirm(done);
  return done.length;
}
