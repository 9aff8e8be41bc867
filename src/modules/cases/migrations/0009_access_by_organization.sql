-- Indexes for the access rule (cases/access.ts accessLevelSql) when it runs
-- over a whole list: "does this organisation take part in the case?" and
-- "does an active consent name this organisation?".
--
-- In a list (GET /api/cases, person search by an organisation's staff) the
-- planner turns those EXISTS subqueries into hashed subplans: it runs each
-- once, for the organisation alone, without the correlated municipality_id,
-- so case_participant_by_org (which leads with municipality_id) cannot serve
-- it and it scanned all of case_participant and consent. On the Tokyo-size
-- synthetic data set (855,000 participations, 62 municipalities) that made an
-- organisation's first page of cases take 270–525 ms; with these, 7–10 ms
-- (bench/README.md, "Case list and search"). Organisation ids are unique
-- across municipalities, so leading with organization_id keeps each entry
-- within one tenant.
CREATE INDEX case_participant_active_by_org_only ON case_participant (organization_id, municipality_id, case_id) WHERE until IS NULL;
CREATE INDEX consent_organization_by_org ON consent_organization (organization_id, municipality_id, consent_id);
