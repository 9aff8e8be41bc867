-- Closed-loop referrals (つなぎ) between organisations: sent → accepted or
-- declined → first contact → ongoing → completed or returned.

CREATE TABLE referral (
  municipality_id uuid NOT NULL,
  id uuid NOT NULL,
  case_id uuid NOT NULL,
  from_organization_id uuid NOT NULL,
  to_organization_id uuid NOT NULL,
  to_program_id uuid,
  reason text NOT NULL,
  shared_summary text NOT NULL,
  urgency text NOT NULL CHECK (urgency IN ('normal', 'urgent', 'emergency')),
  first_contact_due date NOT NULL,
  status text NOT NULL CHECK (status IN ('sent', 'accepted', 'declined', 'first_contact', 'ongoing', 'completed', 'returned')),
  status_note text,
  sent_at timestamptz NOT NULL,
  accepted_at timestamptz,
  declined_at timestamptz,
  first_contact_at timestamptz,
  completed_at timestamptz,
  returned_at timestamptz,
  sent_by uuid,
  version integer NOT NULL DEFAULT 1,
  PRIMARY KEY (municipality_id, id),
  FOREIGN KEY (municipality_id, case_id) REFERENCES support_case (municipality_id, id),
  FOREIGN KEY (municipality_id, from_organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, to_organization_id) REFERENCES organization (municipality_id, id),
  FOREIGN KEY (municipality_id, to_program_id) REFERENCES program (municipality_id, id)
);
CREATE INDEX referral_incoming ON referral (municipality_id, to_organization_id, status, sent_at DESC);
CREATE INDEX referral_outgoing ON referral (municipality_id, from_organization_id, status, sent_at DESC);
CREATE INDEX referral_by_case ON referral (municipality_id, case_id);

CREATE TABLE referral_event (
  municipality_id uuid NOT NULL,
  referral_id uuid NOT NULL,
  seq integer NOT NULL,
  status text NOT NULL,
  note text,
  at timestamptz NOT NULL,
  by_user uuid,
  organization_id uuid,
  PRIMARY KEY (municipality_id, referral_id, seq),
  FOREIGN KEY (municipality_id, referral_id) REFERENCES referral (municipality_id, id)
);
