-- Every share records its legal basis (DOMAIN.md §3): the person's consent, a
-- 支援会議 under 生活困窮者自立支援法第9条 or 社会福祉法第106条の6, a 重層的支援会議
-- (consent needed as well), or 個人情報保護法第69条第2項第2–4号 with a written
-- reason. Referrals sent before this migration are marked 'not_recorded'.
ALTER TABLE referral ADD COLUMN legal_basis text NOT NULL DEFAULT 'not_recorded'
  CHECK (legal_basis IN ('consent', 'poverty_act_9', 'social_welfare_act_106_6', 'multilayered_support_meeting', 'appi_69_2', 'not_recorded'));
ALTER TABLE referral ALTER COLUMN legal_basis DROP DEFAULT;
ALTER TABLE referral ADD COLUMN consent_id uuid;
ALTER TABLE referral ADD COLUMN meeting_series_id uuid;
ALTER TABLE referral ADD COLUMN meeting_date date;
ALTER TABLE referral ADD COLUMN basis_paragraph integer CHECK (basis_paragraph BETWEEN 2 AND 4);
ALTER TABLE referral ADD COLUMN basis_reason text;
-- set when the basis goes away (the consent is withdrawn): the receiver's view of the share ends
ALTER TABLE referral ADD COLUMN share_ended_at timestamptz;
ALTER TABLE referral ADD CONSTRAINT referral_consent_fk FOREIGN KEY (municipality_id, consent_id) REFERENCES consent (municipality_id, id);
ALTER TABLE referral ADD CONSTRAINT referral_meeting_series_fk FOREIGN KEY (municipality_id, meeting_series_id) REFERENCES meeting_series (municipality_id, id);
CREATE INDEX referral_by_consent ON referral (municipality_id, consent_id) WHERE consent_id IS NOT NULL;
