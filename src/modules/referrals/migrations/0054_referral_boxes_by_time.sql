-- The incoming and outgoing boxes are pages of one organisation's referrals,
-- newest first. 0007's indexes put the status between the organisation and the
-- time, so a box of every status read all the organisation's referrals and
-- sorted them: at the tokyo size the hub's outgoing box (7,400 referrals) took
-- 34 ms a page. These read the page in order (under 1 ms).
CREATE INDEX referral_sent_by ON referral (municipality_id, from_organization_id, sent_at DESC, id DESC);
CREATE INDEX referral_sent_to ON referral (municipality_id, to_organization_id, sent_at DESC, id DESC);
