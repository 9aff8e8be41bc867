-- Every organisation belongs to one municipality, but the planner, not told,
-- takes the two conditions of "this municipality's rows of this organisation"
-- as independent and multiplies their shares: with 62 municipalities it
-- expected 188 of a hub's 9,997 consultations at the tokyo size, and so sorted
-- all of them (10 to 40 ms) rather than read the newest in order (0.3 ms).
-- Dependency statistics tell it that the organisation decides the municipality.
CREATE STATISTICS consultation_organizations (dependencies)
  ON municipality_id, door_organization_id, holder_organization_id, destination_organization_id FROM consultation;
CREATE STATISTICS consultation_step_organizations (dependencies) ON municipality_id, from_organization_id, to_organization_id FROM consultation_step;
CREATE STATISTICS referral_organizations (dependencies) ON municipality_id, from_organization_id, to_organization_id FROM referral;
CREATE STATISTICS referral_event_organization (dependencies) ON municipality_id, organization_id FROM referral_event;
CREATE STATISTICS support_case_lead (dependencies) ON municipality_id, lead_organization_id FROM support_case;
CREATE STATISTICS case_participant_organization (dependencies) ON municipality_id, organization_id FROM case_participant;
CREATE STATISTICS case_event_organization (dependencies) ON municipality_id, organization_id FROM case_event;
CREATE STATISTICS contact_record_organization (dependencies) ON municipality_id, organization_id FROM contact_record;
CREATE STATISTICS consent_organization_organization (dependencies) ON municipality_id, organization_id FROM consent_organization;
-- statistics are filled by ANALYZE; PGlite runs none of its own
ANALYZE consultation, consultation_step, referral, referral_event, support_case, case_participant, case_event, contact_record, consent_organization;
